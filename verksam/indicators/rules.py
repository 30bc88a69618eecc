"""The admin's model permissions for indicators, from the shared predicates."""

from verksam.accounts.rules import register_model_perms
from verksam.indicators import models

for model in (models.Indicator, models.IndicatorResponsibility, models.IndicatorValue):
    register_model_perms(model)
