"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's `live_server`,
and axe-core for WCAG 2.1 A/AA.

Loaded for the whole suite with `-p verksam.core.tests.browser` (pyproject.toml). Tests that
use a browser carry the `browser` mark and run with the rest (`./run test`); deselect them with
`-m "not browser"`. A missing Chromium fails them with the command that installs it, so that CI
never passes by silently skipping the accessibility checks.

`live_server` makes a test transactional, and pytest-django empties the database after each such
test; `site_url` therefore loads the seed plan again when it is missing.
"""

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 375, "height": 740}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real Chromium (needs /usr/bin/chromium)")


def chromium_path() -> str:
    """Debian's Chromium (VERKSAM_CHROMIUM overrides); fail, never skip, when it is missing."""
    candidate = (
        os.environ.get("VERKSAM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    )
    if not Path(candidate).is_file():
        pytest.fail(
            f"Chromium not found at {candidate}. Browser tests need Debian's Chromium: "
            "`apt-get install -y chromium` (.ci/run does this), or set VERKSAM_CHROMIUM to a "
            'Chromium binary, or deselect them with -m "not browser".',
            pytrace=False,
        )
    return candidate


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the tests
    # and in live_server's thread are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh browser tab (own cookies) per test, Swedish like the municipality's users."""
    context = chromium.new_context(locale="sv-SE")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def site_url(live_server: Any) -> str:
    """The live server's address, with the seed plan loaded (see the module's docstring)."""
    from django.conf import settings

    from verksam.imports.services import load_plan
    from verksam.plans.models import Plan

    if not Plan.objects.exists():
        load_plan([settings.DEMO_PLAN_DIR])
    return live_server.url


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: list[str]

    def __str__(self) -> str:
        where = "\n".join(f"      at {target}" for target in self.targets)
        return f"  - {self.rule} ({self.impact}): {self.help}\n{where}"


def axe_violations(page: Any) -> list[Violation]:
    """Run axe-core on the page as it is now, for the WCAG 2.1 A and AA rules only."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    return [
        Violation(
            rule=v["id"],
            impact=v.get("impact") or "unknown",
            help=v["help"],
            targets=[" ".join(map(str, node["target"])) for node in v["nodes"]],
        )
        for v in results.response["violations"]
    ]


def assert_no_axe_violations(page: Any, base_url: str, paths: list[str]) -> None:
    """Open each page and fail once, listing per page every violated rule and its elements.

    Several pages per test, because each browser test reloads the seed plan (seconds)."""
    reports = []
    for path in paths:
        response = page.goto(base_url + path)
        if response is None or response.status not in (200, 400):  # 400: a form with errors
            reports.append(f"{path}: HTTP {response.status if response else 'no response'}")
            continue
        violations = axe_violations(page)
        if violations:
            language = page.evaluate("document.documentElement.lang")
            reports.append(f"{path} (lang={language}):\n" + "\n".join(map(str, violations)))
    if reports:
        pytest.fail("axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(reports))
