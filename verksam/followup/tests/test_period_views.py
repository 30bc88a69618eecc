"""Period pages: list, detail, open/close/reopen, the completeness board with reminders,
checks, goal attainment and judgements, snapshots; permissions and query counts."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from verksam.followup import services
from verksam.followup.models import Judgement, ReportingPeriod
from verksam.followup.views import BOARD_SHOWN
from verksam.plans.models import Objective
from verksam.testing import assert_accessible_structure, close_round, multiply_seed

pytestmark = pytest.mark.django_db

# A controller: 1 the session, 2 the user, 3 units and 4 memberships for the role scopes,
# 5 the period (plan, owner); counted in SQL (`followup.tallies`): 6 the assignments, 7 the
# actions and 8 the indicators per office, unit and goal area, 9 the plans, 10 the units,
# 11 the goal areas; the titles of the missing 12 assignments, 13 actions and 14 indicators
# (each unit's first BOARD_SHOWN, numbered in SQL);
# 15 the units' submissions.
BOARD_QUERIES = 15
KEY = "KS-2022-t1"


def url(name: str, *args) -> str:
    return reverse(f"followup:{name}", args=args)


@pytest.mark.parametrize(
    "name_args",
    [
        ("period_list",),
        ("period_detail", KEY),
        ("period_board", KEY),
        ("period_checks", KEY),
        ("period_attainment", KEY),
        ("report_list",),
        ("carryover_list", "KS-2022"),
    ],
)
def test_the_pages_have_an_accessible_structure(client, april, controller, name_args):
    client.force_login(controller)
    response = client.get(url(*name_args))
    assert response.status_code == 200
    assert_accessible_structure(response.content.decode())


def test_anonymous_visitors_see_only_closed_periods(client, april, controller):
    assert client.get(url("period_detail", KEY)).status_code == 404
    assertNotContains(client.get(url("period_list")), "Delårsrapport 1")
    close_round(april, actor=controller)
    assert client.get(url("period_detail", KEY)).status_code == 200
    snapshot = client.get(url("snapshot_detail", KEY, 1))
    assertContains(snapshot, "Fryst rapport nummer 1")
    assert_accessible_structure(snapshot.content.decode())


def test_a_controller_opens_and_closes_a_period_in_the_browser(client, periods, controller):
    client.force_login(controller)
    response = client.post(url("period_open", "KS-2022-m02"), {"deadline": "2022-03-15"})
    assertRedirects(response, url("period_detail", "KS-2022-m02"), fetch_redirect_response=False)
    period = ReportingPeriod.objects.get(key="KS-2022-m02")
    assert (period.status, str(period.deadline)) == ("open", "2022-03-15")
    response = client.post(url("period_close", "KS-2022-m02"))
    assertRedirects(response, url("period_checks", "KS-2022-m02"), fetch_redirect_response=False)
    close_round(period, actor=controller)
    response = client.post(url("period_reopen", "KS-2022-m02"), {"reason": ""}, follow=True)
    assertContains(response, "Ange skälet till att perioden återöppnas.")
    client.post(url("period_reopen", "KS-2022-m02"), {"reason": "Rättelse"})
    period.refresh_from_db()
    assert (period.status, period.reopen_reason) == ("open", "Rättelse")


def test_a_reporter_cannot_open_close_or_see_the_board(client, april, reporter):
    client.force_login(reporter)
    assert client.post(url("period_close", KEY)).status_code == 403
    assert client.get(url("period_board", KEY)).status_code == 403
    assert client.post(url("period_remind", KEY)).status_code == 403
    assert client.get(url("period_checks", KEY)).status_code == 403


def test_period_actions_refuse_get(client, april, controller):
    client.force_login(controller)
    for name in ("period_open", "period_close", "period_reopen", "period_remind"):
        assert client.get(url(name, KEY)).status_code == 405


def test_the_board_shows_who_is_missing_and_days_overdue(client, april, controller, reporter):
    services.submit_status(
        april,
        services.Action.objects.get(key="ksk-2022-1.2-u3-a1"),
        actor=reporter,
        expected_version=0,
        status="done",
    )
    client.force_login(controller)
    response = client.get(url("period_board", KEY))
    assertContains(response, "Strategisk analys och utredning")
    assertContains(response, "Samhällsbyggnadskontoret")
    assertContains(response, '<span class="late">')


def test_the_board_runs_the_same_queries_at_ten_times_the_seed(client, april, controller):
    client.force_login(controller)
    with CaptureQueriesContext(connection) as seed:
        client.get(url("period_board", KEY))
    multiply_seed(10)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url("period_board", KEY))
    assert response.status_code == 200
    assert len(large) == len(seed) == BOARD_QUERIES
    # Each unit's first BOARD_SHOWN missing items are named, the rest are a link.
    named = [d.count("<li>") for d in re.findall(r"<details>.*?</details>", response.text)]
    assert max(named) == BOARD_SHOWN
    assertContains(response, "i Att rapportera</a>")


def test_one_click_sends_the_reminders(client, april, controller, reporter):
    client.force_login(controller)
    response = client.post(url("period_remind", KEY), follow=True)
    sent = len(mail.outbox)
    assertContains(response, f"{sent} påminnelse skickad" if sent == 1 else f"{sent} påminnelser")
    assert any(m.to == ["rasmus@example.se"] for m in mail.outbox)


def test_checks_are_acknowledged_in_the_browser(client, april, controller, stab_action):
    client.force_login(controller)
    response = client.get(url("period_checks", KEY))
    assertContains(response, stab_action.key)
    client.post(
        url("finding_acknowledge", KEY),
        {"code": "deviation_without_analysis", "subject": stab_action.key, "note": "Känt."},
    )
    response = client.get(url("period_checks", KEY))
    assertContains(response, "Godtagen av clara: Känt.")


def test_the_attainment_page_shows_suggestion_judgement_gap_and_rule(client, april, controller):
    objective = Objective.objects.get(key="2022-1.1")
    services.record_outcome(
        april,
        services.Indicator.objects.get(key="ksk-2022-1.1-i4"),
        actor=controller,
        expected_version=0,
        raw="2,4 %",
    )
    client.force_login(controller)
    edit = url("judgement_edit", KEY, "objective", objective.pk)
    response = client.post(edit, {"version": "0", "attainment": "met", "motivation": ""})
    assertContains(response, "En samlad bedömning måste motiveras.")
    client.post(edit, {"version": "0", "attainment": "met", "motivation": "Godtagbart."})
    assert Judgement.objects.get(objective=objective).attainment == "met"
    response = client.get(url("period_attainment", KEY))
    assertContains(response, "Den samlade bedömningen skiljer sig från förslaget.")
    assertContains(response, "mål 3,0%, utfall 2,4 %, högre är bättre, tolerans 10 % → ej uppfyllt")
    assertContains(response, "Varför inte helt uppfyllt")


def test_a_manual_assessment_is_made_in_the_browser(client, april, controller):
    indicator = services.Indicator.objects.get(key="tsk-2022-5.2-i1")
    services.record_outcome(april, indicator, actor=controller, expected_version=0, raw="Minskat")
    client.force_login(controller)
    response = client.post(
        url("outcome_assess", KEY, indicator.key),
        {"version": "1", "attainment": "met", "motivation": "Färre fall."},
    )
    assertRedirects(response, url("period_attainment", KEY), fetch_redirect_response=False)
    response = client.get(url("period_attainment", KEY))
    assertContains(response, "manuellt bedömd: Färre fall.")
