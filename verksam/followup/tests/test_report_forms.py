"""The reporting forms record only what people said (issue 10 §3): no default status or
judgement, not started is not met, the suggestion beside the judgement, the context of the
item on its form, an analysis for every status, focus that follows the form, messages once."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from verksam.followup import services
from verksam.followup.assessment import status_attainment
from verksam.followup.models import (
    Attainment,
    IndicatorOutcome,
    Judgement,
    ReportingPeriod,
    StatusChoice,
    StatusReport,
)
from verksam.indicators.models import Indicator
from verksam.plans.models import Objective
from verksam.testing import close_round, sv

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def edit_url(kind: str, key: str, period: str = "KS-2022-t1") -> str:
    return reverse("followup:report_edit", args=[period, kind, key])


@pytest.fixture
def indicator(db) -> Indicator:
    """KSK's budget deviation: unit %, target 0,0 % for 2022."""
    return Indicator.objects.get(key="ksk-2022-1.1-i1")


@pytest.fixture
def objective(db) -> Objective:
    return Objective.objects.get(key="2022-1.1")


@pytest.fixture
def march(periods, controller, stab_action, indicator) -> ReportingPeriod:
    """March's monthly round, reported and closed, so that April has a previous round."""
    period = ReportingPeriod.objects.get(key="KS-2022-m03")
    services.open_period(period, actor=controller)
    services.submit_status(
        period, stab_action, actor=controller, expected_version=0,
        status="on_track", analysis="Mötesstrukturen är skissad.", comment="Mars.",
    )  # fmt: skip
    services.record_outcome(period, indicator, actor=controller, expected_version=0, raw="0,7 %")
    close_round(period, actor=controller)
    return period


def test_the_status_menu_has_no_default(client, april, reporter, stab_action):
    client.force_login(reporter)
    page = client.get(edit_url("action", stab_action.key))
    assertContains(page, f'<option value="" selected>{sv("Choose…")}</option>', html=True)
    assertContains(page, '<option value="not_started">ej påbörjad</option>')


def test_an_untouched_status_form_is_an_error_and_records_nothing(
    client, april, reporter, stab_action
):
    client.force_login(reporter)
    response = client.post(edit_url("action", stab_action.key), {"version": "0"})
    assertContains(response, sv("Choose a status."))
    assert not StatusReport.objects.filter(action=stab_action).exists()


def test_a_report_filled_in_from_the_previous_round_still_needs_its_status(
    client, march, april, reporter, stab_action
):
    client.force_login(reporter)
    page = client.get(edit_url("action", stab_action.key))
    assertContains(page, "Mötesstrukturen är skissad.")  # the analysis is filled in
    assertNotContains(page, 'value="on_track" selected')
    assertContains(page, '<option value="" selected>')


def test_not_started_is_not_counted_as_met():
    assert status_attainment(StatusChoice.NOT_STARTED, late=False) == Attainment.UNKNOWN
    assert status_attainment(StatusChoice.NOT_STARTED, late=True) == Attainment.NOT_MET
    met = {s for s in StatusChoice if status_attainment(s, late=False) == Attainment.MET}
    assert met == {StatusChoice.ON_TRACK, StatusChoice.DONE}


def test_the_judgement_form_shows_the_suggestion_with_its_rule_and_chooses_nothing(
    client, april, controller, objective
):
    client.force_login(controller)
    url = reverse("followup:judgement_edit", args=[april.key, "objective", objective.pk])
    page = client.get(url)
    assertContains(page, sv("Suggestion from the rule"))
    assertContains(page, "kan ej bedömas")  # the rule, in words: nothing reported yet
    assertContains(page, f'<option value="" selected>{sv("Choose…")}</option>', html=True)
    response = client.post(url, {"version": "0", "motivation": "Bra."})
    assertContains(response, sv("Choose a judgement."))
    assert not Judgement.objects.exists()


def test_the_action_form_shows_its_context_and_the_previous_report(
    client, march, april, reporter, stab_action
):
    client.force_login(reporter)
    page = client.get(edit_url("action", stab_action.key), headers=HTMX)
    html = page.content.decode()
    assert stab_action.completion_criterion[:40] in html
    assert stab_action.end_raw in html
    for responsibility in stab_action.responsibilities.all():
        assert responsibility.unit.name in html
    assert str(march) in html  # the earlier report, with its round
    assert "Mötesstrukturen är skissad." in html


def test_the_indicator_form_shows_unit_direction_target_and_earlier_outcomes(
    client, march, april, controller, indicator
):
    client.force_login(controller)
    page = client.get(edit_url("indicator", indicator.key)).content.decode()
    target = sv("Target %(year)s") % {"year": 2022}
    assert f"<div><dt>{target}</dt><dd>0,0%</dd></div>" in page
    assert f"<dt>{sv('Unit')}</dt><dd>%</dd>" in page
    assert "<dd>bäst vid målvärdet</dd>" in page  # the direction
    assert f"<dd>{march}: 0,7 %</dd>" in page  # March's outcome


def test_every_status_can_carry_an_analysis(client, april, reporter, stab_action):
    client.force_login(reporter)
    client.post(
        edit_url("action", stab_action.key),
        {"version": "0", "status": "on_track", "analysis": "Gjort: X. Nästa: Y."},
    )
    report = StatusReport.objects.get(action=stab_action)
    assert report.analysis == "Gjort: X. Nästa: Y."
    api = client.get(f"/api/followup/periods/{april.key}/status-reports").json()
    assert api[0]["analysis"] == "Gjort: X. Nästa: Y."
    assertContains(client.get(stab_action.get_absolute_url()), "Gjort: X. Nästa: Y.")


def test_focus_goes_to_the_heading_when_the_inline_form_opens(client, april, reporter, stab_action):
    client.force_login(reporter)
    page = client.get(edit_url("action", stab_action.key), headers=HTMX)
    heading = f'<h4 id="action-{stab_action.pk}-heading" tabindex="-1" autofocus>'
    assertContains(page, heading)
    assert page.content.decode().count("autofocus") == 1


def test_focus_goes_to_the_first_error_after_a_failed_save(client, april, reporter, stab_action):
    client.force_login(reporter)
    response = client.post(
        edit_url("action", stab_action.key), {"version": "0", "status": "delayed"}, headers=HTMX
    )
    html = response.content.decode()
    assert html.count("autofocus") == 1
    # The first field with an error (status is given, so: the cause of the delay).
    assert '<textarea name="cause" cols="40" rows="3" maxlength="20000" autofocus' in html


def test_focus_goes_to_the_conflict_after_a_stale_save(client, april, reporter, stab_action):
    services.submit_status(
        april, stab_action, actor=reporter, expected_version=0, status="on_track"
    )
    client.force_login(reporter)
    response = client.post(
        edit_url("action", stab_action.key), {"version": "0", "status": "done"}, headers=HTMX
    )
    assertContains(response, '<div class="conflict" role="alert" tabindex="-1" autofocus>')
    assert response.content.decode().count("autofocus") == 1


def test_a_message_on_a_follow_up_page_appears_once(client, april, reporter, stab_action):
    client.force_login(reporter)
    response = client.post(
        edit_url("action", stab_action.key), {"version": "0", "status": "done"}, follow=True
    )
    assert response.content.decode().count("Sparat: ") == 1


def test_the_outcome_form_records_the_outcome_and_analysis_stays_with_statuses(
    client, april, controller, indicator
):
    client.force_login(controller)
    client.post(edit_url("indicator", indicator.key), {"version": "0", "raw": "0,4 %"})
    assert IndicatorOutcome.objects.get(indicator=indicator).raw == "0,4 %"
