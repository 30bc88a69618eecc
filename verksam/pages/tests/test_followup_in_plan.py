"""The follow-up inside the plan: each item's latest status and each indicator's latest outcome
with its assessment on the plan, goal-area and objective pages and the indicator list, the
status filter of those pages, the plan page's figures per goal area, and who sees what."""

import re
from html import unescape

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from verksam.followup.item_followup import with_readable_outcomes, with_readable_reports
from verksam.followup.models import IndicatorOutcome, ReportingPeriod, StatusChoice, StatusReport
from verksam.indicators.models import Indicator
from verksam.plans.models import Action, Assignment, Plan
from verksam.testing import (
    assert_accessible_structure,
    close_round,
    example_controller,
    multiply_seed,
)

pytestmark = pytest.mark.django_db

BOARD = reverse("pages:plan_detail", args=["KS-2022"])
OFFICE = reverse("pages:plan_detail", args=["KSK-2022"])
# 1 the plan, 2 its parts, 3 its sections, 4 the indicators of the plan and its parts,
# 5 their values, 6 the outcomes the visitor may read, 7 governing documents, 8 goal areas,
# 9-11 assignments, actions and indicators per goal area, 12-13 assignments and actions
# counted by latest status, 14 carried-over assignments, 15 the amendments.
BOARD_PLAN_QUERIES = 15
# Filtered by a status: 16 the assignments and 17 the actions with it (none for an anonymous
# visitor in an open round; found ones add a query per kind for their reports).
FILTERED_PLAN_QUERIES = 17
# A reader adds 1 the session, 2 the user, 3 units and 4 memberships (the role scopes), and the
# amendments' and review's reads of a signed-in user.
GOAL_AREA = reverse("pages:goalarea_detail", args=["2022-ma1"])
OBJECTIVE = reverse("pages:objective_detail", args=["2022-1.1"])
INDICATORS = reverse("pages:indicator_list")
FIGURE = re.compile(r'<td class="num"><a href="([^"]+)">(\d+)</a></td>')


@pytest.fixture
def april(db, example_round_once) -> ReportingPeriod:
    """The demo's example April round (open, half reported) (loaded once for the module)."""
    return ReportingPeriod.objects.get(pk=example_round_once)


@pytest.fixture
def reader(client, make_user):
    """Politicians read the whole board's plan: a reader at KS."""
    client.force_login(make_user("polly", reader="KS"))
    return client


def reported(period: ReportingPeriod, status: str) -> StatusReport:
    report = (
        StatusReport.objects.filter(
            period=period, status=status, action__isnull=False, action__goal_area__key="2022-ma1"
        )
        .select_related("action")
        .first()
    )
    assert report is not None
    return report


def test_a_reader_sees_each_actions_latest_status_on_the_goal_area_page(reader, april):
    report = reported(april, StatusChoice.DONE)
    response = reader.get(GOAL_AREA)
    html = response.content.decode()
    row = html[html.index(report.action.get_absolute_url()) :]
    assert 'class="status status--done"' in row[: row.index("</tr>")]
    assert str(april) in row[: row.index("</tr>")]


def test_anonymous_visitors_see_no_status_of_an_open_round(client, april):
    response = client.get(GOAL_AREA)
    assertNotContains(response, 'class="status status--done"')
    assertContains(response, "ingen rapport att visa")
    assertNotContains(client.get(BOARD), 'id="followup-status"')


def test_a_person_without_a_role_sees_what_anonymous_visitors_see(client, make_user, april):
    client.force_login(make_user("nobody"))
    assertNotContains(client.get(GOAL_AREA), 'class="status status--done"')


def test_a_department_reads_its_own_items_status_but_not_the_others(client, make_user, april):
    eva = make_user("eva", reader="KSK-EKONOMI")
    client.force_login(eva)
    reached = Action.objects.reached_by(eva)
    reports = StatusReport.objects.filter(
        period=april, action__goal_area__key="2022-ma1"
    ).select_related("action")
    html = client.get(GOAL_AREA).content.decode()

    def row(action: Action) -> str:
        rest = html[html.index(f'href="{action.get_absolute_url()}"') :]
        return rest[: rest.index("</tr>")]

    other = reports.exclude(action__in=reached).first()
    assert "ingen rapport att visa" in row(other.action)
    own = reports.filter(action__in=reached).first()
    if own is not None:
        assert f"status--{own.status}" in row(own.action)


def test_closing_the_round_shows_its_statuses_and_outcomes_to_everyone(client, april):
    close_round(april, actor=example_controller())
    response = client.get(GOAL_AREA)
    assertContains(response, 'class="status status--done"')
    outcome = IndicatorOutcome.objects.filter(
        period=april, indicator__goal_area__key="2022-ma1"
    ).first()
    if outcome is not None:
        assertContains(response, 'class="latest-outcome"')
    assertContains(client.get(BOARD), 'id="followup-status"')


def test_an_indicator_row_shows_its_latest_outcome_its_round_and_its_assessment(reader, april):
    indicator = Indicator.objects.filter(plan__in=april.plans(), goal_area__key="2022-ma1").first()
    IndicatorOutcome.objects.update_or_create(
        period=april, indicator=indicator, defaults={"raw": "12"}
    )
    html = reader.get(GOAL_AREA).content.decode()
    row = html[html.index(indicator.get_absolute_url()) :]
    row = row[: row.index("</tr>")]
    assert '<span class="latest-outcome__value">12</span>' in row
    assert 'class="attainment attainment--' in row
    assert str(april) in row


def test_the_indicator_list_shows_the_latest_outcome(reader, april):
    indicator = Indicator.objects.filter(plan__in=april.plans()).order_by("name").first()
    IndicatorOutcome.objects.update_or_create(
        period=april, indicator=indicator, defaults={"raw": "7"}
    )
    response = reader.get(INDICATORS, {"plan": "KS-2022", "sort": "name"})
    assertContains(response, '<span class="latest-outcome__value">7</span>')


def test_the_goal_area_filtered_by_status_shows_only_items_with_that_latest_status(reader, april):
    done = reported(april, StatusChoice.DONE)
    not_done = (
        StatusReport.objects.filter(period=april, action__goal_area__key="2022-ma1")
        .exclude(status=StatusChoice.DONE)
        .select_related("action")
        .first()
    )
    response = reader.get(GOAL_AREA, {"status": "done"})
    assert response.status_code == 200
    assertContains(response, done.action.get_absolute_url())
    assertNotContains(response, not_done.action.get_absolute_url())
    assertNotContains(response, 'class="indicators"')
    assertContains(response, '<option value="done" selected>')
    assert_accessible_structure(response.content.decode())


def test_the_objective_filtered_by_not_reported_leaves_out_the_reported(reader, april):
    response = reader.get(OBJECTIVE, {"status": "not_reported"})
    for report in StatusReport.objects.filter(period=april, action__objective__key="2022-1.1"):
        assertNotContains(response, f'href="{report.action.get_absolute_url()}"')
    unreported = (
        Action.objects.filter(objective__key="2022-1.1", assignment__isnull=True)
        .exclude(status_reports__period=april)
        .first()
    )
    if unreported is not None:
        assertContains(response, unreported.get_absolute_url())


def test_an_unknown_status_is_a_bad_request_that_says_so(reader):
    for url in (BOARD, GOAL_AREA, OBJECTIVE):
        response = reader.get(url, {"status": "nonsense"})
        assert response.status_code == 400
        assertContains(response, "nonsense", status_code=400)


def test_the_filter_keeps_the_chosen_office(reader, april):
    response = reader.get(GOAL_AREA, {"office": "KSK", "status": "done"})
    assertContains(response, '<input type="hidden" name="office" value="KSK">')
    assertContains(response, "?office=SBK&amp;status=done")


def test_plan_page_counts_items_by_latest_status_per_goal_area_with_links_that_filter(
    reader, april
):
    html = reader.get(BOARD).content.decode()
    section = html[html.index('id="followup-status"') : html.index('id="followup-assessment"')]
    figures = FIGURE.findall(section)
    assert figures
    family = Plan.objects.family(april.plan)
    done = StatusReport.objects.filter(period=april, status=StatusChoice.DONE).count()
    assert sum(int(n) for url, n in figures if url.endswith("status=done")) == done
    # A goal area's figure opens the goal area's page filtered to it, with that many items.
    url, n = next((u, n) for u, n in figures if "/goal-areas/" in u and "status=done" in u)
    page = reader.get(unescape(url)).content.decode()
    shown = sum(
        page.count(f'href="{item.get_absolute_url()}"') > 0
        for model in (Action, Assignment)
        for item in model.objects.filter(plan__in=family, status_reports__status="done")
    )
    assert shown == int(n)


def test_plan_page_filtered_by_a_status_lists_those_items(reader, april):
    response = reader.get(BOARD, {"status": "done"})
    done = StatusReport.objects.filter(period=april, status=StatusChoice.DONE)
    for report in done.select_related("action", "assignment"):
        assertContains(response, report.item.get_absolute_url())
    assert len(response.context["followup"].items) == done.count()


def test_office_plan_links_its_figures_to_goal_areas_filtered_to_the_office(reader, april):
    html = reader.get(OFFICE).content.decode()
    assert "office=KSK&amp;status=" in html


def test_the_pages_read_only_each_items_latest_report_and_outcome(april):
    """Earlier rounds' reports and outcomes are not read (the board plan at 100× the seed, with
    years of rounds, took minutes building every one of them)."""
    earlier = ReportingPeriod.objects.create(
        plan=april.plan,
        key="KS-2021-t1",
        kind=april.kind,
        as_of=april.as_of.replace(year=2021),
        deadline=april.deadline.replace(year=2021),
        status=ReportingPeriod.Status.CLOSED,
    )
    for model in (StatusReport, IndicatorOutcome):
        rows = list(model.objects.filter(period=april))
        for row in rows:
            row.pk, row.period = None, earlier
        model.objects.bulk_create(rows)
    controller = example_controller()
    actions = with_readable_reports(Action.objects.filter(status_reports__period=april), controller)
    assert {(len(a.readable_reports), a.readable_reports[0].period) for a in actions} == {
        (1, april)
    }
    for every in (False, True):  # a page of a list, every indicator of a plan
        indicators = with_readable_outcomes(
            Indicator.objects.filter(outcomes__period=april), controller, every=every
        )
        latest = {(len(i.readable_outcomes), i.readable_outcomes[0].period) for i in indicators}
        assert latest == {(1, april)}


def test_the_plan_pages_run_as_many_queries_at_ten_times_the_seed(
    client, make_user, april, django_assert_num_queries
):
    """An anonymous visitor's board plan, and a reader's pages, at the seed and at ten times
    it (multiplied once for both)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    polly = make_user("polly", reader="KS")
    pages = [
        (BOARD, {}),
        (BOARD, {"status": "delayed"}),
        (BOARD, {"status": "met"}),
        (OFFICE, {}),
        (GOAL_AREA, {}),
        (GOAL_AREA, {"status": "done"}),
        (OBJECTIVE, {"status": "not_reported"}),
        (INDICATORS, {}),
    ]

    def counts() -> dict[str, int]:
        client.logout()
        with django_assert_num_queries(BOARD_PLAN_QUERIES, info="anonymous, the board's plan"):
            client.get(BOARD)
        with django_assert_num_queries(FILTERED_PLAN_QUERIES, info="anonymous, filtered"):
            client.get(BOARD, {"status": "done"})
        client.force_login(polly)
        result = {}
        for url, query in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, query).status_code == 200
            result[f"a reader at {url} {query}"] = len(queries)
        return result

    before = counts()
    multiply_seed(10)
    assert counts() == before


def test_the_overview_shows_each_goal_areas_attainment_as_tiles_and_a_table(reader, april):
    response = reader.get(reverse("pages:plan_overview", args=["KS-2022"]))
    assertContains(response, 'id="followup-attainment"')
    html = response.content.decode()
    tiles = html.count('class="goal-tile goal-tile--')
    assert tiles == april.plan.goal_areas.count()
    section = html[
        html.index('id="followup-attainment"') : html.index('id="followup-completeness"')
    ]
    assert section.count('<td><span class="attainment attainment--') == tiles
    assert section.count('aria-hidden="true">') >= tiles  # the symbol beside each word


def test_anonymous_visitors_get_no_attainment_of_an_open_round_on_the_overview(client, april):
    assertNotContains(
        client.get(reverse("pages:plan_overview", args=["KS-2022"])), 'id="followup-attainment"'
    )


def test_the_filter_is_a_labelled_select_grouped_by_kind(reader):
    response = reader.get(GOAL_AREA)
    assertContains(response, '<label for="state-status">Senaste status eller bedömning</label>')
    assertContains(response, '<optgroup label="Åtgärder och uppdrag: senaste status">')
    assertContains(response, '<optgroup label="Indikatorer: senaste bedömning">')


def test_the_goal_area_filtered_by_an_assessment_shows_only_those_indicators(reader, april):
    indicators = Indicator.objects.filter(plan__in=april.plans(), goal_area__key="2022-ma1")
    IndicatorOutcome.objects.filter(period=april, indicator__in=indicators).delete()
    shown, other = indicators[0], indicators[1]
    IndicatorOutcome.objects.create(
        period=april, indicator=shown, raw="5", manual_attainment="met", manual_motivation="Ja."
    )
    response = reader.get(GOAL_AREA, {"status": "met"})
    assertContains(response, f'href="{shown.get_absolute_url()}"')
    assertNotContains(response, f'href="{other.get_absolute_url()}"')
    assertNotContains(response, 'class="actions"')
    html = reader.get(GOAL_AREA, {"status": "no_outcome"}).content.decode()
    assert f'href="{other.get_absolute_url()}"' in html
    assert f'href="{shown.get_absolute_url()}"' not in html
