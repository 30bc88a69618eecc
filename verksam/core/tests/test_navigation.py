"""The header's navigation: follow-up for everyone, the reporting list for signed-in users,
the audit trail for those who may read it."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = pytest.mark.django_db

FOLLOWUP = f'href="{reverse("followup:period_list")}"'
TO_REPORT = f'href="{reverse("followup:report_list")}"'
AUDIT = f'href="{reverse("audit:search")}"'


def test_visitors_see_follow_up_but_not_the_reporting_list_or_the_audit_trail(client):
    response = client.get(reverse("pages:home"))
    assertContains(response, FOLLOWUP, count=1)
    assertNotContains(response, TO_REPORT)
    assertNotContains(response, AUDIT)


def test_a_reporter_sees_the_reporting_list_but_not_the_audit_trail(client, make_user):
    client.force_login(make_user("anna", reporter="KSK-EKONOMI"))
    response = client.get(reverse("pages:home"))
    assertContains(response, TO_REPORT)
    assertNotContains(response, AUDIT)


def test_a_controller_sees_the_audit_trail(client, make_user):
    client.force_login(make_user("carl", controller="KSK"))
    response = client.get(reverse("pages:home"))
    assertContains(response, TO_REPORT)
    assertContains(response, AUDIT)
