"""The start page per role: a reporter's items to report, a controller's round, how the
latest round stands for people with a role, and the public plans and closed rounds' reports
for everyone; signing in lands there. Each home runs the same number of queries at 1× and
10× the seed, and shows nothing beyond what the person may read."""

import re
from datetime import date
from unittest.mock import patch

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from verksam.accounts.rules import Role, unit_ids_with_role
from verksam.core.numbers import parse_value
from verksam.followup import glance, reporting
from verksam.followup.models import ReportingPeriod
from verksam.indicators.models import Indicator, IndicatorValue
from verksam.pages.home import SHOWN
from verksam.testing import (
    PASSWORD,
    assert_accessible_structure,
    close_round,
    completeness_of_rows,
    example_controller,
    multiply_seed,
)

pytestmark = pytest.mark.django_db

HOME = reverse("pages:home")
REPORT_LINK = re.compile(r'href="/followup/periods/[^/]+/report/(\w+)/([^/]+)/"')

# Anonymous: 1 the plans, 2 the closed rounds.
ANONYMOUS_QUERIES = 2
# A reporter: 1 the session, 2 the user, 3 units and 4 memberships for the role scopes, 5 the
# open rounds; the round counted (`tallies.tally`): 6 assignments, 7 actions, 8 indicators,
# 9 the plans, 10 the units, 11 the goal areas; the first items (`glance.to_report`): 12 the
# missing and 13 the late ones (`ToReport.found`), then (`page_rows`) 14 assignments,
# 15 actions, 16 indicators, 17 the reports, 18 the outcomes, 19 their indicators' values;
# 20 the latest readable round (none), 21 the closed rounds, 22 the plans; 23 the user's and
# 24 their groups' permissions (the template).
REPORTER_QUERIES = 24
# A controller of the board: 1-4 as a reporter's, 5 the open rounds; the round's roll-up once
# (`reporting.round_roll_up`): 6-7 the indicators' responsible units and those units, 8 the
# outcomes and 9 their targets, 10 the judgements, 11 the assignments' objectives, 12-14 the
# assignments, actions and indicators as values, 15-17 the goal areas, objectives and plans;
# the round counted (`tallies.tally`): 18-20 the three kinds, 21-23 the plans, units and goal
# areas; 24 the submissions; the checks: 25 their acknowledgements, 26-28 the assignments'
# actions, the assignments with open actions, the late actions, 29 the outcomes and 30 their
# targets; the economy (`economy_totals`): 31 the sums per office and 32 the offices; 33 the
# closed rounds; how the round stands: 34 the latest readable round, 35-40 the readable
# actions, assignments and indicators (counted and read), 41 the readable plans, 42 the goal
# areas (tiles), 43 the key indicators and 44 their values; 45 the plans by year.
CONTROLLER_QUERIES = 45
# A reader of the board: 1-4 as a reporter's, 5 the open rounds, 6 the closed rounds, 7 the
# latest readable round; how it stands, as the controller's 6-17 and 35-44 (its roll-up
# computed here: 8-19, 20-29); 30 the plans by year; 31 the user's and 32 their groups'
# permissions (the template).
READER_QUERIES = 32


@pytest.fixture
def april(db, example_round_once) -> ReportingPeriod:
    """The demo's example April round (open, half reported) (loaded once for the module)."""
    return ReportingPeriod.objects.get(pk=example_round_once)


def signed_in(client, make_user, **roles):
    client.force_login(make_user("person", **roles))
    return client


def test_anonymous_visitors_see_the_public_plans_and_no_round(client, april):
    response = client.get(HOME)
    assert response.status_code == 200
    assert_accessible_structure(response.content.decode())
    assertContains(response, reverse("pages:plan_detail", args=["KS-2022"]))
    for part in ('id="report-', 'id="control-', 'id="standing"', 'id="reports"'):
        assertNotContains(response, part)


def test_anonymous_visitors_find_the_closed_rounds_reports(client, april):
    close_round(april, actor=example_controller())
    response = client.get(HOME)
    assertContains(response, 'id="reports"')
    for format_name in ("pdf", "docx", "xlsx"):
        assertContains(
            response, reverse("reports:followup_download", args=[april.key, format_name])
        )
    assertNotContains(response, 'id="standing"')


def test_a_reporter_sees_what_their_units_must_still_report_and_nothing_of_a_controller(
    client, make_user, april
):
    client = signed_in(client, make_user, reporter="KSK-STAB")
    response = client.get(HOME)
    assert_accessible_structure(response.content.decode())
    round_ = response.context["to_report"][0]
    assert round_.period == april
    assertContains(response, f"{round_.reported} av {round_.expected} rapporterade, senast 16 maj")
    links = REPORT_LINK.findall(response.content.decode())
    assert links, "the items still to report link to their forms"
    user = response.wsgi_request.user
    missing = [
        (row.kind, row.key)
        for row in reporting.rows_for(april, unit_ids_with_role(user, Role.REPORTER))
        if not row.is_reported
    ]
    assert links == missing[: len(links)]  # the first ones, in the list's order
    assert round_.missing_count == len(missing) > len(links) == SHOWN
    assertContains(response, f"{len(missing)} poster kvar att rapportera")
    assertContains(response, reverse("followup:report_list"))
    assertNotContains(response, 'id="control-')
    assertNotContains(response, reverse("followup:period_checks", args=[april.key]))
    assertNotContains(response, reverse("economy:period_economy", args=[april.key]))


def test_a_reporter_is_offered_only_items_they_may_report(client, make_user, april):
    client = signed_in(client, make_user, reporter="KSK-EKONOMI")
    response = client.get(HOME)
    user = response.wsgi_request.user
    round_ = response.context["to_report"][0]
    assert round_.missing or round_.late
    for row in [*round_.missing, *round_.late]:
        assert user.has_perm("verksam.report", row.item), row.key


def test_a_controller_sees_the_rounds_completeness_checks_judgements_and_economy(
    client, make_user, april
):
    client = signed_in(client, make_user, controller="KS")
    response = client.get(HOME)
    assert_accessible_structure(response.content.decode())
    control = response.context["controlled"][0]
    assert control.round.period == april
    units = completeness_of_rows(april, on=april.deadline)
    assert len(control.round.units) == len(units)
    assert control.round.expected == sum(len(u.rows) for u in units)
    open_findings = [f for f in reporting.findings(april) if f.acknowledgement is None]
    assertContains(response, f'<span class="figure-tiles__n">{len(open_findings)}</span>')
    for name in ("period_board", "period_checks", "period_attainment"):
        assertContains(response, reverse(f"followup:{name}", args=[april.key]))
    assertContains(response, reverse("economy:period_economy", args=[april.key]))
    assertContains(response, f'id="economy-{april.key}"')
    assertNotContains(response, 'id="report-')  # a controller's units are in their part


def test_a_controllers_home_writes_counts_as_swedish_numbers(client, make_user, april):
    """Counts of a thousand and more are grouped ("1 666 dagar sen"), as everywhere."""
    client = signed_in(client, make_user, controller="KS")
    today = date(2027, 1, 1)  # 1 691 days after the round's deadline
    with patch("django.utils.timezone.localdate", return_value=today):
        response = client.get(HOME)
    assertContains(response, "(1\xa0691 dagar sen)")
    assertNotContains(response, "1691")


def test_a_controllers_late_figure_links_to_a_list_of_as_many_late_items(client, make_user, april):
    client = signed_in(client, make_user, controller="KS")
    response = client.get(HOME)
    late = response.context["controlled"][0].round.late
    assert late > 0
    url = f"{reverse('followup:report_list')}?period={april.key}&state=late"
    assertContains(
        response,
        f'<a href="{url.replace("&", "&amp;")}"><span class="figure-tiles__n">{late}</span>',
    )
    assertContains(client.get(url), f"{late} poster visas.")


def test_a_controllers_home_computes_the_rounds_roll_up_once(client, make_user, april, monkeypatch):
    """The round's control and how it stands share one roll-up (every item of the round read
    as plain values), and show what each computes alone."""
    client = signed_in(client, make_user, controller="KS")
    computed = []
    placed_items = reporting.placed_items

    def counted(*args, **kwargs):
        computed.append(args[0])
        return placed_items(*args, **kwargs)

    monkeypatch.setattr(reporting, "placed_items", counted)
    response = client.get(HOME)
    assert computed == [april]
    control, standing = response.context["controlled"][0], response.context["standing"]
    assert standing.period == april
    goal_areas, offices = reporting.attainment_tree(april)
    assert [(s.obj, s.result) for s in control.round.goal_areas] == [
        (s.obj, s.result) for s in goal_areas
    ]
    assert [(s.obj, s.result) for s in control.round.offices] == [
        (s.obj, s.result) for s in offices
    ]
    user = response.wsgi_request.user
    alone = glance.round_data_for(april, user)
    assert standing.tiles == glance.goal_area_tiles(april, alone)
    assert standing.indicators == glance.key_indicators(april, alone)


def test_a_reader_of_the_board_sees_goal_areas_and_key_indicators_and_no_tasks(
    client, make_user, april
):
    client = signed_in(client, make_user, reader="KS")
    response = client.get(HOME)
    assert_accessible_structure(response.content.decode())
    standing = response.context["standing"]
    assert standing.period == april
    assert len(standing.tiles) == april.plan.goal_areas.count()
    assertContains(response, 'class="goal-tile goal-tile--', count=len(standing.tiles))
    assert standing.indicators
    assertContains(response, 'class="trend trend--')
    assertContains(response, reverse("reports:followup_download", args=[april.key, "pdf"]))
    for part in ('id="report-', 'id="control-'):
        assertNotContains(response, part)


def test_a_department_reader_sees_nothing_of_the_open_rounds_drafts(client, make_user, april):
    client = signed_in(client, make_user, reader="KSK-EKONOMI")
    response = client.get(HOME)
    assert response.context["standing"] is None
    assertNotContains(response, 'class="goal-tile')


def test_a_department_reader_is_shown_where_their_units_items_stand(client, make_user, april):
    client = signed_in(client, make_user, reader="KSK-EKONOMI")
    response = client.get(HOME)
    assert response.context["followed"] == april
    followup = f"{april.plan.get_absolute_url()}#followup"
    assertContains(response, f'href="{followup}"')
    assertContains(client.get(april.plan.get_absolute_url()), 'id="followup"')
    client.force_login(make_user("pia", reader="KS"))  # who reads the round as a whole
    assertNotContains(client.get(HOME), 'id="followed"')


def test_a_department_reader_sees_only_readable_outcomes_of_a_closed_round(
    client, make_user, april
):
    close_round(april, actor=example_controller())
    client = signed_in(client, make_user, reader="KSK-EKONOMI")
    standing = client.get(HOME).context["standing"]
    assert standing.period == april
    readable = reporting.readable(april, client.get(HOME).wsgi_request.user)
    for key in standing.indicators:
        assert readable.item("indicator", key.indicator.key)


def test_signing_in_lands_on_the_home(client, make_user):
    make_user("anna", reporter="KSK-STAB")
    response = client.post(reverse("accounts:login"), {"username": "anna", "password": PASSWORD})
    assertRedirects(response, HOME)


def test_the_home_refuses_a_post(client):
    assert client.post(HOME).status_code == 405


def test_homes_run_the_same_number_of_queries_at_ten_times_the_seed(
    client, make_user, april, django_assert_num_queries
):
    reporter = make_user("rasmus", reporter="KSK-STAB")
    controller = make_user("clara", controller="KS")
    reader = make_user("rut", reader="KS")

    def counts() -> list[int]:
        found = []
        for user in (None, reporter, controller, reader):
            client.logout()
            if user is not None:
                client.force_login(user)
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                assert client.get(HOME).status_code == 200
            found.append(len(queries))
        return found

    once = counts()
    multiply_seed(10)
    assert counts() == once
    assert once == [ANONYMOUS_QUERIES, REPORTER_QUERIES, CONTROLLER_QUERIES, READER_QUERIES]


@pytest.mark.parametrize(
    ("direction", "before", "now", "expected"),
    [
        (Indicator.Direction.HIGHER, "17,6 %", "21,6 %", glance.Trend.BETTER),
        (Indicator.Direction.HIGHER, "4,0", "2,4 %", glance.Trend.WORSE),
        (Indicator.Direction.LOWER, "169", "130", glance.Trend.BETTER),
        (Indicator.Direction.LOWER, "5", "5", glance.Trend.SAME),
        # A target value (budget compliance at 0 %): the direction does not say which is better.
        (Indicator.Direction.TARGET, "0,0%", "0,4 %", glance.Trend.HIGHER),
        (Indicator.Direction.QUALITATIVE, "12", "8", glance.Trend.LOWER),
        (Indicator.Direction.HIGHER, "-", "8 120", glance.Trend.UNKNOWN),
    ],
)
def test_a_key_indicators_trend_says_better_or_worse_only_when_its_direction_tells(
    direction, before, now, expected
):
    indicator = Indicator(direction=direction)
    previous = IndicatorValue(raw=before, number=parse_value(before).number)
    assert glance.trend(indicator, now, previous) == expected
    if expected in (glance.Trend.HIGHER, glance.Trend.LOWER):
        word = str(glance.TREND_WORDS[expected][1])
        assert "better" not in word
        assert "worse" not in word
