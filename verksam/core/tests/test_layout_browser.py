"""Layout in a real browser: keyboard use with visible focus, a phone's width, and print.

One test checking each in turn (each helper below is one of them), since each browser test
reloads the seed after it."""

from typing import Any

import pytest
from django.urls import reverse

from verksam.testing import PHONE

pytestmark = pytest.mark.browser

FOCUS_STYLE = """() => {
  const style = getComputedStyle(document.activeElement);
  return {tag: document.activeElement.tagName, outline: style.outlineStyle,
          width: parseFloat(style.outlineWidth)};
}"""


def check_the_skip_link_and_focus(page: Any, site_url: str) -> None:
    """The keyboard reaches the skip link first and every focus is visible."""
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


def check_the_filters_by_keyboard(page: Any, site_url: str) -> None:
    """The filters work from the keyboard alone."""
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


def check_pages_fit_a_phone(chromium: Any, site_url: str) -> None:
    """Pages fit a phone without sideways scrolling."""
    context = chromium.new_context(viewport=PHONE, locale="sv-SE", device_scale_factor=2)
    page = context.new_page()
    too_wide = {}
    for path in PHONE_PAGES:
        page.goto(site_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            too_wide[path] = overflow
    context.close()
    assert not too_wide, f"wider than a phone (px): {too_wide}"


def check_print(page: Any, site_url: str) -> None:
    """Print leaves out navigation and forms."""
    page.goto(site_url + reverse("pages:action_list"))
    page.emulate_media(media="print")
    for selector in (".site-nav", ".search-form", ".filters", ".breadcrumbs", ".skip-link"):
        assert page.locator(selector).evaluate("e => getComputedStyle(e).display") == "none"
    assert page.locator("table.list").is_visible()


def test_keyboard_focus_filters_a_phones_width_and_print(site_url, chromium, page):
    check_the_skip_link_and_focus(page, site_url)
    check_the_filters_by_keyboard(page, site_url)
    check_print(page, site_url)
    check_pages_fit_a_phone(chromium, site_url)
