"""The homes in a real browser: each role's first screen after signing in (what it shows and
hides), axe-core with the WCAG 2.2 AA rules, and each home's part used with the keyboard
alone (every control reached by Tab, its focus visible)."""

from typing import Any

import pytest
from django.urls import reverse

from verksam.testing import (
    axe_violations,
    example_round,
    log_in,
    make_user,
)

pytestmark = pytest.mark.browser

PERIOD = "KS-2022-t1"


# The part of the home whose heading is `sel`: its controls a Tab reaches, and whether the
# focus is in it, with how the focus shows.
PART_CONTROLS = """sel => [...document.querySelector(sel).closest('section').querySelectorAll(
    'a[href], button, input, select, textarea, [tabindex]')]
  .filter(e => e.tabIndex >= 0 && e.offsetParent !== null).length"""
FOCUS_IN_PART = """sel => {
  const e = document.activeElement, style = getComputedStyle(e);
  return {inside: document.querySelector(sel).closest('section').contains(e),
          text: (e.textContent || '').trim().slice(0, 40), outline: style.outlineStyle,
          width: parseFloat(style.outlineWidth)};
}"""


def tab_through(page, part: str) -> None:
    """From the skip link into <main>, Tab through the home's part headed `part`: each of its
    links and buttons is reached in turn, each with a visible focus (a 2 px outline)."""
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    controls = page.evaluate(PART_CONTROLS, part)
    assert controls > 0
    reached = 0
    for _ in range(300):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_IN_PART, part)
        if focus["inside"]:
            assert focus["outline"] != "none", focus
            assert focus["width"] >= 2, focus
            reached += 1
        elif reached:
            break
    assert reached == controls


ROLES = [
    ({"reporter": "KSK-STAB"}, f"#report-{PERIOD}", [f"#control-{PERIOD}", "#standing"]),
    ({"controller": "KS"}, f"#control-{PERIOD}", [f"#report-{PERIOD}", "#followed"]),
    ({"reader": "KS"}, "#standing", [f"#report-{PERIOD}", f"#control-{PERIOD}"]),
    ({"reader": "KSK-EKONOMI"}, "#followed", [f"#control-{PERIOD}", "#standing"]),
]


def username(roles: dict[str, str]) -> str:
    """reporter-ksk-stab, controller-ks, reader-ks, reader-ksk-ekonomi."""
    ((role, unit),) = roles.items()
    return f"{role}-{unit}".lower()


def with_case(case: str, check: Any, *args: Any) -> None:
    """Run a check, naming the case in its failure."""
    try:
        check(*args)
    except AssertionError as error:
        raise AssertionError(f"{case}: {error}") from error


def check_the_roles_homes(page: Any, site_url: str) -> None:
    """Signing in lands on the role's home, without axe violations, and its part works by
    keyboard."""
    for roles, shown, hidden in ROLES:
        role = username(roles)
        page.context.clear_cookies()
        make_user(role, **roles)
        log_in(page, site_url, role)
        assert page.url == site_url + reverse("pages:home"), role
        assert page.locator(shown).count() == 1, role
        for part in hidden:
            assert page.locator(part).count() == 0, (role, part)
        assert axe_violations(page) == [], role
        with_case(role, tab_through, page, shown)


def check_the_anonymous_home(page: Any, site_url: str) -> None:
    """An anonymous visitor's home has no axe violations and works by keyboard."""
    page.context.clear_cookies()
    page.goto(site_url + reverse("pages:home"))
    assert page.locator("#plans").count() == 1
    for part in ("#standing", "#followed", f"#report-{PERIOD}", f"#control-{PERIOD}"):
        assert page.locator(part).count() == 0
    assert axe_violations(page) == []
    tab_through(page, "#plans")


def check_the_reporters_keyboard_way(page: Any, site_url: str) -> None:
    """A reporter reaches the first item to report with the keyboard."""
    page.context.clear_cookies()
    log_in(page, site_url, "reporter-ksk-stab")
    first = page.locator(f"#report-{PERIOD} ~ ul.task-list a, .task-list a").first
    target = first.get_attribute("href")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == target:
            break
    else:
        pytest.fail("Tab never reached the first item to report")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/report/" in url)
    assert page.locator("main form").count() >= 1


def check_the_controllers_later_pages(page: Any, site_url: str) -> None:
    """Att rapportera's later pages and the follow-up filters have no WCAG 2.2 violations."""
    page.context.clear_cookies()
    log_in(page, site_url, "controller-ks")
    # The overview and Att rapportera's first page with the round: test_accessibility_signed_in.
    paths = [
        reverse("followup:report_list") + "?state=missing&page=2",
        reverse("pages:goalarea_detail", args=["2022-ma1"]),
        reverse("pages:action_list") + f"?period={PERIOD}&status=on_track",
        reverse("pages:indicator_list") + f"?period={PERIOD}&assessment=met",
        reverse("pages:action_list") + "?goal_area=-",
    ]
    reports = []
    for path in paths:
        page.goto(site_url + path)
        violations = axe_violations(page)
        if violations:
            reports.append(f"{path}:\n" + "\n".join(map(str, violations)))
    assert not reports, "\n".join(reports)


def test_the_homes_with_a_round_open_by_role_keyboard_and_axe(site_url, page):
    """With the example round: each role's home, the anonymous home, the reporter's keyboard
    way to the first item, the controller's later pages. One test, since each browser test
    reloads the seed after it."""
    example_round()
    check_the_roles_homes(page, site_url)
    check_the_anonymous_home(page, site_url)
    check_the_reporters_keyboard_way(page, site_url)
    check_the_controllers_later_pages(page, site_url)
