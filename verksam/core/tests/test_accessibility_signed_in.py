"""axe-core (WCAG 2.2 A and AA) in headless Chromium on the pages behind the login: the
login page itself, my account, user administration, the follow-up round (with its summary and
events forms) and its economy (with the demo's example April round loaded), the audit trail,
budget and risks; in Swedish with every rule and in English with the rules that read the words
(`verksam.testing.text_rules`). Two tests, one per state of the database, since each browser
test reloads the seed after it."""

import pytest
from django.conf import settings
from django.urls import reverse

from verksam.economy.examples import load_example_economy
from verksam.testing import (
    assert_no_axe_violations,
    axe_violations,
    example_round,
    log_in,
    make_admin,
    make_user,
)

pytestmark = pytest.mark.browser

PERIOD = "KS-2022-t1"  # the example April round
ACTION = "ksk-2022-1.1-u1-a1"
LANGUAGES = ("sv", "en")


def use_language(page, site_url: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site_url}])


def followup_pages() -> list[str]:
    return [
        reverse("followup:period_list"),
        reverse("followup:period_detail", args=[PERIOD]),
        reverse("followup:report_list"),
        reverse("followup:report_edit", args=[PERIOD, "action", ACTION]),
        reverse("followup:period_board", args=[PERIOD]),
        reverse("followup:period_attainment", args=[PERIOD]),
        reverse("followup:period_text_edit", args=[PERIOD, "summary"]),
        reverse("followup:period_text_edit", args=[PERIOD, "events"]),
        reverse("followup:period_checks", args=[PERIOD]),
        reverse("followup:carryover_list", args=["KS-2022"]),
        reverse("pages:plan_overview", args=["KS-2022"]),
        # The follow-up inside the plan: the round's statuses, outcomes and filters.
        reverse("pages:plan_detail", args=["KS-2022"]),
        reverse("pages:plan_detail", args=["KS-2022"]) + "?status=delayed",
        reverse("pages:objective_detail", args=["2022-1.1"]) + "?status=met",
        reverse("pages:indicator_list") + "?plan=KS-2022",
    ]


def test_login_account_audit_budget_and_risk_pages_have_no_axe_violations(site_url, page):
    """The login page, alone and after a failed login; then, as an administrator, account,
    users, audit, budget and risks."""
    admin = make_admin()
    other = make_user("anna")
    for language in LANGUAGES:
        use_language(page, site_url, language)
        translated = language == "en"
        assert_no_axe_violations(page, site_url, [reverse("accounts:login")], translated=translated)
        page.fill("#id_username", "nobody")
        page.fill("#id_password", "wrong")
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator(".error-summary").count() == 1, language
        assert axe_violations(page, translated=translated) == [], f"login with errors ({language})"
    log_in(page, site_url, admin.username)
    paths = [
        reverse("accounts:my_account"),
        reverse("accounts:user_list"),
        reverse("accounts:user_create"),
        reverse("accounts:user_detail", args=[other.pk]),
        reverse("audit:search"),
        reverse("audit:search") + "?q=hyres",
        reverse("budget:plan_budget", args=["KSK-2022"]),
        reverse("budget:plan_budget", args=["KS-2022"]),
        reverse("risks:plan_risks", args=["KSK-2022"]),
        reverse("risks:plan_risks", args=["KS-2022"]),
    ]
    for language in LANGUAGES:
        use_language(page, site_url, language)
        assert_no_axe_violations(page, site_url, paths, translated=language == "en")


def economy_pages() -> list[str]:
    investment = "ksk-2022-investments-utbyggnad"
    return [
        reverse("economy:period_economy", args=[PERIOD]),
        reverse("economy:outcome_import", args=[PERIOD]),
        reverse("economy:forecast_edit", args=[PERIOD, "ksk-2022-departments-it"]),
        reverse("economy:carryover_edit", args=[PERIOD, investment]),
    ]


def test_follow_up_and_economy_pages_and_their_forms_errors_have_no_axe_violations(site_url, page):
    """One round (with the demo's example economy) checked in both languages: loading it
    is the test's cost. Then the report form and the forecast form with their errors."""
    example_round()
    load_example_economy(settings.DEMO_ECONOMY_FILE)
    log_in(page, site_url, make_admin().username)
    for language in LANGUAGES:
        use_language(page, site_url, language)
        translated = language == "en"
        assert_no_axe_violations(
            page, site_url, followup_pages() + economy_pages(), translated=translated
        )
        # A deviating status without cause and remedy, submitted: the fields marked invalid.
        page.goto(site_url + reverse("followup:report_edit", args=[PERIOD, "action", ACTION]))
        page.select_option("#id_status", "delayed")
        page.fill("#id_cause", "")
        page.fill("#id_remedy", "")
        page.locator("form.report-form button.primary").click()
        page.wait_for_load_state()
        assert page.locator("form.report-form [aria-invalid=true]").count() > 0, language
        assert axe_violations(page, translated=translated) == [], f"report form ({language})"
    # The forecast form with an amount that is not a number (Swedish, every rule).
    use_language(page, site_url, "sv")
    page.goto(site_url + reverse("economy:forecast_edit", args=[PERIOD, "ksk-2022-departments-it"]))
    page.fill("#id_amount", "tio")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("main form [aria-invalid=true]").count() > 0
    assert axe_violations(page) == [], "forecast form with errors"
