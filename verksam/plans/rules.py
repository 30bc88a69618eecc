"""The admin's model permissions for plan content, from the shared predicates."""

import rules

from verksam.accounts.rules import register_model_perms
from verksam.plans import models

for model in (
    models.Plan,
    models.PlanSection,
    models.GoverningDocument,
    models.GoalArea,
    models.Objective,
    models.Assignment,
    models.Action,
    models.ActionResponsibility,
    models.CarriedOverAssignment,
):
    register_model_perms(model)

# Strategies are the municipality's, not one unit's: system administrators keep them.
for name in ("strategy", "focusarea"):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"plans.{action}_{name}", rules.is_superuser)
