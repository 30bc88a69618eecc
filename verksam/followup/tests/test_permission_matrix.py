"""The permission matrix for follow-up: every role × reporting, assessing, closing and
carrying over, for an item of the user's own unit, of a unit below it, of a sibling unit
and of the unit above it, through the pages and the API, with other units' ids in URLs.

Every user holds one role at KSK's staff department (KSK-STAB). The actions in the open
April round: own = KSK-STAB responsible; child = KSK-JURIDIK (below KSK-STAB); sibling =
KSK-HR; parent = an action of KSK's plan with no department (KSK, above KSK-STAB).
"""

import pytest
from django.urls import reverse

from verksam.accounts.models import Role
from verksam.followup import carry_over, services
from verksam.followup.models import ReportingPeriod, StatusReport
from verksam.plans.models import Action, Plan

# These tests set up their cases by editing the decided seed directly.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_editable")]

RELATIONS = ["own", "child", "sibling", "parent"]
ROLES = [*Role, None]


def role_id(role: Role | None) -> str:
    return role.value if role else "no-role"


@pytest.fixture
def april(make_user) -> ReportingPeriod:
    board_controller = make_user("board-controller", controller="KS")
    services.create_periods(Plan.objects.get(key="KS-2022"), actor=board_controller)
    period = ReportingPeriod.objects.get(key="KS-2022-t1")
    services.open_period(period, actor=board_controller)
    return period


@pytest.fixture
def actions() -> dict[str, Action]:
    ksk = Action.objects.filter(plan__key="KSK-2022")
    template = ksk.first()
    return {
        "own": ksk.filter(responsible_units__code="KSK-STAB").first(),
        "child": ksk.filter(responsible_units__code="KSK-JURIDIK").first(),
        "sibling": ksk.filter(responsible_units__code="KSK-HR").first(),
        "parent": Action.objects.create(
            key="ksk-2022-matrix",
            plan=template.plan,
            goal_area=template.goal_area,
            objective=template.objective,
            text="Kontorets egen åtgärd",
        ),
    }


def may_report(role: Role | None, relation: str) -> bool:
    return role is not None and role.rank >= Role.REPORTER.rank and relation in {"own", "child"}


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES, ids=role_id)
def test_reporting_through_the_page(client, make_user, april, actions, role, relation):
    client.force_login(make_user("u", **({role.value: "KSK-STAB"} if role else {})))
    action = actions[relation]
    url = reverse("followup:report_edit", args=[april.key, "action", action.key])
    allowed = may_report(role, relation)
    assert client.get(url).status_code == (200 if allowed else 404)
    response = client.post(url, {"version": 0, "status": "on_track", "comment": "Enligt plan"})
    # Without a role the open round itself is invisible (404); with one, the item is refused.
    assert response.status_code == (302 if allowed else 403 if role else 404)
    assert StatusReport.objects.filter(period=april, action=action).exists() == allowed


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES, ids=role_id)
def test_reporting_through_the_api(client, make_user, april, actions, role, relation):
    client.force_login(make_user("u", **({role.value: "KSK-STAB"} if role else {})))
    action = actions[relation]
    response = client.put(
        f"/api/followup/periods/{april.key}/action/{action.key}/status",
        {"version": 0, "status": "on_track"},
        content_type="application/json",
    )
    allowed = may_report(role, relation)
    assert response.status_code == (200 if allowed else 403 if role else 404)
    assert StatusReport.objects.filter(period=april, action=action).exists() == may_report(
        role, relation
    )


@pytest.mark.parametrize("role", ROLES, ids=role_id)
def test_att_rapportera_lists_only_what_the_role_reaches(client, make_user, april, actions, role):
    client.force_login(make_user("u", **({role.value: "KSK-STAB"} if role else {})))
    page = client.get(reverse("followup:report_list")).content.decode()
    listed = {relation for relation, action in actions.items() if action.key in page}
    assert listed == {r for r in RELATIONS if may_report(role, r)}


def test_anonymous_visitors_see_no_open_round_and_report_nothing(client, april, actions):
    assert client.get(april.get_absolute_url()).status_code == 404
    url = reverse("followup:report_edit", args=[april.key, "action", actions["own"].key])
    assert client.get(url).status_code == 302
    assert client.post(url, {"version": 0, "status": "done"}).status_code == 302
    response = client.put(
        f"/api/followup/periods/{april.key}/action/{actions['own'].key}/status",
        {"version": 0, "status": "done"},
        content_type="application/json",
    )
    assert response.status_code in {401, 404}
    assert not StatusReport.objects.exists()


@pytest.mark.parametrize(
    ("unit", "role", "allowed"),
    [
        ("KS", Role.CONTROLLER, True),  # the board's controller: the period is the board's
        ("NK", Role.ADMIN, True),  # above the board
        ("KSK", Role.CONTROLLER, False),  # an office below the board
        ("KS", Role.REPORTER, False),
        ("SBK", Role.ADMIN, False),
    ],
)
def test_only_the_boards_controllers_close_its_round(client, make_user, april, unit, role, allowed):
    client.force_login(make_user("u", **{role.value: unit}))
    response = client.post(reverse("followup:period_close", args=[april.key]))
    # Allowed: closed, or sent to the consistency checks that block closing.
    assert response.status_code == (302 if allowed else 403)
    april.refresh_from_db()
    if not allowed:
        assert april.is_open
        assert not april.snapshots.exists()


@pytest.mark.parametrize(
    ("unit", "role", "office", "allowed"),
    [
        ("KSK", Role.CONTROLLER, "KSK-2022", True),
        ("KS", Role.CONTROLLER, "KSK-2022", True),
        ("KSK", Role.CONTROLLER, "SBK-2022", False),  # another office's id in the URL
        ("KSK", Role.REPORTER, "KSK-2022", False),
        ("KSK-STAB", Role.CONTROLLER, "KSK-2022", False),  # a department, not the office
    ],
)
def test_an_office_is_judged_by_its_own_or_the_boards_controllers(
    client, make_user, april, unit, role, office, allowed
):
    client.force_login(make_user("u", **{role.value: unit}))
    plan = Plan.objects.get(key=office)
    url = reverse("followup:judgement_edit", args=[april.key, "office", plan.pk])
    response = client.post(url, {"version": 0, "attainment": "met", "motivation": "Bra år."})
    assert response.status_code == (302 if allowed else 403)
    assert april.judgements.filter(office=plan).exists() == allowed


@pytest.mark.parametrize(
    ("unit", "role", "item_plan", "allowed"),
    [
        ("KSK", Role.CONTROLLER, "KSK-2022", True),
        ("KS", Role.CONTROLLER, "SBK-2022", True),
        ("KSK", Role.CONTROLLER, "SBK-2022", False),  # another office's item in the URL
        ("KSK", Role.REPORTER, "KSK-2022", False),
        ("KSK-STAB", Role.CONTROLLER, "KSK-2022", False),  # a department, not the office
    ],
)
def test_carry_over_is_decided_by_the_controllers_of_the_items_plan(
    client, make_user, unit, role, item_plan, allowed
):
    from verksam.followup.models import CarryOverDecision

    client.force_login(make_user("u", **{role.value: unit}))
    action = Action.objects.filter(plan__key=item_plan).first()
    url = reverse("followup:carryover_decide", args=["KS-2022", "action", action.key])
    response = client.post(url, {"decision": "continue"})
    assert response.status_code == (302 if allowed else 403)
    assert CarryOverDecision.objects.filter(action=action).exists() == allowed


@pytest.mark.parametrize(("unit", "allowed"), [("KS", True), ("KSK", False)])
def test_only_the_boards_controllers_run_the_carry_over(client, make_user, unit, allowed):
    action = Action.objects.filter(plan__key="KSK-2022").first()
    carry_over.decide_carry_over(
        action, actor=make_user("board", controller="KS"), decision="continue"
    )
    client.force_login(make_user("u", controller=unit))
    response = client.post(reverse("followup:carryover_run", args=["KS-2022"]), {"to_year": 2023})
    assert response.status_code == (302 if allowed else 403)
    assert Plan.objects.filter(year=2023).exists() == allowed


@pytest.mark.parametrize(
    ("unit", "allowed"),
    [("KSK-STAB", True), ("KSK-JURIDIK", True), ("KSK-HR", False), ("KSK", False)],
)
def test_a_reporter_submits_only_for_units_their_role_reaches(
    client, make_user, april, unit, allowed
):
    from verksam.followup.models import Submission
    from verksam.organisation.models import OrgUnit

    client.force_login(make_user("u", reporter="KSK-STAB"))
    target = OrgUnit.objects.get(code=unit)
    response = client.post(reverse("followup:unit_submit", args=[april.key, target.pk]))
    # Allowed: submitted, or told what is still unreported; refused: nothing stored.
    assert response.status_code == (302 if allowed else 403)
    if not allowed:
        assert not Submission.objects.filter(period=april, unit=target).exists()


@pytest.mark.parametrize(
    ("unit", "role", "sees"),
    [
        ("KS", Role.READER, {"KS-2022", "KSK-2022", "SBK-2022", "TSK-2022", "goal areas"}),
        ("KSK", Role.CONTROLLER, {"KSK-2022"}),
        ("KSK-STAB", Role.REPORTER, set()),
        ("SBK", Role.READER, set()),
    ],
)
def test_an_open_rounds_attainment_shows_only_what_the_role_reaches(
    client, make_user, april, unit, role, sees
):
    client.force_login(make_user("u", **{role.value: unit}))
    page = client.get(reverse("followup:period_attainment", args=[april.key]))
    assert page.status_code == 200
    shown = {o.obj.key for o in page.context["offices"]}
    if page.context["goal_areas"]:
        shown.add("goal areas")
    assert shown == sees
