"""The accessibility statement (tillgänglighetsredogörelse) that Swedish law requires."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from verksam.testing import assert_accessible_structure

pytestmark = pytest.mark.django_db
STATEMENT = reverse("core:accessibility_statement")


def test_statement_in_swedish_follows_diggs_model(client):
    response = client.get(STATEMENT)
    assert_accessible_structure(response.content.decode())
    for heading in (
        "Hur tillgänglig är webbplatsen?",
        "Vad kan du göra om du inte kan använda delar av webbplatsen?",
        "Rapportera brister i webbplatsens tillgänglighet",
        "Tillsyn",
        "Teknisk information om webbplatsens tillgänglighet",
        "Innehåll som inte är tillgängligt",
        "Hur vi testat webbplatsen",
    ):
        assertContains(response, f">{heading}</h")
    assertContains(response, 'href="https://www.digg.se/tdosanmalan"')
    assertContains(response, "delvis förenlig")


def test_statement_has_an_english_translation(client):
    client.cookies["django_language"] = "en"
    response = client.get(STATEMENT)
    assertContains(response, '<html lang="en">')
    assertContains(response, ">How accessible is the website?</h2>")


def test_statement_gives_the_configured_contact(client, settings):
    settings.ORGANISATION_NAME = "Norrtälje kommun"
    settings.ACCESSIBILITY_EMAIL = "kommun@norrtalje.se"
    settings.ACCESSIBILITY_PHONE = "0176 - 710 00"
    response = client.get(STATEMENT)
    assertContains(response, "Norrtälje kommun står bakom den här webbplatsen.")
    assertContains(response, 'href="mailto:kommun@norrtalje.se"', count=2)
    assertContains(response, 'href="tel:0176-71000"', count=2)
    assertNotContains(response, "registrator")


def test_every_page_links_to_the_statement(client):
    assertContains(client.get(reverse("pages:home")), f'href="{STATEMENT}"')


def test_statement_refuses_a_post(client):
    assert client.post(STATEMENT).status_code == 405
