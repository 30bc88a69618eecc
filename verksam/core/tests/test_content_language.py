"""Plan content is Swedish: with the interface in English, it carries lang="sv" so that screen
readers pronounce it as Swedish (WCAG 3.1.2, language of parts)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    (reverse("pages:plan_detail", args=["KS-2022"]), "Kommunstyrelsens verksamhetsplan"),
    (reverse("pages:goalarea_detail", args=["2022-ma1"]), "Norrtälje kommun ska ha en sund"),
    (reverse("pages:objective_detail", args=["2022-1.1"]), "En ekonomi i balans"),
    (reverse("pages:assignment_detail", args=["ksk-2022-1.1-u1"]), "Se över hyressättnings"),
    (reverse("pages:action_detail", args=["ksk-2022-1.1-u1-a1"]), "Kommunens fastighetsstrateg"),
    (reverse("pages:indicator_detail", args=["ksk-2022-1.1-i5"]), "Låneskuld"),
    (reverse("pages:plan_overview", args=["KS-2022"]), "Kommunstyrelsens verksamhetsplan"),
]


@pytest.mark.parametrize(("path", "title"), PAGES)
def test_the_title_is_marked_swedish_when_the_interface_is_english(client, path, title):
    client.cookies["django_language"] = "en"
    html = client.get(path).content.decode()
    assert '<html lang="en">' in html
    assert f'<h1 lang="sv">{title}' in html


@pytest.mark.parametrize(("path", "title"), PAGES)
def test_no_part_is_marked_when_the_interface_is_swedish(client, path, title):
    html = client.get(path).content.decode()
    assert f"<h1>{title}" in html
    assert html.count('lang="sv"') == 2  # the page, and Svenska in the language menu
