"""The organisation tree is the municipality's reference data: anyone with a role reads it
(forms pick units from it), system administrators change it."""

import rules

from verksam.accounts.rules import is_reader

rules.add_perm("organisation.view_orgunit", is_reader | rules.is_superuser)
for action in ("add", "change", "delete"):
    rules.add_perm(f"organisation.{action}_orgunit", rules.is_superuser)
