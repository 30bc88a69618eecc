"""The overview of a plan: figures per office and goal area, each a link to its list."""

import re
from datetime import date
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from verksam.followup.item_followup import NO_OUTCOME, NOT_REPORTED
from verksam.followup.models import (
    Attainment,
    IndicatorOutcome,
    ReportingPeriod,
    StatusChoice,
    StatusReport,
)
from verksam.indicators.models import Indicator
from verksam.pages.charts import Segment, stacked_bars
from verksam.pages.overview import LATE_SHOWN, FollowupColumn, FollowupTable, Row
from verksam.plans.models import Action, Assignment, Plan
from verksam.testing import (
    assert_accessible_structure,
    make_draft,
    matches,
    multiply_seed,
    squash,
)

pytestmark = pytest.mark.django_db

# 1 the plan, 2 its family, 3 goal areas, 4-7 one grouped count per measure (assignments,
# actions, late actions, indicators), 8 the latest closed follow-up period, 9 the first late
# actions.
OVERVIEW_QUERIES = 9
# A controller: 1 the session, 2 the user, 3 units and 4 memberships for the role scopes,
# 5-11 as above without the closed period (plan, family, goal areas, four counts), 12 the
# round to show (open first), 13 action and 14 assignment statuses counted, 15 the outcomes,
# 16 their indicators' target values, 17 the board plan (whether its round may be seen),
# 18-19 the round's economy (`economy_totals`: the sums per office, the offices), 20 the
# board's owner (the board's total), 21 the first late actions;
# and 20 for the goal areas' attainment, read as the home reads it (`glance.round_data_for`,
# counted in SQL by `followup.tallies`): the indicators' responsible units and those units,
# the round's outcomes and their targets, its judgements, the assignments' objectives, the
# assignments with open actions, the late actions, the indicators, goal areas, objectives and
# family, the readable actions, assignments and indicators counted and read (six), the
# readable plans and the goal areas.
GOAL_AREA_TILES_QUERIES = 20
CONTROLLER_QUERIES = 21 + GOAL_AREA_TILES_QUERIES
BOARD = reverse("pages:plan_overview", args=["KS-2022"])
OFFICE = reverse("pages:plan_overview", args=["KSK-2022"])
FIGURE = re.compile(r'<td class="num"><a href="([^"]+)">(\d+)</a></td>')


def test_overview_is_accessible_and_refuses_a_post(client):
    response = client.get(BOARD)
    assert response.status_code == 200
    assert_accessible_structure(response.content.decode())
    assert client.post(BOARD).status_code == 405


def test_board_overview_counts_each_office_as_the_database_does(client):
    response = client.get(BOARD)
    today = date.today()
    ksk = [
        Assignment.objects.filter(plan__key="KSK-2022").count(),
        Action.objects.filter(plan__key="KSK-2022").count(),
        Action.objects.filter(plan__key="KSK-2022").late(on=today).count(),
        Indicator.objects.filter(plan__key="KSK-2022").count(),
    ]
    row = '<th scope="row"><a href="#office-ksk">Kommunstyrelsekontoret</a></th>' + "".join(
        f'<td class="num"><a href="{url}?plan=KS-2022&amp;office=KSK{extra}">{n}</a></td>'
        for url, extra, n in zip(
            ["/assignments/", "/actions/", "/actions/", "/indicators/"],
            ["", "", "&amp;late=on", ""],
            ksk,
            strict=True,
        )
    )
    assert squash(row) in squash(response.content.decode())
    total = f'<td class="num"><a href="/indicators/?plan=KS-2022">{Indicator.objects.count()}</a>'
    assertContains(response, total)


def test_every_figure_links_to_a_list_with_that_many_items(client):
    figures = FIGURE.findall(client.get(BOARD).content.decode())
    assert len(figures) > 40
    for url, count in figures[:: max(1, len(figures) // 12)]:
        assertContains(client.get(unescape(url)), matches(int(count)))


def test_goal_area_rows_link_to_lists_filtered_by_office_and_goal_area(client):
    response = client.get(OFFICE)
    n = Assignment.objects.filter(plan__key="KSK-2022", goal_area__key="2022-ma1").count()
    assertContains(
        response,
        f'<a href="/assignments/?plan=KS-2022&amp;office=KSK&amp;goal_area=2022-ma1">{n}</a>',
    )
    assertNotContains(response, "office=SBK")


def test_overview_lists_the_first_late_actions_and_links_to_all(client):
    response = client.get(BOARD)
    late = Action.objects.late(on=date.today()).order_by("end_date", "pk")
    assert late.count() > LATE_SHOWN
    assertContains(response, late.first().get_absolute_url())
    assertContains(response, 'href="/actions/?plan=KS-2022&amp;late=on"', count=2)
    html = response.content.decode()
    late_list = html[html.index('class="late-list"') :]
    assert late_list[: late_list.index("</ul>")].count("<li>") == LATE_SHOWN


def test_overview_says_so_when_nothing_is_late(client):
    Action.objects.update(end_date=None, end_precision="")
    response = client.get(BOARD)
    assertNotContains(response, 'class="late-list"')


def test_overview_query_count_is_the_same_at_ten_times_the_seed(client, django_assert_num_queries):
    with django_assert_num_queries(OVERVIEW_QUERIES):
        client.get(BOARD)
    multiply_seed(10)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(BOARD)
    assertContains(response, f">{Assignment.objects.count()}</a>")


def test_overview_of_a_draft_plan_is_not_found_for_anonymous_visitors(client, admin_user):
    make_draft("KS-2022")
    assert client.get(BOARD).status_code == 404
    client.force_login(admin_user)
    assert client.get(BOARD).status_code == 200


def test_plan_page_and_home_link_to_the_overview(client):
    assertContains(client.get(reverse("pages:plan_detail", args=["KSK-2022"])), OFFICE)
    assertContains(client.get(reverse("pages:home")), BOARD)


# --- Follow-up figures ---------------------------------------------------------------------


@pytest.fixture
def april(db, example_round_once) -> ReportingPeriod:
    """The demo's example April round (open) (loaded once for the module)."""
    return ReportingPeriod.objects.get(pk=example_round_once)


@pytest.fixture
def controller(client, make_user):
    client.force_login(make_user("carl", controller="KS"))
    return client


def report_the_rest(period: ReportingPeriod) -> None:
    """Reports for every item of the round that has none (bulk, as at ten times the seed)."""
    family = Plan.objects.family(period.plan)
    for model, kind in ((Action, "action"), (Assignment, "assignment")):
        reported = StatusReport.objects.filter(period=period, **{f"{kind}__isnull": False})
        reported = reported.values(kind)
        StatusReport.objects.bulk_create(
            StatusReport(period=period, status=StatusChoice.ON_TRACK, **{kind: item})
            for item in model.objects.filter(plan__in=family).exclude(pk__in=reported)
        )
    with_outcome = IndicatorOutcome.objects.filter(period=period).values("indicator")
    IndicatorOutcome.objects.bulk_create(
        IndicatorOutcome(period=period, indicator=indicator, raw="5")
        for indicator in Indicator.objects.filter(plan__in=family).exclude(pk__in=with_outcome)
    )


def test_anonymous_visitors_see_no_open_round(client, april):
    assertNotContains(client.get(BOARD), 'id="followup"')


def test_overview_counts_actions_by_status_in_the_open_round_with_links_to_the_list(
    controller, april
):
    response = controller.get(BOARD)
    assertContains(response, 'id="followup"')
    assertContains(response, 'class="status status--done">Klar<')
    done = StatusReport.objects.filter(period=april, status=StatusChoice.DONE, action__isnull=False)
    query = f"plan=KS-2022&amp;period={april.key}&amp;status=done"
    assertContains(response, f'<a href="/actions/?{query}">{done.count()}</a>')
    family = Plan.objects.family(april.plan)
    unreported = (
        Action.objects.filter(plan__in=family).count()
        - StatusReport.objects.filter(period=april, action__isnull=False).count()
    )
    query = f"plan=KS-2022&amp;period={april.key}&amp;status=not_reported"
    assertContains(response, f'<a href="/actions/?{query}">{unreported}</a>')
    assertContains(response, f'href="{reverse("followup:period_board", args=[april.key])}"')


def test_every_status_figure_links_to_a_list_with_that_many_items(controller, april):
    html = controller.get(BOARD).content.decode()
    figures = [(url, n) for url, n in FIGURE.findall(html) if "status=" in url]
    assert len(figures) > 20
    for url, count in figures[:: max(1, len(figures) // 8)]:
        assertContains(controller.get(unescape(url)), matches(int(count)))


def test_every_assessment_figure_links_to_a_list_with_that_many_indicators(controller, april):
    html = controller.get(BOARD).content.decode()
    figures = [(url, n) for url, n in FIGURE.findall(html) if "assessment=" in url]
    assert len(figures) > 10
    assert any("goal_area=-" in url for url, _n in figures)  # the plan as a whole
    for url, count in figures:
        assertContains(controller.get(unescape(url)), matches(int(count)))


def test_overview_counts_indicators_by_assessment_and_the_reported_share(controller, april):
    report_the_rest(april)
    response = controller.get(BOARD)
    assertContains(response, 'class="attainment attainment--met"')
    assertContains(response, 'id="followup-indicator"')
    expected = sum(
        model.objects.filter(plan__in=Plan.objects.family(april.plan)).count()
        for model in (Action, Assignment, Indicator)
    )
    assertContains(response, f'<td class="num">{expected}</td>', count=2)
    assertContains(response, '<td class="num">100 %</td>')


def test_a_reporter_does_not_get_the_link_to_the_completeness_board(client, make_user, april):
    client.force_login(make_user("anna", reporter="KS"))
    response = client.get(BOARD)
    assertContains(response, 'id="followup"')
    assertNotContains(response, reverse("followup:period_board", args=[april.key]))


def test_a_department_sees_no_figures_of_the_open_round_which_are_drafts(client, make_user, april):
    client.force_login(make_user("anna", reporter="KSK-EKONOMI"))
    assertNotContains(client.get(BOARD), 'id="followup"')


def test_follow_up_figures_run_a_fixed_number_of_queries_at_ten_times_the_seed(
    controller, april, django_assert_num_queries
):
    with django_assert_num_queries(CONTROLLER_QUERIES):
        controller.get(BOARD)
    multiply_seed(10)
    report_the_rest(april)
    with django_assert_num_queries(CONTROLLER_QUERIES):
        response = controller.get(BOARD)
    assertContains(response, 'id="followup-indicator"')


def test_the_overview_draws_actions_by_status_per_goal_area_with_the_same_figures_in_a_table(
    controller, april
):
    response = controller.get(BOARD)
    table = next(t for t in response.context["followup_tables"] if t.kind == "action")
    family = Plan.objects.family(april.plan)
    for row in table.by_area:
        assert row.goal_area is None or sum(f.count for f in row.figures) == (
            Action.objects.filter(plan__in=family, goal_area=row.goal_area).count()
        )
    chart_rows = table.chart.rows
    assert [r.total for r in chart_rows] == [sum(f.count for f in r.figures) for r in table.by_area]
    done = StatusReport.objects.filter(period=april, status=StatusChoice.DONE, action__isnull=False)
    drawn = sum(s.count for r in chart_rows for s in r.segments if s.key == StatusChoice.DONE)
    assert drawn == done.count()
    assertContains(response, 'fill="url(#stack-done)"')
    assertContains(response, 'id="caption-action-areas"')
    # Segments are links for the eye only; the table's links serve the keyboard.
    assert 'aria-hidden="true" focusable="false"' in response.content.decode()


@pytest.mark.parametrize(
    "keys",
    [[*StatusChoice.values, NOT_REPORTED], [*Attainment.values, NO_OUTCOME]],
    ids=["statuses", "assessments"],
)
def test_each_segment_of_a_chart_has_a_pattern_of_its_own_that_reads_without_colour(keys):
    """Done and delayed (met and not met) once were both solid: the same in grey."""
    patterns = dict(
        re.findall(
            r'<pattern id="stack-(\w+)"(.*?)</pattern>',
            render_to_string("pages/_stack_patterns.html"),
        )
    )
    shapes = [re.sub(r"#[0-9a-f]{6}", "colour", patterns[key]) for key in keys]
    assert len(set(shapes)) == len(keys)


def test_a_segments_number_stands_in_a_box_as_wide_as_its_grouped_digits():
    chart = stacked_bars([("1. Ekonomi", [("done", 1234, "/actions/"), ("delayed", 9, "")])])
    table = FollowupTable(
        "action",
        [FollowupColumn("done", "status"), FollowupColumn("delayed", "status")],
        [],
        Row("", None, []),
        chart=chart,
    )
    done, delayed = chart.rows[0].segments
    assert done.box_width > 3 * delayed.box_width  # "1 234" against "9"
    assert done.has_room
    assert not Segment("done", 1234, "", 0, done.box_width).has_room
    with translation.override("sv"):
        svg = render_to_string("pages/_stacked_bars.html", {"table": table})
    assert "(1\xa0243)" in svg
    assert ">1\xa0234</text>" in svg
    assert f'width="{done.box_width:.1f}" height="16"' in svg
