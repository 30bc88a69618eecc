"""The permission matrix for follow-up: every role × reporting, assessing, closing and
carrying over, for an item of the user's own unit, of a unit below it, of a sibling unit
and of the unit above it, through the pages and the API, with other units' ids in URLs.

Every user holds one role at KSK's staff department (KSK-STAB). The actions in the open
April round: own = KSK-STAB responsible; child = KSK-JURIDIK (below KSK-STAB); sibling =
KSK-HR; parent = an action of KSK's plan with no department (KSK, above KSK-STAB).
"""

import io

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import escape

from verksam.accounts.models import Role
from verksam.followup import carry_over, services
from verksam.followup.models import ReportingPeriod, StatusReport
from verksam.plans.models import Action, Plan
from verksam.testing import close_round, letters, make_draft, pdf_text, sv

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


def first(actions: QuerySet[Action]) -> Action:
    action = actions.first()
    assert action is not None
    return action


@pytest.fixture
def actions() -> dict[str, Action]:
    ksk = Action.objects.filter(plan__key="KSK-2022")
    template = first(ksk)
    return {
        "own": first(ksk.filter(responsible_units__code="KSK-STAB")),
        "child": first(ksk.filter(responsible_units__code="KSK-JURIDIK")),
        "sibling": first(ksk.filter(responsible_units__code="KSK-HR")),
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


@pytest.mark.parametrize("role", ROLES, ids=role_id)
def test_reporting_through_the_page(client, make_user, april, actions, role):
    """For each relation (its own action: the reports do not meet)."""
    client.force_login(make_user("u", **({role.value: "KSK-STAB"} if role else {})))
    found, expected = {}, {}
    for relation in RELATIONS:
        action = actions[relation]
        url = reverse("followup:report_edit", args=[april.key, "action", action.key])
        allowed = may_report(role, relation)
        page = client.get(url)
        response = client.post(url, {"version": 0, "status": "on_track", "comment": "Enligt plan"})
        found[relation] = (
            page.status_code,
            response.status_code,
            StatusReport.objects.filter(period=april, action=action).exists(),
        )
        # Without a role the open round itself is invisible (404); with one, the item is
        # refused.
        expected[relation] = (
            200 if allowed else 404,
            302 if allowed else 403 if role else 404,
            allowed,
        )
    assert found == expected


@pytest.mark.parametrize("role", ROLES, ids=role_id)
def test_reporting_through_the_api(client, make_user, april, actions, role):
    """For each relation (its own action: the reports do not meet)."""
    client.force_login(make_user("u", **({role.value: "KSK-STAB"} if role else {})))
    found, expected = {}, {}
    for relation in RELATIONS:
        action = actions[relation]
        response = client.put(
            f"/api/followup/periods/{april.key}/action/{action.key}/status",
            {"version": 0, "status": "on_track"},
            content_type="application/json",
        )
        allowed = may_report(role, relation)
        found[relation] = (
            response.status_code,
            StatusReport.objects.filter(period=april, action=action).exists(),
        )
        expected[relation] = (200 if allowed else 403 if role else 404, allowed)
    assert found == expected


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
        ("SBK", Role.READER, {"SBK-2022"}),  # a reader at the office reads its drafts
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


# --- Reading follow-up data (docs/security.md, "Follow-up data") ------------------------------
# The rule: a report of an open round is read by people with a role at the item (its plan's
# owner or a responsible unit); a closed round's also by anyone where the item's plan is
# public (decided or archived); its author only by people with a role at the item. A role at
# KSK-STAB reaches the own and child actions, not the sibling's (KSK-HR) or the parent's
# (KSK's own, with no department). Every path must return exactly that: what leaks is counted.

ROUND_STATES = ["open", "closed", "closed-draft"]
AUTHOR = "board-controller"


def may_read_followup(role: Role | None, relation: str, state: str) -> bool:
    if role is not None and relation in {"own", "child"}:
        return True
    return state == "closed"


@pytest.fixture
def reported(april, actions) -> ReportingPeriod:
    """Every relation's action reported on track by the board's controller."""
    author = User.objects.get(username=AUTHOR)
    for action in actions.values():
        services.submit_status(
            april, action, actor=author, expected_version=0, status="on_track", comment="Bra."
        )
    return april


def round_in_state(period: ReportingPeriod, state: str) -> ReportingPeriod:
    if state != "open":
        close_round(period, actor=User.objects.get(username=AUTHOR))
    if state == "closed-draft":
        make_draft("KSK-2022")
    return period


def login(client, make_user, role: Role | None) -> None:
    """Sign in as a user with `role` at KSK-STAB (one user a role), or out for no role."""
    client.logout()
    if role is not None:
        name = f"u-{role.value}"
        user = User.objects.filter(username=name).first()
        client.force_login(user or make_user(name, **{role.value: "KSK-STAB"}))


def relations_in(text: str, actions: dict[str, Action]) -> set[str]:
    return {relation for relation, action in actions.items() if action.key in text}


def leaked(shown: set[str], role: Role | None, state: str) -> set[str]:
    return {r for r in shown if not may_read_followup(role, r, state)}


def hidden(shown: set[str], role: Role | None, state: str) -> set[str]:
    return {r for r in RELATIONS if may_read_followup(role, r, state) and r not in shown}


# Each path a round is read through: what it shows the signed-in user with `role`, and what
# the rule says it should show. A path's findings are empty sets when all is well.
Findings = dict[str, object]


def the_status_report_api(client, period, actions, role, state) -> tuple[Findings, Findings]:
    """The status report API returns exactly what the rule allows; the author only to
    people with a role at the item."""
    response = client.get(f"/api/followup/periods/{period.key}/status-reports")
    rows = response.json() if response.status_code == 200 else []
    shown = {r for r, a in actions.items() for row in rows if row["item"] == a.key}
    authors = {row["item"] for row in rows if row["author"]}
    reached = {actions[r].key for r in ("own", "child")} if role else set()
    found: Findings = {
        "leaked": leaked(shown, role, state),
        "hidden": hidden(shown, role, state),
        "authors beyond reach": authors - reached,
        "authors withheld": (reached & {row["item"] for row in rows}) - authors,
    }
    return found, {kind: set() for kind in found}


def the_action_lists_status_filter(
    client, period, actions, role, state
) -> tuple[Findings, Findings]:
    """The status filter of the action list tells only readable reports. The list holds
    only actions of plans the user may read: none of a draft KSK-2022 for a role at a
    department (the plan is read at its owner, KSK)."""
    params = {"period": period.key, "status": "on_track"}
    shown = relations_in(client.get(reverse("pages:action_list"), params).content.decode(), actions)
    listed = {r for r in RELATIONS if may_read_followup(role, r, state)}
    found: Findings = {"leaked": leaked(shown, role, state), "shown": shown}
    return found, {"leaked": set(), "shown": set() if state == "closed-draft" else listed}


def workbook_ids(content: bytes) -> set[str]:
    """The items' ids in a follow-up workbook (its sheets whose first column is the id)."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    ids = set()
    for sheet in book.worksheets:
        header, *rows = sheet.iter_rows(values_only=True)
        if header[0] == sv("Id"):
            ids |= {str(row[0]) for row in rows}
    return ids


def the_follow_up_report(client, period, actions, role, state) -> tuple[Findings, Findings]:
    """The follow-up report (the workbook) holds exactly what the rule allows; nothing of the
    draft office's plan (KSK-2022) to those without a role at its items."""
    response = client.get(reverse("reports:followup_download", args=[period.key, "xlsx"]))
    ids = workbook_ids(response.content) if response.status_code == 200 else set()
    shown = {r for r, a in actions.items() if a.key in ids}
    found: Findings = {
        "leaked": leaked(shown, role, state),
        "hidden": hidden(shown, role, state),
        "draft": {i for i in ids if i.startswith("ksk-")}
        if state == "closed-draft" and role is None
        else set(),
    }
    return found, {kind: set() for kind in found}


def the_snapshot_page(client, period, actions, role, state) -> tuple[Findings, Findings]:
    """A closed round's snapshot page shows exactly what the rule allows, and no author."""
    page = client.get(period.snapshots.get().get_absolute_url())
    html = page.content.decode()
    titles = {relation: action.text[:40] for relation, action in actions.items()}
    shown = {r for r, title in titles.items() if escape(title) in html}
    found = {
        "status": page.status_code,
        "leaked": leaked(shown, role, state),
        "hidden": hidden(shown, role, state),
        "author shown": AUTHOR in html,
    }
    return found, {"status": 200, "leaked": set(), "hidden": set(), "author shown": False}


READ_PATHS = {
    "open": [the_status_report_api, the_action_lists_status_filter, the_follow_up_report],
    "closed": [
        the_status_report_api,
        the_action_lists_status_filter,
        the_follow_up_report,
        the_snapshot_page,
    ],
}
READ_PATHS["closed-draft"] = READ_PATHS["closed"]


@pytest.mark.parametrize("state", ROUND_STATES)
def test_every_path_reads_exactly_what_the_rule_allows_to_every_role(
    client, make_user, reported, actions, state
):
    """Every role × path of the round in `state` (closed once for all of them): a failure
    names the role and the path."""
    period = round_in_state(reported, state)
    found, expected = {}, {}
    for role in ROLES:
        login(client, make_user, role)
        for path in READ_PATHS[state]:
            case = f"{role_id(role)}: {path.__name__}"
            found[case], expected[case] = path(client, period, actions, role, state)
    assert found == expected
    if state == "closed-draft":
        # An anonymous visitor reads no draft part or author in the closed round's PDF.
        client.logout()
        response = client.get(reverse("reports:followup_download", args=[period.key, "pdf"]))
        text = letters(pdf_text(response.content))
        assert letters(actions["sibling"].text)[:40] not in text
        assert letters(Action.objects.get(key="ksk-2022-1.2-u3-a1").text)[:40] not in text
        assert letters(AUTHOR) not in text
        assert letters(Action.objects.filter(plan__key="TSK-2022").first().text)[:40] in text


def test_the_admin_shows_snapshots_only_to_the_rounds_controllers_and_never_their_data(
    client, make_user, reported, actions
):
    period = round_in_state(reported, "closed")
    snapshot = period.snapshots.get()
    url = reverse("admin:followup_snapshot_change", args=[snapshot.pk])
    other = make_user("sbk-controller", controller="SBK")
    User.objects.filter(pk=other.pk).update(is_staff=True)
    client.force_login(other)
    assert (
        str(snapshot)
        not in client.get(reverse("admin:followup_snapshot_changelist")).content.decode()
    )
    assert client.get(url).status_code == 302  # not found among what they may see
    client.force_login(User.objects.get(username=AUTHOR))
    User.objects.filter(username=AUTHOR).update(is_staff=True)
    page = client.get(url).content.decode()
    assert actions["own"].key not in page  # the data is read on the snapshot's page


@pytest.mark.parametrize("state", ROUND_STATES)
def test_the_rule_and_the_database_agree_on_every_report_of_the_example_round(make_user, state):
    from django.contrib.auth.models import AnonymousUser

    from verksam.followup.models import IndicatorOutcome, Judgement
    from verksam.testing import example_controller, example_round

    period = example_round()
    if state != "open":
        close_round(period, actor=example_controller())
    if state == "closed-draft":
        make_draft("KSK-2022")
    cases = [
        (None, None),
        ("KSK-STAB", Role.READER),
        ("KSK", Role.REPORTER),
        ("KS", Role.CONTROLLER),
    ]
    disagree = {}
    for unit, role in cases:
        user = make_user(f"u-{role.value}", **{role.value: unit}) if role else AnonymousUser()
        for model in (StatusReport, IndicatorOutcome, Judgement):
            readable = set(model.objects.visible_to(user).values_list("pk", flat=True))
            rows = list(model.objects.filter(period=period))
            assert rows
            disagree[f"{role_id(role)} at {unit}, {model.__name__}"] = [
                row
                for row in rows
                if user.has_perm("verksam.view_followup", row) != (row.pk in readable)
            ]
    assert disagree == {case: [] for case in disagree}


def test_the_api_and_snapshot_page_run_the_same_queries_at_three_times_the_seed(
    client, make_user, reported
):
    """Reading what a user may see of a round is a fixed number of queries (the rule's seven,
    `followup.reporting.readable`), whatever the size of the plan: for a reader and for no
    role, each counted at the seed and at three times it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from verksam.testing import multiply_seed

    period = round_in_state(reported, "closed")
    urls = [
        f"/api/followup/periods/{period.key}/status-reports",
        period.snapshots.get().get_absolute_url(),
    ]

    def queries() -> dict[str, int]:
        counts = {}
        for role in (Role.READER, None):
            login(client, make_user, role)
            for url in urls:
                client.get(url)  # the rate limit's cache row and the session, once
            for url in urls:
                with CaptureQueriesContext(connection) as read:
                    assert client.get(url).status_code == 200
                counts[f"{role_id(role)}: {url}"] = len(read)
        return counts

    seed = queries()
    multiply_seed(3)
    assert queries() == seed
