"""The admin's model permissions for review comments, from the shared predicates: viewed as
the pages show them (`verksam.view_review`: a plan's reviewers while it is in review, a role
at its owner before and after), never added, changed or deleted there (the services write
them)."""

import rules

from verksam.accounts.rules import reads_plan, reviews_plan

rules.add_perm("planning.view_reviewcomment", reads_plan | reviews_plan)
for action in ("add", "change", "delete"):
    rules.add_perm(f"planning.{action}_reviewcomment", rules.always_deny)
