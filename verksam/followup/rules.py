"""The admin's model permissions for follow-up data, from the shared predicates."""

from verksam.accounts.rules import register_model_perms
from verksam.followup import models

for model in (
    models.ReportingPeriod,
    models.StatusReport,
    models.IndicatorOutcome,
    models.Judgement,
    models.Submission,
    models.Acknowledgement,
    models.Snapshot,
    models.CarryOverDecision,
):
    register_model_perms(model, plan_content=False)
