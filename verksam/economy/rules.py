"""The admin's model permissions for economy data, from the shared predicates."""

from verksam.accounts.rules import register_model_perms
from verksam.economy import models

for model in (
    models.OutcomeMapping,
    models.OutcomeImport,
    models.Outcome,
    models.Forecast,
    models.CarryOver,
):
    register_model_perms(model)
