"""axe-core (WCAG 2.1 A and AA) in headless Chromium against every page type, in Swedish and
in English."""

import pytest
from django.urls import reverse

from verksam.testing import assert_no_axe_violations, axe_violations

pytestmark = pytest.mark.browser

PAGES = {
    "browse": [
        reverse("pages:home"),
        reverse("pages:plan_detail", args=["KS-2022"]),
        reverse("pages:plan_detail", args=["KSK-2022"]),
        reverse("pages:goalarea_detail", args=["2022-ma1"]),
        reverse("pages:goalarea_detail", args=["2022-ma1"]) + "?office=KSK",
        reverse("pages:objective_detail", args=["2022-1.1"]),
        reverse("pages:plan_tree", args=["KS-2022"]) + "?office=TSK",
    ],
    "items": [
        reverse("pages:assignment_detail", args=["ksk-2022-1.1-u1"]),
        reverse("pages:action_detail", args=["ksk-2022-1.1-u1-a1"]),
        reverse("pages:indicator_detail", args=["ksk-2022-1.1-i1"]),
    ],
    "lists": [
        reverse("pages:assignment_list"),
        reverse("pages:action_list") + "?late=on&sort=-end",
        reverse("pages:indicator_list") + "?unit=KSK",
        reverse("pages:action_list") + "?goal_area=no-such-area",  # the form with an error
    ],
    "overview and search": [
        reverse("pages:plan_overview", args=["KS-2022"]),
        reverse("pages:plan_overview", args=["TSK-2022"]),
        reverse("search:search"),
        reverse("search:search") + "?q=trygghet",
        reverse("search:search") + "?q=nothing-matches-this",
        reverse("core:accessibility_statement"),
    ],
}


def test_the_axe_helper_reports_each_violation_with_its_rule_and_element(page):
    page.set_content(
        '<!doctype html><html lang="sv"><head><title>t</title></head><body><main>'
        '<button id="mute"></button><img id="logo" src="data:,"></main></body></html>'
    )
    found = {(v.rule, tuple(v.targets)) for v in axe_violations(page)}
    assert found == {("button-name", ("#mute",)), ("image-alt", ("#logo",))}
    assert "button-name (critical)" in str(next(v for v in axe_violations(page)))


def test_the_axe_helper_checks_colours_unless_told_they_were_checked(page):
    page.set_content(
        '<!doctype html><html lang="sv"><head><title>t</title></head><body><main>'
        '<p id="pale" style="color: #bbb; background: #fff">Blek text</p>'
        '<button id="mute"></button></main></body></html>'
    )
    assert {v.rule for v in axe_violations(page)} == {"color-contrast", "button-name"}
    assert {v.rule for v in axe_violations(page, colours=False)} == {"button-name"}


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("group", PAGES.keys())
def test_pages_have_no_axe_violations_in_swedish_and_english(site_url, page, group, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site_url}])
    assert_no_axe_violations(page, site_url, PAGES[group], colours=language == "sv")
