"""Take the screenshots in docs/images of a running demo (`./run demo`, which sets Norrtälje
kommun's name and colour): phone (360 × 740, 390 × 844) and desktop width, signed out and as
the demo's controller. Run: .venv/bin/python docs/images/screenshots.py [http://127.0.0.1:8000]
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
# (file, viewport, signed in, path, what to do first: open the menu, scroll to a table's
# hint, or scroll to a selector, with → also its table to the right)
SHOTS = [
    ("phone-actions.png", PHONE, False, "/actions/", None),
    ("phone-menu-open.png", PHONE, False, "/actions/", "menu"),
    ("phone-goal-area.png", PHONE_LARGE, False, "/goal-areas/2022-ma1/?office=KSK", "table"),
    ("phone-action.png", PHONE_LARGE, True, "/actions/ksk-2022-1.1-u1-a1/", None),
    ("phone-budget-table.png", PHONE, False, "/budget/KSK-2022/", "table"),
    ("phone-to-report.png", PHONE_LARGE, True, "/followup/to-report/", None),
    ("desktop-actions.png", DESKTOP, False, "/actions/", None),
    ("desktop-board.png", DESKTOP, True, "/followup/periods/KS-2022-t1/board/", None),
    ("plan-followup.png", DESKTOP, True, "/plans/KS-2022/", "#followup"),
    (
        "goal-area-filtered.png",
        DESKTOP,
        True,
        "/goal-areas/2022-ma1/?status=done",
        ".office-filter",
    ),
    (
        "phone-objective-indicators.png",
        PHONE_LARGE,
        True,
        "/objectives/2022-1.1/",
        "→table.indicators",
    ),
    ("overview-attainment.png", DESKTOP, True, "/plans/KS-2022/overview/", "#followup-attainment"),
]

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    for name, viewport, signed_in, path, first in SHOTS:
        context = browser.new_context(viewport=viewport, locale="sv-SE", has_touch=True)
        page = context.new_page()
        if signed_in:
            page.goto(BASE + "/accounts/login/")
            page.fill("#id_username", "controller")
            page.fill("#id_password", "verksam-demo")
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
        page.screenshot(path=str(OUT / name))
        context.close()
        print(name)
    browser.close()
