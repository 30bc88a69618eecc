"""The browse pages for plans, goal areas, objectives, assignments and actions, on the seed plan.

Query-count tests multiply the seed (`verksam.testing.multiply_seed`) or copy an item's parts
and check that the page still runs the same number of queries: the bound does not depend on
the plan's size.
"""

from typing import TypeVar

import pytest
from django.db.models import Model
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from verksam.indicators.models import Indicator
from verksam.organisation.models import OrgUnit
from verksam.plans.models import (
    Action,
    ActionResponsibility,
    Assignment,
    CarriedOverAssignment,
    FocusArea,
    GoalArea,
)
from verksam.testing import (
    assert_accessible_structure,
    make_draft,
    make_user,
    multiply_seed,
    squash,
    sv,
)

# These tests set up their cases by editing the decided seed directly.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_editable")]
M = TypeVar("M", bound=Model)

# Queries per page for an anonymous visitor (a logged-in user adds the session and user).
# Home: the published plans with their owners, and the closed rounds' reports.
HOME_QUERIES = 2
# Board plan: 1 the plan, 2 its office parts, 3 its sections, 4 the indicators of the plan and
# its parts (its own outside goal areas print as tables), 5 their values, 6 the outcomes the
# visitor may read, 7 governing documents, 8 goal areas with objective counts, 9-11
# assignments, actions and indicators counted per goal area, 12-13 assignments and actions
# counted by latest status (pages.plan_followup), 14 carried-over assignments, 15 the
# amendments (planning.authoring; a controller adds: is next year's plan made?).
BOARD_PLAN_QUERIES = 15
# Office plan: as the board's without the parts.
OFFICE_PLAN_QUERIES = 14
# Goal area: 1 the goal area, 2 its objectives, 3 the plan family, 4 sections, 5 assignments,
# 6 their objectives, 7 their actions, 8 the assignments' and 9 their actions' latest reports
# the visitor may read, 10 actions without an assignment, 11 their latest reports,
# 12 indicators, 13 their values, 14 their outcomes the visitor may read, 15 the amendments
# touching it.
GOAL_AREA_QUERIES = 15
# Objective: as the goal area's, the objective (with its goal area) read in one.
OBJECTIVE_QUERIES = 13
# Assignment: 1 the assignment (plan, goal area joined), 2 its objectives, 3 its actions,
# 4 its carried-over origin, 5 focus areas, 6 follow-up status reports, 7 carry-over lineage,
# 8 the amendments touching it.
ASSIGNMENT_QUERIES = 8
# Action: 1 the action, 2 its responsible units, 3 focus areas, 4 follow-up status reports,
# 5 carry-over lineage, 6 the amendments touching it.
ACTION_QUERIES = 6

HYRES = "Se över hyressättningsmodellen"

PAGES = [
    ("pages:home", None),
    ("pages:plan_detail", "KS-2022"),
    ("pages:plan_detail", "KSK-2022"),
    ("pages:goalarea_detail", "2022-ma1"),
    ("pages:objective_detail", "2022-1.1"),
    ("pages:assignment_detail", "ksk-2022-1.1-u1"),
    ("pages:action_detail", "ksk-2022-1.1-u1-a1"),
]


def url(name: str, key: str | None = None) -> str:
    return reverse(name, args=[key] if key else [])


# --- Factories -----------------------------------------------------------------------------


def copy_row(row: M, **changes: object) -> M:
    """Save a copy of a row as a new row (its many-to-many links are not copied)."""
    row.pk = None
    row._state.adding = True
    for name, value in changes.items():
        setattr(row, name, value)
    row.save()
    return row


def copy_action(action: Action, suffix: str, **changes: object) -> Action:
    """Copy an action with its responsible units and focus areas."""
    responsibilities = list(action.responsibilities.all())
    focus_areas = list(action.focus_areas.all())
    new = copy_row(action, key=action.key + suffix, **changes)
    for responsibility in responsibilities:
        copy_row(responsibility, action=new)
    new.focus_areas.set(focus_areas)
    return new


# --- Every page ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "key"), PAGES)
def test_every_page_has_one_h1_ordered_headings_landmarks_and_captioned_tables(client, name, key):
    response = client.get(url(name, key))
    assert response.status_code == 200
    assert_accessible_structure(response.content.decode())


@pytest.mark.parametrize(("name", "key"), PAGES)
def test_every_page_refuses_a_post_with_405(client, name, key):
    assert client.post(url(name, key)).status_code == 405


@pytest.mark.parametrize(("name", "key"), [p for p in PAGES if p[1]])
def test_an_unknown_key_is_not_found(client, name, key):
    assert client.get(url(name, "no-such-key")).status_code == 404


def test_every_page_offers_the_language_switch_posting_to_setlang(client):
    response = client.get(url("pages:home"))
    assertContains(response, 'action="/i18n/setlang/" method="post"')
    assertContains(response, 'name="csrfmiddlewaretoken"')


# --- Home ------------------------------------------------------------------------------------


def test_home_lists_the_board_plan_with_its_office_parts_under_its_year(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get(url("pages:home"))
    html = response.content.decode()
    assertContains(response, '<h3 id="year-2022">2022</h3>', html=False)
    board = html.index(url("pages:plan_detail", "KS-2022"))
    parts = [
        html.index(url("pages:plan_detail", key)) for key in ("KSK-2022", "SBK-2022", "TSK-2022")
    ]
    assert board < min(parts)
    assertContains(response, "Kommunstyrelsekontorets verksamhetsplan")


def test_home_hides_a_draft_plan_from_anonymous_visitors_but_not_from_a_logged_in_user(
    client, admin_user
):
    make_draft("SBK-2022")
    assertNotContains(client.get(url("pages:home")), url("pages:plan_detail", "SBK-2022"))
    client.force_login(admin_user)
    assertContains(client.get(url("pages:home")), url("pages:plan_detail", "SBK-2022"))


# --- Plan ------------------------------------------------------------------------------------


def test_board_plan_page_shows_its_facts_prose_parts_and_goal_areas(client):
    response = client.get(url("pages:plan_detail", "KS-2022"))
    assertContains(response, "<h1>Kommunstyrelsens verksamhetsplan och budget 2022</h1>")
    assertContains(response, "2022–2024")
    assertContains(response, "Verksamhetsplanens syfte och struktur")
    assertContains(response, "Begrepp som används i verksamhetsplanen")
    assertContains(response, "<li>leda arbetet med kommunfullmäktiges övergripande styrdokument")
    assertContains(response, url("pages:plan_detail", "TSK-2022"))
    assertContains(response, f'href="{url("pages:goalarea_detail", "2022-ma1")}"')
    # The employer indicator is printed under its section.
    html = response.content.decode()
    assert html.index("Attraktiv arbetsgivare</h2>") < html.index("Personalomsättning</a>")


def test_board_plan_page_counts_assignments_actions_and_indicators_across_its_parts(client):
    response = client.get(url("pages:plan_detail", "KS-2022"))
    goal_area = GoalArea.objects.get(key="2022-ma1")
    counts = [
        Assignment.objects.filter(goal_area=goal_area).count(),
        Action.objects.filter(goal_area=goal_area).count(),
        Indicator.objects.filter(goal_area=goal_area).count(),
    ]
    assert len({p for p in Assignment.objects.filter(goal_area=goal_area).values_list("plan")}) > 1
    row = "".join(f'<td class="num">{n}</td>' for n in [2, *counts])
    assert squash(row) in squash(response.content.decode())


def test_office_plan_page_counts_only_its_own_items_and_links_goal_areas_filtered_to_it(client):
    response = client.get(url("pages:plan_detail", "KSK-2022"))
    goal_area = GoalArea.objects.get(key="2022-ma1")
    own = Assignment.objects.filter(goal_area=goal_area, plan__key="KSK-2022").count()
    actions = Action.objects.filter(goal_area=goal_area, plan__key="KSK-2022").count()
    indicators = Indicator.objects.filter(goal_area=goal_area, plan__key="KSK-2022").count()
    assert own < Assignment.objects.filter(goal_area=goal_area).count()
    row = "".join(f'<td class="num">{n}</td>' for n in [2, own, actions, indicators])
    assert squash(row) in squash(response.content.decode())
    assertContains(response, f'href="{url("pages:goalarea_detail", "2022-ma1")}?office=KSK"')
    assertContains(response, "Kommunstyrelsekontorets verksamhetsidé och verksamhetsområde")
    assertNotContains(response, sv("Assignments carried over from earlier plans (appendix 1)"))


def test_office_plan_page_lists_its_governing_documents(client):
    response = client.get(url("pages:plan_detail", "TSK-2022"))
    assertContains(response, "Styrdokument av särskild betydelse")
    assertContains(response, "<li>Lagen (2003:778) om skydd mot olyckor</li>")


def test_board_plan_lists_bilaga_1_by_goal_area_and_marks_inferred_origins(client):
    CarriedOverAssignment.objects.filter(key="ks-2022-b1-02").update(
        assignment=Assignment.objects.get(key="ksk-2022-1.2-u1")
    )
    response = client.get(url("pages:plan_detail", "KS-2022"))
    assertContains(response, sv("Assignments carried over from earlier plans (appendix 1)"))
    assertContains(
        response, '<th scope="row">Uppdatera kommunens bostadsförsörjningsstrategi.</th>'
    )
    assertContains(response, "MoB 2020")
    inferred = CarriedOverAssignment.objects.filter(origin_inferred=True).count()
    assert 0 < inferred < CarriedOverAssignment.objects.count()
    assertContains(response, sv("interpreted from the table's layout"), count=inferred)
    assertContains(response, url("pages:assignment_detail", "ksk-2022-1.2-u1"))


def test_plan_page_query_count_does_not_grow_with_the_plan(client, django_assert_max_num_queries):
    page = url("pages:plan_detail", "KS-2022")
    with django_assert_max_num_queries(BOARD_PLAN_QUERIES) as before:
        client.get(page)
    multiply_seed(3)
    with django_assert_max_num_queries(BOARD_PLAN_QUERIES) as after:
        response = client.get(page)
    assert len(after.captured_queries) == len(before.captured_queries)
    assertContains(response, '<td class="num">45</td>', html=False)  # 3 × 15 assignments
    with django_assert_max_num_queries(OFFICE_PLAN_QUERIES):
        client.get(url("pages:plan_detail", "KSK-2022"))


# --- Goal area -------------------------------------------------------------------------------


def test_goal_area_page_shows_ambition_objectives_and_every_offices_work(client):
    response = client.get(url("pages:goalarea_detail", "2022-ma1"))
    assertContains(response, "<h1>Norrtälje kommun ska ha en sund och hållbar ekonomi</h1>")
    assertContains(response, "Norrtälje kommun ska ha en stärkt ekonomi som skapar maximal nytta")
    assertContains(response, "1.1 En ekonomi i balans")
    assertContains(response, HYRES)
    assertContains(response, "Uppdrag från KF")
    assertContains(
        response, "Kommunstyrelsekontorets bidrag till en positiv utveckling av målområde 1"
    )
    for office in ("Kommunstyrelsekontoret", "Samhällsbyggnadskontoret"):
        assertContains(response, f">{office}</h2>")
    # The actions table with its columns, dates as people read them.
    assertContains(response, sv("What must happen for the action to count as completed"))
    assertContains(response, "KSK stab bidrar till arbetet. TKN är huvudansvarig.")
    assertContains(response, '<time datetime="2021">Påbörjat 2021</time>')
    assertContains(response, '<time datetime="2022-12-31">31 december 2022</time>')
    assertNotContains(response, "precision")
    # The indicator table with Swedish number format.
    assertContains(response, "Låneskuld (i kommun), kr per invånare")
    assertContains(response, "7\u00a0191")


def test_goal_area_page_orders_indicator_columns_as_the_values_are_printed(client):
    html = client.get(url("pages:goalarea_detail", "2022-ma1")).content.decode()
    caption = html.index("<caption>Indikatorer till inriktningsmål en ekonomi i balans</caption>")
    labels = ["Utfall 2020", "Prognos 2021", "Mål 2021", "Mål 2022", "Mål 2023", "Mål 2024"]
    positions = [html.index(f'<th scope="col">{label}</th>', caption) for label in labels]
    assert positions == sorted(positions)


def test_goal_area_page_puts_actions_without_an_assignment_under_the_objective(client):
    response = client.get(url("pages:goalarea_detail", "2022-ma5"))
    whole = Action.objects.get(key="tsk-2022-ma5-a1")
    with translation.override("sv"):
        caption = translation.gettext("Actions for objective %(number)s as a whole") % {
            "number": "5.1"
        }
    assertContains(response, caption)
    assertContains(response, sv("Actions for the goal area as a whole"))
    assertContains(response, whole.get_absolute_url())


def test_goal_area_page_filtered_to_an_office_shows_only_that_office(client):
    response = client.get(url("pages:goalarea_detail", "2022-ma1") + "?office=SBK")
    assertContains(response, ">Samhällsbyggnadskontoret</h2>")
    assertNotContains(response, ">Kommunstyrelsekontoret</h2>")
    assertNotContains(response, HYRES)
    assertContains(response, 'aria-current="page">Samhällsbyggnadskontoret</a>')
    sbk = Assignment.objects.filter(goal_area__key="2022-ma1", plan__key="SBK-2022").first()
    assertContains(response, sbk.title)


def test_goal_area_page_with_an_unknown_office_code_is_not_found(client):
    response = client.get(url("pages:goalarea_detail", "2022-ma1") + "?office=NOPE")
    assert response.status_code == 404


def test_goal_area_page_query_count_does_not_grow_with_the_goal_area(
    client, django_assert_max_num_queries
):
    page = url("pages:goalarea_detail", "2022-ma1")
    with django_assert_max_num_queries(GOAL_AREA_QUERIES) as before:
        client.get(page)
    multiply_seed(3)
    with django_assert_max_num_queries(GOAL_AREA_QUERIES) as after:
        response = client.get(page)
    assert len(after.captured_queries) == len(before.captured_queries)
    assertContains(response, 'id="assignment-ksk-2022-1.1-u1', count=3)
    with django_assert_max_num_queries(GOAL_AREA_QUERIES):
        client.get(page + "?office=KSK")


# --- Objective -------------------------------------------------------------------------------


def test_objective_page_shows_only_that_objectives_items(client):
    response = client.get(url("pages:objective_detail", "2022-1.1"))
    assertContains(response, "<h1>En ekonomi i balans</h1>")
    assertContains(response, HYRES)
    assertContains(response, "Budgetföljsamhet (grad av budgetavvikelse i % per nämnd)")
    other = Assignment.objects.get(key="ksk-2022-1.2-u2")
    assertNotContains(response, other.title)
    assertContains(response, f'href="{url("pages:goalarea_detail", "2022-ma1")}"')


def test_objective_page_filtered_to_an_office_shows_only_that_office(client):
    response = client.get(url("pages:objective_detail", "2022-1.1") + "?office=KSK")
    assertContains(response, ">Kommunstyrelsekontoret</h2>")
    assertNotContains(response, ">Samhällsbyggnadskontoret</h2>")
    assert client.get(url("pages:objective_detail", "2022-1.1") + "?office=X").status_code == 404


def test_objective_page_query_count_does_not_grow_with_the_objective(
    client, django_assert_max_num_queries
):
    page = url("pages:objective_detail", "2022-1.1")
    with django_assert_max_num_queries(OBJECTIVE_QUERIES) as before:
        client.get(page)
    multiply_seed(3)
    with django_assert_max_num_queries(OBJECTIVE_QUERIES) as after:
        response = client.get(page)
    assert len(after.captured_queries) == len(before.captured_queries)
    assertContains(response, "Låneskuld (i kommun), kr per invånare</a>", count=3)


# --- Assignment and action -------------------------------------------------------------------


def test_assignment_page_shows_the_assignment_its_actions_and_its_place_in_the_plan(client):
    response = client.get(url("pages:assignment_detail", "ksk-2022-1.1-u1"))
    assertContains(response, HYRES)
    assertContains(response, "Kommunstyrelsen tolkar det som att uppdraget består av två")
    assertContains(response, "Uppdrag från KF")
    assertContains(response, Action.objects.get(key="ksk-2022-1.1-u1-a1").get_absolute_url())
    assertContains(response, f'<nav class="breadcrumbs wrap" aria-label="{sv("Breadcrumbs")}">')
    html = response.content.decode()
    trail = [
        url("pages:plan_detail", "KS-2022"),
        url("pages:plan_detail", "KSK-2022"),
        url("pages:goalarea_detail", "2022-ma1") + "?office=KSK",
        url("pages:objective_detail", "2022-1.1") + "?office=KSK",
    ]
    positions = [html.index(f'href="{link}"') for link in trail]
    assert positions == sorted(positions)


def test_assignment_page_shows_origin_notes_and_focus_areas(client):
    response = client.get(url("pages:assignment_detail", "ksk-2022-1.2-u1"))
    assertContains(response, "kvarstår från tidigare år")
    tsk = Assignment.objects.exclude(notes=[]).first()
    response = client.get(tsk.get_absolute_url())
    assertContains(response, tsk.notes[0])


def test_assignment_page_query_count_does_not_grow_with_its_actions(
    client, django_assert_max_num_queries
):
    assignment = Assignment.objects.get(key="ksk-2022-1.1-u1")
    with django_assert_max_num_queries(ASSIGNMENT_QUERIES) as before:
        client.get(assignment.get_absolute_url())
    action = Action.objects.select_related("plan").get(key="ksk-2022-1.1-u1-a1")
    for n in range(3):
        copy_action(Action.objects.select_related("plan").get(pk=action.pk), f"-extra{n}")
    assignment.focus_areas.set(FocusArea.objects.all())
    with django_assert_max_num_queries(ASSIGNMENT_QUERIES) as after:
        response = client.get(assignment.get_absolute_url())
    assert len(after.captured_queries) == len(before.captured_queries)
    assertContains(response, "ksk-2022-1.1-u1-a1-extra2")


def test_action_page_shows_criterion_responsibility_and_dates_as_people_read_them(client):
    response = client.get(url("pages:action_detail", "ksk-2022-1.1-u1-a1"))
    assertContains(response, "Ny eller uppdaterad hyressättningsmodell är beslutad i KS/KF.")
    assertContains(response, "KSK stab bidrar till arbetet. TKN är huvudansvarig.")
    assertContains(response, f"Teknik- och klimatnämnden (TKN): {sv('lead')}")
    assertContains(response, f"Stab (KSK stab): {sv('contributing')}")
    assertContains(response, '<time datetime="2021">Påbörjat 2021</time>')
    assertContains(response, '<time datetime="2022-12-31">31 december 2022</time>')
    assertNotContains(response, "parsed-date")  # how verksam read them: for controllers
    assertContains(response, HYRES)  # the assignment, linked


def test_the_plans_controller_sees_the_dates_as_printed_and_as_read(client):
    client.force_login(make_user("carl", controller="KSK"))
    response = client.get(url("pages:action_detail", "ksk-2022-1.1-u1-a1"))
    assertContains(response, "Tryckt ”Påbörjat 2021”, läst som 2021-01-01 (år)")
    assertContains(response, "Tryckt ”2022-12-31”, läst som 2022-12-31 (dag)")


def test_action_page_shows_a_month_precision_and_remarks_on_odd_dates(client):
    month = Action.objects.filter(end_precision="month").first()
    response = client.get(month.get_absolute_url())
    assertContains(response, f'<time datetime="{month.end_date:%Y-%m}">')
    typo = client.get(url("pages:action_detail", "ksk-2022-1.2-u2-a1"))
    assertContains(typo, '<time datetime="2202-12-31">31 december 2202</time>')
    assertContains(typo, "året 2202 är orimligt")


def test_action_page_query_count_does_not_grow_with_units_and_focus_areas(
    client, django_assert_max_num_queries
):
    action = Action.objects.get(key="ksk-2022-1.1-u1-a1")
    with django_assert_max_num_queries(ACTION_QUERIES) as before:
        client.get(action.get_absolute_url())
    taken = set(action.responsibilities.values_list("unit", flat=True))
    for unit in OrgUnit.objects.exclude(pk__in=taken)[:5]:
        ActionResponsibility.objects.create(action=action, unit=unit, role="contributing")
    action.focus_areas.set(FocusArea.objects.all())
    with django_assert_max_num_queries(ACTION_QUERIES) as after:
        response = client.get(action.get_absolute_url())
    assert len(after.captured_queries) == len(before.captured_queries)
    assertContains(response, FocusArea.objects.last().title)


# --- Visibility ------------------------------------------------------------------------------

DRAFT_OFFICE_PAGES = [
    ("pages:plan_detail", "KSK-2022"),
    ("pages:assignment_detail", "ksk-2022-1.1-u1"),
    ("pages:action_detail", "ksk-2022-1.1-u1-a1"),
]
DRAFT_BOARD_PAGES = [
    ("pages:plan_detail", "KS-2022"),
    ("pages:plan_detail", "SBK-2022"),
    ("pages:goalarea_detail", "2022-ma1"),
    ("pages:objective_detail", "2022-1.1"),
    ("pages:assignment_detail", "sbk-2022-1.2-u1"),
]


@pytest.mark.parametrize(("name", "key"), DRAFT_OFFICE_PAGES)
def test_items_of_a_draft_plan_are_not_found_for_anonymous_visitors(client, name, key):
    make_draft("KSK-2022")
    assert client.get(url(name, key)).status_code == 404


@pytest.mark.parametrize(("name", "key"), DRAFT_BOARD_PAGES)
def test_a_draft_board_plan_hides_its_goal_areas_and_parts_from_anonymous_visitors(
    client, name, key
):
    make_draft("KS-2022")
    assert client.get(url(name, key)).status_code == 404


@pytest.mark.parametrize(("name", "key"), DRAFT_OFFICE_PAGES + DRAFT_BOARD_PAGES)
def test_items_of_a_draft_plan_are_visible_to_a_logged_in_user(client, admin_user, name, key):
    make_draft("KSK-2022")
    make_draft("KS-2022")
    client.force_login(admin_user)
    assert client.get(url(name, key)).status_code == 200


def test_goal_area_page_leaves_out_a_draft_office_part_for_anonymous_visitors(client):
    make_draft("KSK-2022")
    response = client.get(url("pages:goalarea_detail", "2022-ma1"))
    assertNotContains(response, HYRES)
    assertContains(response, ">Samhällsbyggnadskontoret</h2>")
    page = url("pages:goalarea_detail", "2022-ma1") + "?office=KSK"
    assert client.get(page).status_code == 404


def test_goal_area_page_prints_indicator_tables_as_the_documents_do(client):
    html = client.get(url("pages:goalarea_detail", "2022-ma5")).content.decode()
    # One column order: Utfall 2021 before the targets, though the table's first row has none.
    caption = html.index("<caption>Indikatorer till Inriktningsmål 5.1</caption>")
    labels = ["Utfall 2020", "Utfall 2021", "Målvärde 2022", "Målvärde 2023", "Målvärde 2024"]
    positions = [html.index(f'<th scope="col">{label}</th>', caption) for label in labels]
    assert positions == sorted(positions)
    assert "10:52 min" in html  # as printed, not 10,8667 min
    html = client.get(url("pages:goalarea_detail", "2022-ma2")).content.decode()
    note = "Uppföljning med dessa indikatorer försvåras"
    assert html.count(note) == 1  # a note three rows share, printed once under the table


def test_plan_page_keeps_an_indicator_tables_empty_columns(client):
    html = client.get(url("pages:plan_detail", "KS-2022")).content.decode()
    caption = html.index("<caption>Lönestrategiska prioriteringar</caption>")
    end = html.index("</table>", caption)
    for label in ["Målvärde 2021", "Målvärde 2022", "Källa", "Mätintervall"]:
        assert f'<th scope="col">{label}</th>' in html[caption:end]
