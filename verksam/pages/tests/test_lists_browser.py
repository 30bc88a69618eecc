"""The list pages in a real browser: htmx swaps the results and keeps the URL in step, the back
button returns to the previous filters, and the same form works without JavaScript. One test
checking both in turn, since each browser test reloads the seed after it."""

import re
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


def check_filtering_and_sorting_with_htmx(page: Any, site_url: str) -> None:
    """Filtering and sorting swap the results and the back button returns."""
    page.goto(site_url + reverse("pages:action_list"))
    page.evaluate("window.notReloaded = true")
    page.select_option("#id_office", "TSK")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url(re.compile(r"office=TSK"))
    assert page.locator("#results tbody tr").first.inner_text().count("Trygghets") == 1
    page.get_by_role("link", name="Slutdatum").click()
    page.wait_for_url(re.compile(r"office=TSK.*sort=end|sort=end.*office=TSK"))
    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("Slutdatum")
    assert page.evaluate("window.notReloaded") is True  # htmx swapped, no page load
    page.go_back()
    page.wait_for_url(re.compile(r"office=TSK$"))
    assert page.locator("th[aria-sort]").count() == 0
    # A filter change after sorting keeps the sort (the hidden field follows the swaps).
    page.get_by_role("link", name="Slutdatum").click()
    page.wait_for_url(re.compile(r"sort=end"))
    page.select_option("#id_office", "SBK")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url(re.compile(r"office=SBK"))
    assert "sort=end" in page.url


def check_the_filter_form_without_javascript(chromium: Any, site_url: str) -> None:
    """The filter form works without JavaScript."""
    context = chromium.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.goto(site_url + reverse("pages:assignment_list"))
    page.select_option("#id_kind", "council")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url(re.compile(r"kind=council"))
    assert page.locator("#id_kind").input_value() == "council"
    assert page.locator("#results tbody tr").count() > 0
    context.close()


def test_filters_and_sorting_work_with_htmx_and_without_javascript(site_url, chromium, page):
    check_filtering_and_sorting_with_htmx(page, site_url)
    check_the_filter_form_without_javascript(chromium, site_url)
