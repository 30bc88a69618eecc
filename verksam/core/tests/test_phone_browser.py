"""A phone's width (360 × 740 and 390 × 844) in a real Chromium: the header takes one line
with a menu button, no page scrolls sideways, wide tables scroll in their box with a hint,
touch targets are at least 24 × 24 px, and axe finds nothing with WCAG 2.2 AA's rules.

One test, checking several things in turn at both phone widths and at a desktop's (each
helper below is one of them, and a failure names the width), since each browser test
reloads the seed after it. axe runs at the first width only: both widths are below the
stylesheet's one phone breakpoint (40rem), so the same rules lay the pages out."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.urls import reverse

from verksam.testing import axe_violations, example_round, log_in, make_admin

pytestmark = pytest.mark.browser

PHONES = [{"width": 360, "height": 740}, {"width": 390, "height": 844}]
PERIOD = "KS-2022-t1"  # the demo's example April round

# One page of each type, anonymous.
PUBLIC_PAGES = [
    reverse("pages:home"),
    reverse("pages:plan_detail", args=["KS-2022"]),
    reverse("pages:goalarea_detail", args=["2022-ma1"]),
    reverse("pages:objective_detail", args=["2022-1.1"]),
    reverse("pages:assignment_detail", args=["ksk-2022-1.1-u1"]),
    reverse("pages:action_detail", args=["ksk-2022-1.1-u1-a1"]),
    reverse("pages:indicator_detail", args=["ksk-2022-1.1-i1"]),
    reverse("pages:action_list"),
    reverse("pages:indicator_list"),
    reverse("pages:plan_overview", args=["KS-2022"]),
    reverse("pages:plan_tree", args=["KS-2022"]),
    reverse("budget:plan_budget", args=["KSK-2022"]),
    reverse("risks:plan_risks", args=["KS-2022"]),
    reverse("search:search") + "?q=trygghet",
    reverse("followup:period_list"),
    reverse("core:accessibility_statement"),
    reverse("accounts:login"),
]
# axe with WCAG 2.2 AA's rules (target size among them) at a phone's width: a list, a table
# of actions filtered, the overview and a wide table (and the menu open: `check_the_menu`).
AXE_PAGES = [
    reverse("pages:action_list"),
    reverse("pages:goalarea_detail", args=["2022-ma1"]) + "?status=not_reported",
    reverse("pages:plan_overview", args=["KS-2022"]),
    reverse("budget:plan_budget", args=["KSK-2022"]),
]
# And behind the login, for an administrator (who sees every part: the home with a
# controller's round and how it stands).
SIGNED_IN_PAGES = [
    reverse("pages:home"),
    reverse("accounts:my_account"),
    reverse("audit:search") + "?q=hyres",
    reverse("followup:report_list"),
    reverse("followup:period_detail", args=[PERIOD]),
    reverse("followup:report_edit", args=[PERIOD, "action", "ksk-2022-1.1-u1-a1"]),
    reverse("followup:period_board", args=[PERIOD]),
    reverse("followup:period_attainment", args=[PERIOD]),
    reverse("followup:period_checks", args=[PERIOD]),
    reverse("economy:period_economy", args=[PERIOD]),
]

HEADER_HEIGHT = "document.querySelector('.site-header').getBoundingClientRect().height"
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
# Every control that stands alone (not a link inside a sentence) and is visible: its size.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    '.site-header a, .site-header button, .site-header input, .site-header select,'
    + ' main button, main select, main input:not([type=hidden]), .pagination a, .list-nav a,'
    + ' .breadcrumbs a, th a, .office-filter a')]
  .filter(e => e.offsetParent !== null)
  .map(e => ({e, box: e.getBoundingClientRect()}))
  .filter(({box}) => box.width < 24 || box.height < 24)
  .map(({e, box}) => `${e.tagName}.${e.className} «${(e.textContent || e.name || '').trim()
    .slice(0, 30)}» ${Math.round(box.width)}×${Math.round(box.height)}`)"""


@pytest.fixture
def phone(chromium) -> Iterator[Any]:
    """A tab the size of the first phone's screen, in Swedish."""
    context = chromium.new_context(viewport=PHONES[0], locale="sv-SE", has_touch=True)
    tab = context.new_page()
    yield tab
    context.close()


def check_pages(
    page: Any, site_url: str, paths: list[str], *, axe: tuple[str, ...] = ()
) -> dict[str, str]:
    """Each page's problems at each phone width: a tall header, sideways scrolling, small
    targets; and, at the first width, axe's violations on the pages in `axe`. One visit a
    page: the other width is the same page resized, as a phone turned or a window narrowed
    lays it out again."""
    problems = {}
    for path in dict.fromkeys([*paths, *axe]):
        page.set_viewport_size(PHONES[0])
        response = page.goto(site_url + path)
        assert response is not None
        assert response.status == 200, path
        for size in PHONES:
            page.set_viewport_size(size)
            found = []
            header = page.evaluate(HEADER_HEIGHT)
            if header >= 0.15 * size["height"]:
                found.append(f"header {header:.0f} px of {size['height']}")
            if (overflow := page.evaluate(OVERFLOW)) > 0:
                found.append(f"{overflow} px wider than the screen")
            found += page.evaluate(SMALL_TARGETS)
            if path in axe and size == PHONES[0]:
                found += map(str, axe_violations(page))
            if found:
                problems[f"{path} at {size['width']} px"] = "; ".join(found)
    return problems


def check_the_menu(phone: Any, site_url: str, *, axe: bool) -> None:
    """The menu button opens and closes the menu by touch and keyboard (and with `axe`, axe
    finds nothing with the menu open)."""
    phone.goto(site_url + reverse("pages:action_list"))
    button = phone.locator(".menu-button")
    nav = phone.locator(".site-nav")
    assert button.is_visible()
    assert button.get_attribute("aria-controls") == "site-menu"
    assert button.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    assert not phone.locator(".search-form").is_visible()
    button.tap()
    assert button.get_attribute("aria-expanded") == "true"
    assert nav.is_visible()
    for link in nav.locator("a").all():  # big enough for a thumb
        assert link.bounding_box()["height"] >= 40
    assert phone.evaluate(OVERFLOW) <= 0
    if axe:
        assert axe_violations(phone) == [], "the menu open"
    phone.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert phone.evaluate("document.activeElement.className") == "menu-button"
    assert not nav.is_visible()
    # From the keyboard: skip link, name, then the button; Enter opens, Tab goes into the menu.
    phone.goto(site_url + reverse("pages:action_list"))
    for _ in range(3):
        phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.className") == "menu-button"
    phone.keyboard.press("Enter")
    assert nav.is_visible()
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.closest('.site-nav') !== null")


def wait_until(page: Any, condition: str, seconds: float = 2) -> None:
    """Poll a JavaScript condition (`wait_for_function` evaluates it with eval, which the
    site's CSP refuses)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(condition):
        assert time.monotonic() < deadline, f"not true within {seconds} s: {condition}"
        page.wait_for_timeout(50)


def check_a_wide_table(phone: Any, site_url: str) -> None:
    """A wide table scrolls in its box with a hint and keyboard focus."""
    phone.goto(site_url + reverse("budget:plan_budget", args=["KSK-2022"]))
    wide = phone.locator(".table-wrap--overflows").first
    assert wide.count() == 1
    assert wide.get_attribute("tabindex") == "0"
    assert wide.get_attribute("role") == "region"
    assert wide.get_attribute("aria-label")  # the table's caption
    hint = phone.locator(".scroll-hint").first
    assert hint.is_visible()
    assert hint.inner_text() == "Svep i sidled för att se hela tabellen."
    wide.focus()
    phone.keyboard.press("ArrowRight")
    wait_until(phone, "() => document.querySelector('.table-wrap--overflows').scrollLeft > 0")
    assert phone.evaluate(OVERFLOW) <= 0
    # On a wide screen the same table fits: no hint.
    size = phone.viewport_size
    phone.set_viewport_size({"width": 1600, "height": 900})
    wait_until(phone, "() => document.querySelectorAll('.scroll-hint').length === 0")
    phone.set_viewport_size(size)


def check_the_filters_fold(phone: Any, site_url: str) -> None:
    """A list's filters fold on a phone while none is set."""
    phone.goto(site_url + reverse("pages:action_list"))
    panel = phone.locator(".filters__panel")
    assert panel.evaluate("e => e.open") is False
    assert phone.locator(".result-count").bounding_box()["y"] < phone.viewport_size["height"]
    phone.locator(".filters__panel > summary").tap()
    assert phone.locator("#id_late").is_visible()
    phone.goto(site_url + reverse("pages:action_list") + "?late=on")
    assert panel.evaluate("e => e.open") is True


@contextmanager
def check(case: str) -> Iterator[None]:
    """Name the case in a failing assertion's message."""
    try:
        yield
    except AssertionError as error:
        raise AssertionError(f"{case}: {error}") from error


def check_without_javascript_and_on_a_wide_screen(chromium: Any, site_url: str) -> None:
    """Without JavaScript the menu is simply open; on a desktop the header shows the menu
    without a button and a list's filters stay open."""
    context = chromium.new_context(viewport=PHONES[0], locale="sv-SE", java_script_enabled=False)
    without_js = context.new_page()
    without_js.goto(site_url + reverse("pages:action_list"))
    assert not without_js.locator(".menu-button").is_visible()
    assert without_js.locator(".site-nav").is_visible()
    assert without_js.locator(".search-form").is_visible()
    assert without_js.locator("#id_late").is_visible()  # the list's filters open too
    assert without_js.evaluate(OVERFLOW) <= 0
    context.close()

    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()
    page.goto(site_url + reverse("pages:action_list"))
    assert not page.locator(".menu-button").is_visible()
    assert page.locator(".site-nav").is_visible()
    assert page.evaluate(HEADER_HEIGHT) < 0.15 * 900
    assert page.locator(".filters__panel").evaluate("e => e.open") is True
    assert not page.locator(".filters__panel > summary").is_visible()
    assert page.locator("legend").first.is_visible()
    context.close()


def test_pages_fit_a_phone_with_their_menu_wide_tables_and_filters(site_url, chromium, phone):
    """Without JavaScript and on a desktop (`check_without_javascript_and_on_a_wide_screen`).
    At each phone width: the menu, a list's filters, a wide table. Every public page fits
    both widths (and at the first axe finds nothing on `AXE_PAGES`). Then, with the example
    round and as an administrator, every page behind the login fits both widths."""
    check_without_javascript_and_on_a_wide_screen(chromium, site_url)
    for size in PHONES:
        phone.set_viewport_size(size)
        with check(f"{size['width']} px"):
            check_the_menu(phone, site_url, axe=size == PHONES[0])
            check_the_filters_fold(phone, site_url)
            check_a_wide_table(phone, site_url)
    assert check_pages(phone, site_url, PUBLIC_PAGES, axe=tuple(AXE_PAGES)) == {}
    example_round()
    log_in(phone, site_url, make_admin().username)
    assert check_pages(phone, site_url, SIGNED_IN_PAGES) == {}
