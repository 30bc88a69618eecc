"""The admin's model permissions for budget tables, from the shared predicates."""

from verksam.accounts.rules import register_model_perms
from verksam.budget import models

for model in (models.BudgetTable, models.BudgetColumn, models.BudgetRow, models.BudgetCell):
    register_model_perms(model)
