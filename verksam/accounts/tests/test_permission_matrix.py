"""The permission matrix: every role × every capability × an item of the user's own unit,
of a unit below it, of a sibling unit and of the unit above it; plus anonymous visitors
and users without roles. Checked on the rules themselves and through the routes (pages,
API, admin), with direct URLs to another unit's items.

Every user here holds one role at Kommunstyrelsekontoret (KSK). The items:
- own:     the KSK plan and an action in it;
- child:   a plan of Ekonomiavdelningen (KSK-EKONOMI, below KSK) and an action in it;
- sibling: the Samhällsbyggnadskontoret plan (SBK) and an action in it;
- parent:  the board's plan (KS, above KSK) and a goal area in it.
All plans are drafts, so that nothing is readable just because it is public.
"""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.urls import reverse

from verksam.accounts import services
from verksam.accounts.models import Role
from verksam.organisation.models import OrgUnit
from verksam.plans.models import Action, ActionResponsibility, GoalArea, Plan

pytestmark = pytest.mark.django_db

RELATIONS = ["own", "child", "sibling", "parent"]
ALLOWED_RELATIONS = {"own", "child"}  # roles are inherited down the tree, never up or across
USER_UNIT = "KSK"

# capability → (permission, what it is checked on, the least role that has it)
CAPABILITIES = {
    "view": ("verksam.view", "item", Role.READER),
    "export": ("verksam.export", "plan", Role.READER),
    "history": ("verksam.view_history", "item", Role.READER),
    "report": ("verksam.report", "item", Role.REPORTER),
    "create": ("plans.add_action", "plan", Role.CONTROLLER),
    "edit": ("verksam.edit_plan", "item", Role.CONTROLLER),
    "delete": ("plans.delete_action", "item", Role.CONTROLLER),
    "assess": ("verksam.assess", "item", Role.CONTROLLER),
    "close_period": ("verksam.close_period", "plan", Role.CONTROLLER),
    "carry_over": ("verksam.carry_over", "plan", Role.CONTROLLER),
    "audit": ("verksam.view_audit", "unit", Role.CONTROLLER),
    "admin": ("verksam.manage_users", "unit", Role.ADMIN),
}


@pytest.fixture
def world(django_db_blocker) -> dict[str, dict[str, Any]]:
    """The four relations' objects: unit, plan, item (an action or indicator)."""
    Plan.objects.update(status=Plan.Status.DRAFT)
    economy = OrgUnit.objects.get(code="KSK-EKONOMI")
    child_plan = Plan.objects.create(
        key="KSK-EKONOMI-2022",
        owner=economy,
        year=2022,
        title="Ekonomiavdelningens plan",
        horizon_start=2022,
        horizon_end=2022,
        status=Plan.Status.DRAFT,
    )
    template = Action.objects.filter(plan__key="KSK-2022").earliest("pk")
    child_action = Action.objects.create(
        key="ksk-ekonomi-2022-a1",
        plan=child_plan,
        goal_area=template.goal_area,
        text="Avdelningens egen åtgärd",
    )
    ActionResponsibility.objects.create(action=child_action, unit=economy, role="responsible")
    own_action = (
        Action.objects.filter(plan__key="KSK-2022")
        .exclude(responsible_units__code="KSK-EKONOMI")
        .first()
    )
    return {
        "own": {
            "unit": OrgUnit.objects.get(code="KSK"),
            "plan": Plan.objects.get(key="KSK-2022"),
            "item": own_action,
        },
        "child": {
            "unit": economy,
            "plan": child_plan,
            "item": child_action,
        },
        "sibling": {
            "unit": OrgUnit.objects.get(code="SBK"),
            "plan": Plan.objects.get(key="SBK-2022"),
            "item": Action.objects.filter(plan__key="SBK-2022").first(),
        },
        "parent": {
            "unit": OrgUnit.objects.get(code="KS"),
            "plan": Plan.objects.get(key="KS-2022"),
            "item": GoalArea.objects.filter(plan__key="KS-2022").first(),
        },
    }


def expected(role: Role | None, capability: str, relation: str) -> bool:
    least = CAPABILITIES[capability][2]
    return role is not None and relation in ALLOWED_RELATIONS and role.rank >= least.rank


@pytest.mark.parametrize("role", [*Role, None], ids=lambda r: r.value if r else "no-role")
def test_rules(world, make_user, role):
    user = make_user("u", **({role.value: USER_UNIT} if role else {}))
    wrong = [
        f"{capability} on {relation}: expected {expected(role, capability, relation)}"
        for (capability, (permission, target, _)) in CAPABILITIES.items()
        for relation in RELATIONS
        if user.has_perm(permission, world[relation][target])
        != expected(role, capability, relation)
    ]
    assert wrong == []


def test_anonymous_visitors_may_do_nothing_with_drafts(world):
    anonymous = AnonymousUser()
    assert [
        (capability, relation)
        for (capability, (permission, target, _)) in CAPABILITIES.items()
        for relation in RELATIONS
        if anonymous.has_perm(permission, world[relation][target])
    ] == []


def test_a_department_reporter_reports_its_own_actions_in_the_offices_plan(world, make_user):
    reporter = make_user("u", reporter="KSK-EKONOMI")
    theirs = Action.objects.filter(responsible_units__code="KSK-EKONOMI", plan__key="KSK-2022")
    assert theirs.exists()
    assert all(reporter.has_perm("verksam.report", action) for action in theirs)
    assert not reporter.has_perm("verksam.report", world["own"]["item"])
    # … but does not read the office's draft plan, nor restructure it.
    assert not reporter.has_perm("verksam.view", world["own"]["plan"])
    assert not reporter.has_perm("verksam.edit_plan", theirs.first())


# --- Through the routes ---------------------------------------------------------------


def can_read(role: Role | None, relation: str) -> bool:
    return expected(role, "view", relation)


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", [*Role, None], ids=lambda r: r.value if r else "no-role")
def test_pages_and_api_show_drafts_only_where_the_role_reaches(
    client, world, make_user, role, relation
):
    client.force_login(make_user("u", **({role.value: USER_UNIT} if role else {})))
    plan, item = world[relation]["plan"], world[relation]["item"]
    want = 200 if can_read(role, relation) else 404
    assert client.get(plan.get_absolute_url()).status_code == want
    assert client.get(item.get_absolute_url()).status_code == want
    assert client.get(f"/api/plans/{plan.key}").status_code == want
    listed = {p["id"] for p in client.get("/api/plans/").json()}
    assert (plan.key in listed) == can_read(role, relation)


@pytest.mark.parametrize("relation", RELATIONS)
def test_anonymous_visitors_get_no_draft_by_any_route(client, world, relation):
    plan, item = world[relation]["plan"], world[relation]["item"]
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.get(f"/api/plans/{plan.key}").status_code == 404
    assert client.get(admin_url(item, "change")).status_code == 302


def admin_url(obj: Model, view: str) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", [*Role, None], ids=lambda r: r.value if r else "no-role")
def test_the_admin_changes_only_what_the_role_reaches(client, world, make_user, role, relation):
    user = make_user("u")
    if role:
        services.grant_role(actor=None, user=user, unit=world["own"]["unit"], role=role)
    client.force_login(user)
    item = world[relation]["item"]
    allowed = expected(role, "edit", relation)
    assert (client.get(admin_url(item, "change")).status_code == 200) == allowed
    if isinstance(item, Action):
        client.post(admin_url(item, "delete"), {"post": "yes"})
        assert Action.objects.filter(pk=item.pk).exists() != allowed
