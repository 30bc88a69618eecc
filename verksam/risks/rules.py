"""The admin's model permissions for risks and internal control, from the shared predicates."""

from verksam.accounts.rules import register_model_perms
from verksam.risks import models

for model in (
    models.RiskAnalysis,
    models.Risk,
    models.InternalControlArea,
    models.InternalControlPoint,
):
    register_model_perms(model)
