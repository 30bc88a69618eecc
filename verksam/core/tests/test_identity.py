"""The municipality's identity (core/identity.py): name, logo and accent colour, configured
once, contrast-checked, shown by every page and reported at start when refused."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.checks import run_checks
from django.urls import reverse

from verksam.core.identity import (
    DEFAULT_ACCENT,
    DEFAULT_NAME,
    contrast_ratio,
    identity,
    identity_problems,
    text_colour_on,
)

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4"/></svg>'


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    # The well-known border case: #767676 is the lightest grey with 4.5:1 on white.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#fff") < 4.5


def test_the_text_on_the_accent_is_whichever_of_white_and_dark_contrasts_more():
    assert text_colour_on("#005a87")[0] == "#ffffff"
    assert text_colour_on("#ffd200")[0] == "#1c1f23"


def test_unconfigured_the_site_is_verksam_in_its_own_colours(settings):
    settings.ORGANISATION_NAME, settings.LOGO, settings.ACCENT_COLOR = "", "", ""
    site = identity()
    assert (site.name, site.accent, site.accent_text) == (DEFAULT_NAME, DEFAULT_ACCENT, "#ffffff")
    assert site.logo_path is None
    assert site.logo_url == ""
    assert not site.configured
    assert identity_problems() == []


def test_a_municipality_sets_name_logo_and_colour_once(settings):
    settings.ORGANISATION_NAME = "Norrtälje kommun"
    settings.LOGO = "verksam/favicon.svg"
    settings.ACCENT_COLOR = "#FFD200"
    site = identity()
    assert site.name == "Norrtälje kommun"
    assert site.configured
    assert (site.accent, site.accent_text) == ("#ffd200", "#1c1f23")
    assert site.contrast >= 4.5
    assert site.logo_path is not None
    assert site.logo_path.read_bytes().startswith(b"<svg")
    assert site.logo_url.endswith("verksam/favicon.svg")
    assert site.logo_type == "image/svg+xml"
    assert identity_problems() == []


@pytest.mark.parametrize(
    ("colour", "says"),
    [
        ("blue", "not a colour written as #rrggbb"),
        ("#12345", "not a colour written as #rrggbb"),
        ("#808080", "neither white nor dark text on it reaches the contrast of 4.5:1"),
    ],
)
def test_a_colour_without_contrast_or_unreadable_is_refused_and_reported(settings, colour, says):
    settings.ACCENT_COLOR = colour
    assert identity().accent == DEFAULT_ACCENT
    [problem] = identity_problems()
    assert says in problem
    assert colour in problem
    warnings = [m for m in run_checks(tags=["identity"]) if m.id == "verksam.W002"]
    assert [w.msg for w in warnings] == [problem]


def test_a_logo_file_outside_the_static_files_is_served_from_its_own_address(
    settings, tmp_path: Path, client
):
    logo = tmp_path / "vapen.svg"
    logo.write_bytes(SVG)
    settings.LOGO = str(logo)
    site = identity()
    assert site.logo_path == logo
    assert site.logo_url == reverse("identity_logo")
    response = client.get(reverse("identity_logo"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"".join(response.streaming_content) == SVG


@pytest.mark.parametrize(
    ("logo", "says"),
    [
        ("/no/such/vapen.png", "no such file"),
        ("verksam/no-such-logo.svg", "not among the static files"),
        ("verksam/favicon.gif", "a logo is an SVG, PNG or JPEG file"),
    ],
)
def test_a_logo_that_cannot_be_shown_is_left_out_and_reported(settings, client, logo, says):
    settings.LOGO = logo
    assert identity().logo_path is None
    [problem] = identity_problems()
    assert says in problem
    assert client.get(reverse("identity_logo")).status_code == 404


@pytest.mark.django_db
def test_pages_show_the_name_logo_and_colours(settings, client):
    settings.ORGANISATION_NAME = "Norrtälje kommun"
    settings.LOGO = "verksam/favicon.svg"
    settings.ACCENT_COLOR = "#005a87"
    html = client.get(reverse("pages:action_list")).content.decode()
    assert "<title>Åtgärder · Norrtälje kommun</title>" in html
    assert "<span>Norrtälje kommun</span>" in html
    assert 'class="site-logo" src="/static/verksam/favicon.svg" alt=""' in html
    version = identity().version
    assert f'href="/identity.css?v={version}"' in html
    css = client.get(reverse("identity_css"))
    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert css.content.decode() == ":root { --header: #005a87; --header-text: #ffffff; }\n"
    assert "max-age" in css["Cache-Control"]


def test_the_identity_css_changes_its_address_when_the_identity_changes(settings):
    settings.ACCENT_COLOR = "#005a87"
    first = identity().version
    settings.ACCENT_COLOR = "#5a0087"
    assert identity().version != first


def test_the_500_page_shows_the_name_without_a_database(settings, rf):
    from verksam.core.views import server_error

    settings.ORGANISATION_NAME = "Norrtälje kommun"
    html = server_error(rf.get("/")).content.decode()
    assert "Norrtälje kommun" in html


@pytest.mark.django_db
def test_every_page_links_the_favicon_in_svg_ico_and_png(client):
    html = client.get(reverse("pages:home")).content.decode()
    for name in ("favicon.svg", "favicon.ico", "apple-touch-icon.png"):
        assert f'href="/static/verksam/{name}"' in html
    redirect = client.get("/favicon.ico")
    assert redirect.status_code == 302
    assert redirect["Location"] == "/static/verksam/favicon.ico"
    icon = finders.find("verksam/favicon.ico")
    assert Path(icon).read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
