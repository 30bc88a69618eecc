"""Object-level permissions by organisational unit, one set of `rules` predicates for the
pages, the admin and the API.

A role held at a unit applies to that unit and to every unit below it. An object says
which units it belongs to with `unit_ids()` (a plan: its owner; an assignment, action or
indicator: its plan's owner and its responsible units) and, for reading, which plan it
is part of with `plan` (a decided plan is public; a draft is read by the plan owner's
readers and above).
"""

from collections.abc import Iterable
from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model, Q, QuerySet

from verksam.accounts.models import Membership, Role
from verksam.organisation.models import OrgUnit, units_below

AnyUser = User | AnonymousUser


def unit_ids_with_role(user: AnyUser, role: Role) -> frozenset[int]:
    """The units where the user holds `role` or a higher one, directly or inherited.

    Computed once per user object (so once per request) from two small queries."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cache: dict[Role, frozenset[int]] | None = getattr(user, "_verksam_unit_ids", None)
    if cache is None:
        cache = _scopes(user)
        # Set through request.user's lazy wrapper, so the wrapped user carries it too.
        user._verksam_unit_ids = cache  # type: ignore[attr-defined]  # a cache, not a field
    return cache[role]


def _scopes(user: User) -> dict[Role, frozenset[int]]:
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in OrgUnit.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(unit_id)
    if user.is_superuser:
        everything = frozenset(unit_id for ids in children.values() for unit_id in ids)
        return dict.fromkeys(Role, everything)
    held = list(Membership.objects.filter(user=user).values_list("unit_id", "role"))
    return {
        role: units_below(
            children, {unit_id for unit_id, held_role in held if Role(held_role).rank >= role.rank}
        )
        for role in Role
    }


def owned_by(model: type[Model], unit_ids: Iterable[int]) -> Q:
    """Rows of `model` whose owner (by its `owner_path`, see `plans.models.PartOfPlan`) is
    one of the units: the database side of `unit_ids()`, for lists, the admin and the audit
    search."""
    paths = model.owner_path  # type: ignore[attr-defined]  # plan content's owner path (PartOfPlan)
    condition = Q()
    for path in (paths,) if isinstance(paths, str) else paths:
        condition |= Q(**{f"{path}_id__in": unit_ids})
    return condition


def forget_scopes(user: AnyUser) -> None:
    """Drop the cached scopes after the user's roles have changed."""
    user.__dict__.pop("_verksam_unit_ids", None)


def holds(role: Role) -> rules.Predicate:
    """A predicate: the user holds `role` (or higher) at one of the object's units; without
    an object, anywhere."""

    def check(user: AnyUser, obj: Any = None) -> bool:
        scope = unit_ids_with_role(user, role)
        if obj is None or not scope:
            return bool(scope)
        return not scope.isdisjoint(obj.unit_ids())

    return rules.predicate(check, name=f"holds_{role.value}")


is_reader = holds(Role.READER)
is_reporter = holds(Role.REPORTER)
is_controller = holds(Role.CONTROLLER)
is_admin = holds(Role.ADMIN)


@rules.predicate
def is_public(user: AnyUser, obj: Any) -> bool:
    """Decided and archived plans, and what is in them, are public records."""
    return obj is not None and obj.plan.is_public


def holds_at_plan(role: Role) -> rules.Predicate:
    """A predicate: the user holds `role` (or higher) at the owner of the object's plan."""

    def check(user: AnyUser, obj: Any = None) -> bool:
        scope = unit_ids_with_role(user, role)
        if obj is None or not scope:
            return bool(scope)
        return not scope.isdisjoint(obj.plan.unit_ids())

    return rules.predicate(check, name=f"holds_{role.value}_at_plan")


# A draft is read by the plan owner's readers; the plan's structure is edited by its
# owner's controllers (a department's controller reports and assesses, but does not
# restructure the office's plan).
reads_plan = holds_at_plan(Role.READER)
controls_plan = holds_at_plan(Role.CONTROLLER)


@rules.predicate
def reviews_plan(user: AnyUser, obj: Any = None) -> bool:
    """The object's plan is in review and the user reviews it: a role at its owner or at a
    unit responsible for one of its actions or indicators (`Plan.is_reviewed_by`, the
    database side `Plan.objects.reviewed_by`). Whoever reviews a plan comments on it and
    reads it, its items and its comments while it is in review; nobody else."""
    return obj is not None and obj.plan.is_reviewed_by(user)


can_view = is_public | reads_plan | reviews_plan

# Capabilities, checked with `user.has_perm(name, obj)` everywhere.
rules.add_perm("verksam.view", can_view)
rules.add_perm("verksam.edit_plan", controls_plan)
rules.add_perm("verksam.report", is_reporter)
rules.add_perm("verksam.close_period", controls_plan)
rules.add_perm("verksam.assess", is_controller)
rules.add_perm("verksam.carry_over", controls_plan)
rules.add_perm("verksam.export", can_view)
# An open round's economy forecasts in full (economy): readers at the round's plan (the board).
rules.add_perm("verksam.view_internal", reads_plan)
rules.add_perm("verksam.view_audit", is_controller | is_admin)
# The history names the people who made changes: only for those with a role there.
rules.add_perm("verksam.view_history", is_reader)


@rules.predicate
def is_public_followup(user: AnyUser, report: Any) -> bool:
    """A closed round's report (status, outcome or judgement) on something of a public plan:
    a public record. `report` has `period` and `plan` (the plan of what it is about)."""
    return report is not None and report.period.is_closed and report.plan.is_public


# Follow-up data (docs/security.md, "Follow-up data"): a report of a planned or open round is
# a draft, read by people with a role at what it is about (its plan's owner or a responsible
# unit); a closed round's is public where its plan is, else read by the same people.
reads_followup = is_public_followup | is_reader
rules.add_perm("verksam.view_followup", reads_followup)
# Who wrote a report: only people with a role at what it is about; anonymous never.
rules.add_perm("verksam.view_author", is_reader)
rules.add_perm("verksam.manage_users", is_admin)

# The organisation tree is the municipality's reference data: anyone with a role reads it
# (forms pick units from it), system administrators change it.
rules.add_perm("organisation.view_orgunit", is_reader | rules.is_superuser)
for action in ("add", "change", "delete"):
    rules.add_perm(f"organisation.{action}_orgunit", rules.is_superuser)


def users_managed_by(user: AnyUser) -> QuerySet[User]:
    """The people an administrator manages: those holding a role at one of the
    administrator's units. People without any role, and superusers, only superusers manage
    (a unit administrator could otherwise erase or take over any account)."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return User.objects.all()
    units = unit_ids_with_role(user, Role.ADMIN)
    return User.objects.filter(
        pk__in=Membership.objects.filter(unit__in=units).values("user"), is_superuser=False
    )


@rules.predicate
def manages_person(user: AnyUser, person: User | None) -> bool:
    """`user` manages `person` (see `users_managed_by`)."""
    return person is not None and users_managed_by(user).filter(pk=person.pk).exists()


# Change the roles of, send a set-password link to, or erase this person.
rules.add_perm("verksam.manage_person", manages_person)


@rules.predicate
def plan_is_open(user: AnyUser, obj: Any = None) -> bool:
    """The object's plan is a draft or in review (a decided or archived plan changes only
    by an amendment); without an object, yes."""
    return obj is None or not obj.plan.is_locked


# Review comments (planning.review): a plan's reviewers (`reviews_plan`: a role at its owner
# or at a unit responsible for one of its actions or indicators) comment on its items while it
# is in review; the plan's controllers answer, resolve and acknowledge them
# (`verksam.edit_plan`).
comment_plan = reviews_plan
rules.add_perm("verksam.comment_plan", comment_plan)
# A plan's review comments are read by its reviewers while it is in review, and by those who
# read it as a draft (a role at its owner) before and after: the review's working material.
rules.add_perm("verksam.view_review", reads_plan | reviews_plan)


def register_model_perms(model: type[Model], *, plan_content: bool = True) -> None:
    """The admin's view/add/change/delete permissions for a plan model: read as the pages
    do, change as a controller of the plan's owner; plan content only while its plan is
    not decided (follow-up records of a decided plan are not its content)."""
    opts = model._meta
    change = controls_plan & plan_is_open if plan_content else controls_plan
    rules.add_perm(f"{opts.app_label}.view_{opts.model_name}", can_view | controls_plan)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"{opts.app_label}.{action}_{opts.model_name}", change)
