"""A committee (Teknik- och klimatnämnden, TKN) is a unit the lists filter by, apart from
the office that serves it (Tekniska kontoret)."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from verksam.testing import matches

pytestmark = pytest.mark.django_db


def test_the_unit_menu_lists_the_committee_with_its_office_below_it(client):
    html = client.get(reverse("pages:action_list")).content.decode()
    committee = html.index('<option value="TKN">Teknik- och klimatnämnden</option>')
    office = html.index('<option value="TK">\u00a0\u00a0Tekniska kontoret</option>')
    assert committee < office


def test_filtering_by_the_committee_finds_what_it_leads_and_what_its_office_leads(client):
    response = client.get(reverse("pages:action_list"), {"unit": "TKN"})
    assertContains(response, matches(5))
    for key in ["ksk-2022-1.1-u1-a1", "ksk-2022-5.1-u1-a1", "sbk-2022-5.1-u1-a1"]:
        assertContains(response, reverse("pages:action_detail", args=[key]))


def test_filtering_by_the_office_finds_only_what_the_office_leads(client):
    response = client.get(reverse("pages:action_list"), {"unit": "TK"})
    assertContains(response, matches(1))
    assertContains(response, reverse("pages:action_detail", args=["sbk-2022-5.1-u1-a1"]))
