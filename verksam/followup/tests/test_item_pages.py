"""Status reports and outcomes on the plan's item pages, with the history of changes."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from verksam.followup import services
from verksam.indicators.models import Indicator
from verksam.testing import deviation

pytestmark = pytest.mark.django_db


def test_the_action_page_shows_reports_and_history_with_before_and_after(
    client, april, reporter, controller, stab_action
):
    services.submit_status(
        april, stab_action, actor=reporter, expected_version=0, status="on_track"
    )
    services.submit_status(april, stab_action, actor=controller, expected_version=1, **deviation())
    client.force_login(reporter)
    response = client.get(stab_action.get_absolute_url())
    assertContains(response, "Rapporternas ändringshistorik")
    assertContains(response, "Status: Pågår enligt plan → Försenad")
    assertContains(response, "clara")
    assertContains(response, "Personalbrist under våren.")


def test_anonymous_visitors_do_not_see_reports_of_an_open_period(
    client, april, reporter, stab_action
):
    services.submit_status(april, stab_action, actor=reporter, expected_version=0, status="done")
    response = client.get(stab_action.get_absolute_url())
    assertNotContains(response, "Status per rapportperiod")


def test_the_indicator_page_shows_outcomes_with_their_assessment(client, april, controller):
    indicator = Indicator.objects.get(key="ksk-2022-6.1-i1")
    services.record_outcome(april, indicator, actor=controller, expected_version=0, raw="161")
    client.force_login(controller)
    response = client.get(reverse("pages:indicator_detail", args=[indicator.key]))
    assertContains(
        response, "mål 155, utfall 161, lägre är bättre, tolerans 10 % → delvis uppfyllt"
    )


def test_the_assignment_page_shows_its_status(client, april, controller, hyres):
    services.submit_status(april, hyres, actor=controller, expected_version=0, status="on_track")
    client.force_login(controller)
    assertContains(client.get(hyres.get_absolute_url()), "Pågår enligt plan")


def test_another_units_reporter_sees_neither_open_reports_nor_who_wrote_them(
    client, april, reporter, other_reporter, stab_action
):
    services.submit_status(april, stab_action, actor=reporter, expected_version=0, status="done")
    client.force_login(other_reporter)  # SBK: no role at KSK's staff
    response = client.get(stab_action.get_absolute_url())
    assertNotContains(response, "Status per rapportperiod")
    assertNotContains(response, "rasmus")


def test_a_closed_rounds_reports_are_public_but_not_who_wrote_them(
    client, april, reporter, other_reporter, stab_action
):
    services.submit_status(april, stab_action, actor=reporter, expected_version=0, status="done")
    type(april).objects.filter(pk=april.pk).update(status=type(april).Status.CLOSED)
    response = client.get(stab_action.get_absolute_url())
    assertContains(response, "Status per rapportperiod")
    assertNotContains(response, "Rapporternas ändringshistorik")
    assertNotContains(response, "rasmus")
