"""Layout in a real browser: keyboard use with visible focus, a phone's width, and print."""

from pathlib import Path

import pytest
from django.urls import reverse

from verksam.testing import PHONE

pytestmark = pytest.mark.browser

FOCUS_STYLE = """() => {
  const style = getComputedStyle(document.activeElement);
  return {tag: document.activeElement.tagName, outline: style.outlineStyle,
          width: parseFloat(style.outlineWidth)};
}"""


def test_keyboard_reaches_the_skip_link_first_and_every_focus_is_visible(site_url, page):
    page.goto(site_url + reverse("pages:action_list"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for _ in range(12):  # the filters, the buttons, the first results
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        assert focus["outline"] != "none", focus
        assert focus["width"] >= 2, focus


def test_the_filters_work_from_the_keyboard_alone(site_url, page):
    page.goto(site_url + reverse("pages:action_list"))
    page.focus("#id_late")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url("**late=on**")
    assert page.locator(".tag--late").count() > 0


PHONE_PAGES = [
    reverse("pages:goalarea_detail", args=["2022-ma1"]),
    reverse("pages:action_list"),
    reverse("pages:plan_overview", args=["KS-2022"]),
    reverse("search:search") + "?q=trygghet",
]


def test_pages_fit_a_phone_without_sideways_scrolling(site_url, chromium, tmp_path: Path):
    context = chromium.new_context(viewport=PHONE, locale="sv-SE", device_scale_factor=2)
    page = context.new_page()
    too_wide = {}
    for n, path in enumerate(PHONE_PAGES):
        page.goto(site_url + path)
        page.screenshot(path=str(tmp_path / f"phone-{n}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            too_wide[path] = overflow
    context.close()
    assert not too_wide, f"wider than a phone (px): {too_wide}"


def test_print_leaves_out_navigation_and_forms(site_url, page):
    page.goto(site_url + reverse("pages:action_list"))
    page.emulate_media(media="print")
    for selector in (".site-nav", ".search-form", ".filters", ".breadcrumbs", ".skip-link"):
        assert page.locator(selector).evaluate("e => getComputedStyle(e).display") == "none"
    assert page.locator("table.list").is_visible()
