"""Take the screenshots in docs/images of a running demo (`./run demo`, which sets Norrtälje
kommun's name and colour): the homes of the demo's roles, phone (360 × 740, 390 × 844) and
desktop width, signed out and as the demo's logins.
Run: .venv/bin/python docs/images/screenshots.py [http://127.0.0.1:8000]
Needs Chromium (/usr/bin/chromium) and Playwright, as the browser tests do."""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PHONE = {"width": 360, "height": 740}
PHONE_LARGE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WIDE = {"width": 1100, "height": 800}
PASSWORD = "verksam-demo"
# (file, viewport, the demo login or None, path, what to do first: open the menu, scroll to a
# table's hint, or scroll to a selector, with → also its table to the right; and what to take:
# None the screen, "page" the whole page, else a selector's element)
SHOTS = [
    ("home-rapportor.png", WIDE, "rapportor", "/", None, "page"),
    ("home-controller.png", WIDE, "controller", "/", None, "page"),
    ("home-politiker.png", WIDE, "politiker", "/", None, "page"),
    ("home-anon.png", WIDE, None, "/", None, None),
    ("phone-home.png", PHONE_LARGE, "rapportor", "/", None, None),
    ("phone-actions.png", PHONE, None, "/actions/", None, None),
    ("phone-menu-open.png", PHONE, None, "/actions/", "menu", None),
    ("phone-goal-area.png", PHONE_LARGE, None, "/goal-areas/2022-ma1/?office=KSK", "table", None),
    ("phone-action.png", PHONE_LARGE, "controller", "/actions/ksk-2022-1.1-u1-a1/", None, None),
    ("phone-budget-table.png", PHONE, None, "/budget/KSK-2022/", "table", None),
    ("phone-to-report.png", PHONE_LARGE, "controller", "/followup/to-report/", None, None),
    ("desktop-actions.png", DESKTOP, None, "/actions/", None, None),
    ("desktop-board.png", DESKTOP, "controller", "/followup/periods/KS-2022-t1/board/", None, None),
    ("plan-followup.png", DESKTOP, "controller", "/plans/KS-2022/", "#followup", None),
    (
        "goal-area-filtered.png",
        DESKTOP,
        "controller",
        "/goal-areas/2022-ma1/?status=done",
        ".office-filter",
        None,
    ),
    (
        "phone-objective-indicators.png",
        PHONE_LARGE,
        "controller",
        "/objectives/2022-1.1/",
        "→table.indicators",
        None,
    ),
    (
        "overview-attainment.png",
        DESKTOP,
        "controller",
        "/plans/KS-2022/overview/",
        "#followup-attainment",
        None,
    ),
    (
        "overview-actions-by-status.png",
        WIDE,
        "controller",
        "/plans/KS-2022/overview/",
        None,
        "#followup-action + .stack",
    ),
    (
        "to-report-grouped.png",
        WIDE,
        "controller",
        "/followup/to-report/?unit=KSK-EKONOMI",
        None,
        "page",
    ),
]

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    for name, viewport, user, path, first, take in SHOTS:
        context = browser.new_context(viewport=viewport, locale="sv-SE", has_touch=True)
        page = context.new_page()
        if user:
            page.goto(BASE + "/accounts/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", PASSWORD)
            page.locator("main button[type=submit]").click()
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        page.goto(BASE + path)
        if first == "menu":
            page.locator(".menu-button").tap()
        elif first == "table":
            page.locator(".scroll-hint").first.scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -80)")
        elif first:  # a selector: scroll to it (→: and its table to its last column)
            selector = first.lstrip("→")
            page.locator(selector).first.evaluate("e => e.scrollIntoView({block: 'start'})")
            if first.startswith("→"):
                page.evaluate(
                    "s => { const w = document.querySelector(s).closest('.table-wrap');"
                    " w.scrollTo({left: w.scrollWidth, behavior: 'instant'}); }",
                    selector,
                )
            else:
                page.evaluate("window.scrollBy(0, -40)")
        if take in (None, "page"):
            page.screenshot(path=str(OUT / name), full_page=take == "page")
        else:
            page.locator(take).first.screenshot(path=str(OUT / name))
        context.close()
        print(name)
    browser.close()
