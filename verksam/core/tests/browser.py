"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's `live_server`,
and axe-core for WCAG 2.1 A/AA.

Loaded for the whole suite with `-p verksam.core.tests.browser` (pyproject.toml). Tests that
use a browser carry the `browser` mark and run with the rest (`./run test`); deselect them with
`-m "not browser"`. A missing Chromium fails them with the command that installs it, so that CI
never passes by silently skipping the accessibility checks.

The page checks (axe-core) are in `verksam.testing`. `live_server` makes a test transactional:
pytest-django empties the database after it, and verksam/conftest.py copies the seed back.
Each pytest-xdist worker has its own live server (on a free port) and its own Chromium.
"""

import os
import shutil
from collections.abc import Iterator
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
    # The tests' tabs are all of one site (the live server): one renderer process serves
    # them, rather than one started for each tab with axe-core compiled into it again.
    "--process-per-site",
]


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


@pytest.fixture(scope="session")
def browser_context(chromium: Any) -> Iterator[Any]:
    """One browser context for the session's tabs, Swedish like the municipality's users.
    A new context cost Chromium about 0.6 s of CPU (a renderer process to start and axe-core
    to compile into it again); a tab in this one costs a quarter of that. The site keeps
    nothing in the browser but its cookies (no web storage), and `page` clears them."""
    context = chromium.new_context(locale="sv-SE")
    yield context
    context.close()


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    """A fresh tab per test, without cookies: signed out, in the site's default language."""
    browser_context.clear_cookies()
    tab = browser_context.new_page()
    yield tab
    tab.close()
    browser_context.clear_cookies()


@pytest.fixture
def site_url(live_server: Any) -> str:
    """The live server's address; the seed plan is there (verksam/conftest.py restores it
    after each transactional test)."""
    return live_server.url
