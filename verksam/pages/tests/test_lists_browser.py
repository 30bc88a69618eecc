"""The list pages in a real browser: htmx swaps the results and keeps the URL in step, the back
button returns to the previous filters, and the same form works without JavaScript."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


def test_filtering_and_sorting_swap_the_results_and_the_back_button_returns(site_url, page):
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


def test_the_filter_form_works_without_javascript(site_url, chromium):
    context = chromium.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.goto(site_url + reverse("pages:assignment_list"))
    page.select_option("#id_kind", "council")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url(re.compile(r"kind=council"))
    assert page.locator("#id_kind").input_value() == "council"
    assert page.locator("#results tbody tr").count() > 0
    context.close()
