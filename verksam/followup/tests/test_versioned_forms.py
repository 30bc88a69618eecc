"""Every versioned form (status, outcome, assessment, judgement) meets a conflict the same way:
the form comes back bound to the other person's version, so saving again replaces it
knowingly instead of meeting the same conflict on every save."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from verksam.followup import services
from verksam.followup.models import IndicatorOutcome, Judgement, StatusReport
from verksam.indicators.models import Indicator
from verksam.plans.models import Objective

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_controller(make_user):
    return make_user("olof", controller="KS")


@pytest.fixture
def indicator(db) -> Indicator:
    return Indicator.objects.get(key="tsk-2022-5.2-i1")


def test_an_assessment_after_a_conflict_is_bound_to_the_others_version_and_then_saves(
    client, april, controller, other_controller, indicator
):
    services.record_outcome(april, indicator, actor=controller, expected_version=0, raw="Minskat")
    services.assess_outcome(
        IndicatorOutcome.objects.get(indicator=indicator),
        actor=other_controller,
        expected_version=1,
        attainment="partly",
        motivation="Bara delvis.",
    )
    client.force_login(controller)
    address = reverse("followup:outcome_assess", args=[april.key, indicator.key])
    mine = {"version": "1", "attainment": "met", "motivation": "Färre fall."}
    response = client.post(address, mine)
    assert response.status_code == 200
    assertContains(response, 'name="version" value="2"')
    assert IndicatorOutcome.objects.get(indicator=indicator).manual_attainment == "partly"

    response = client.post(address, {**mine, "version": "2"})
    assertRedirects(
        response,
        reverse("followup:period_attainment", args=[april.key]),
        fetch_redirect_response=False,
    )
    outcome = IndicatorOutcome.objects.get(indicator=indicator)
    assert (outcome.manual_attainment, outcome.version) == ("met", 3)


def test_a_judgement_after_a_conflict_is_bound_to_the_others_version_and_then_saves(
    client, april, controller, other_controller
):
    objective = Objective.objects.get(key="2022-1.1")
    services.judge(
        april,
        objective,
        actor=other_controller,
        expected_version=0,
        attainment="partly",
        motivation="Hälften.",
    )
    client.force_login(controller)
    address = reverse("followup:judgement_edit", args=[april.key, "objective", objective.pk])
    mine = {"version": "0", "attainment": "met", "motivation": "Godtagbart."}
    response = client.post(address, mine)
    assertContains(response, 'name="version" value="1"')
    assertContains(response, "Hälften.")

    client.post(address, {**mine, "version": "1"})
    judgement = Judgement.objects.get(period=april, objective=objective)
    assert (judgement.attainment, judgement.version) == ("met", 2)


def test_a_status_after_a_conflict_is_bound_to_the_others_version_and_then_saves(
    client, april, reporter, controller, stab_action
):
    services.submit_status(april, stab_action, actor=controller, expected_version=0, status="done")
    client.force_login(reporter)
    address = reverse("followup:report_edit", args=[april.key, "action", stab_action.key])
    mine = {"version": "0", "status": "on_track", "comment": "Pågår."}
    response = client.post(address, mine)
    assertContains(response, 'name="version" value="1"')
    assertContains(response, "Pågår.")

    client.post(address, {**mine, "version": "1"})
    report = StatusReport.objects.get(period=april, action=stab_action)
    assert (report.status, report.version, report.comment) == ("on_track", 2, "Pågår.")
