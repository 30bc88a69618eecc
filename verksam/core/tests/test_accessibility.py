"""axe-core (WCAG 2.2 A and AA) in headless Chromium against every page type, in Swedish and
in English (there the rules that read the words: `verksam.testing.text_rules`)."""

import pytest
from django.urls import reverse

from verksam.testing import assert_no_axe_violations, axe_violations, text_rules

pytestmark = pytest.mark.browser

PAGES = {
    "browse": [
        reverse("pages:home"),
        reverse("pages:plan_detail", args=["KS-2022"]),
        reverse("pages:plan_detail", args=["KSK-2022"]),
        reverse("pages:goalarea_detail", args=["2022-ma1"]),
        reverse("pages:goalarea_detail", args=["2022-ma1"]) + "?office=KSK&status=done",
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


def test_the_axe_helper_checks_only_what_the_words_decide_in_a_translation(page):
    page.set_content(
        '<!doctype html><html lang="sv"><head><title>t</title></head><body><main>'
        '<p id="pale" style="color: #bbb; background: #fff">Blek text</p>'
        '<ul id="bare"><p>Inte en punkt</p></ul>'
        '<button id="mute"></button></main></body></html>'
    )
    assert {v.rule for v in axe_violations(page)} == {"color-contrast", "list", "button-name"}
    assert {v.rule for v in axe_violations(page, translated=True)} == {"button-name"}
    # Chosen from axe's metadata: names, labels, text alternatives, language, words' size.
    rules = set(text_rules(page))
    assert {
        "button-name", "link-name", "label", "select-name", "input-button-name", "image-alt",
        "svg-img-alt", "document-title", "html-has-lang", "html-lang-valid", "valid-lang",
        "summary-name", "frame-title",
        "aria-input-field-name", "aria-toggle-field-name", "target-size",
        "scrollable-region-focusable",
    } <= rules  # fmt: skip
    assert not rules & {"color-contrast", "link-in-text-block", "list", "listitem",
                        "th-has-data-cells", "aria-allowed-attr", "duplicate-id-aria"}  # fmt: skip


def test_pages_have_no_axe_violations_in_swedish_and_english(site_url, page):
    """Every page in Swedish with every rule, then in English with the rules that read the
    words; one test, since each browser test reloads the seed after it."""
    for language in ("sv", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": site_url}])
        paths = [path for group in PAGES.values() for path in group]
        assert_no_axe_violations(page, site_url, paths, translated=language == "en")
