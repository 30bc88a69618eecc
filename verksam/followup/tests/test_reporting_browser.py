"""The reporting flow in a real Chromium: by keyboard alone, and end to end (log in, browse
to an action, report it, see the overview count it, download the plan as PDF)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from verksam.accounts.models import Membership, Role
from verksam.followup.models import StatusReport
from verksam.organisation.models import OrgUnit
from verksam.plans.models import Action
from verksam.testing import PASSWORD, example_round, pdf_pages, tab_to

pytestmark = pytest.mark.browser

PERIOD = "KS-2022-t1"
ACTION = "ksk-2022-1.2-u3-a1"  # KSK's staff (stab) reports it


def reporter_with_password() -> object:
    """The example round's staff reporter, given a password to log in with."""
    example_round()
    user = get_user_model().objects.get(username="exempel-stab")
    user.set_password(PASSWORD)
    user.save()
    return user


def choose_by_keyboard(page, value: str) -> None:
    """Move the focused menu's choice with the arrow keys until it is `value`."""
    for key in ("ArrowDown", "ArrowUp"):
        for _ in range(12):
            if page.evaluate("() => document.activeElement.value") == value:
                return
            page.keyboard.press(key)
    pytest.fail(f"the menu has no choice {value}")


def type_over(page, text: str) -> None:
    """Replace what the focused field holds (the report may start from an earlier one)."""
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def check_reporting_by_keyboard_alone(page, site_url: str, user) -> None:
    """A reporter reports a deviation by keyboard alone."""
    edit = reverse("followup:report_edit", args=[PERIOD, "action", ACTION])
    page.goto(site_url + reverse("pages:home"))

    tab_to(page, 'a[href^="/accounts/login/"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/**")
    tab_to(page, "#id_username")
    page.keyboard.type(user.username)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    tab_to(page, f'a[href="{reverse("followup:report_list")}"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/followup/to-report/")
    tab_to(page, f'a[href="{edit}"]')
    page.keyboard.press("Enter")
    page.wait_for_selector("form.report-form")

    tab_to(page, "#id_status")
    choose_by_keyboard(page, "deviation")
    tab_to(page, "#id_cause")
    type_over(page, "Upphandlingen överklagades.")
    tab_to(page, "#id_remedy")
    type_over(page, "Ny upphandling i maj.")
    tab_to(page, "#id_new_forecast")
    type_over(page, "Klart i september.")
    tab_to(page, "form.report-form button.primary")
    page.keyboard.press("Space")

    confirmation = page.locator('[role="status"]', has_text="Sparat")
    confirmation.wait_for()
    report = StatusReport.objects.get(period__key=PERIOD, action__key=ACTION)
    assert (report.status, report.cause, report.new_forecast) == (
        "deviation",
        "Upphandlingen överklagades.",
        "Klart i september.",
    )


def deviating_figure(page, site_url: str) -> int:
    """The overview's count of actions in progress with deviation, in all offices."""
    page.goto(site_url + reverse("pages:plan_overview", args=["KS-2022"]))
    link = page.locator(f'a[href="/actions/?plan=KS-2022&period={PERIOD}&status=deviation"]')
    return int(link.inner_text()) if link.count() else 0


def check_reporting_end_to_end(page, site_url: str, user) -> None:
    """Log in, browse to an action, report it, see the overview count it, download the PDF."""
    # The open round's overview figures are drafts, for readers at the board: the staff
    # reporter also reads the board's plan.
    Membership.objects.create(user=user, unit=OrgUnit.objects.get(code="KS"), role=Role.READER)
    page.goto(site_url + reverse("accounts:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    before = deviating_figure(page, site_url)

    # Three clicks from the start page: the plan, the goal area, the action.
    page.goto(site_url + reverse("pages:home"))
    page.locator('main a[href="/plans/KS-2022/"]').first.click()
    page.locator('main a[href^="/goal-areas/2022-ma1/"]').first.click()
    action = Action.objects.get(key=ACTION)
    page.locator(f'main a[href="{action.get_absolute_url()}"]').first.click()
    page.wait_for_url(f"**{action.get_absolute_url()}")

    page.get_by_role("link", name="Rapportera status i den öppna omgången").click()
    page.select_option("#id_status", "deviation")
    page.fill("#id_cause", "Upphandlingen överklagades.")
    page.fill("#id_remedy", "Ny upphandling i maj.")
    page.locator("form.report-form button.primary").click()
    page.wait_for_url("**/followup/to-report/**")
    assert page.get_by_role("status").filter(has_text="Sparat").first.is_visible()

    assert deviating_figure(page, site_url) == before + 1

    page.goto(site_url + reverse("pages:plan_detail", args=["KS-2022"]))
    with page.expect_download() as download:
        page.locator(
            f'a[href="{reverse("reports:plan_download", args=["KS-2022", "pdf"])}"]'
        ).click()
    text = "".join(pdf_pages(download.value.path().read_bytes())[:2])
    assert "Kommunstyrelsens verksamhetsplan och budget 2022" in " ".join(text.split())


def check_the_focus_in_the_inline_form(page, site_url: str, user) -> None:
    """Focus follows the inline form: open, error, saved."""
    edit = reverse("followup:report_edit", args=[PERIOD, "action", ACTION])
    page.goto(site_url + reverse("accounts:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(site_url + reverse("followup:report_list"))
    action = Action.objects.get(key=ACTION)
    focused = "() => document.activeElement.id || document.activeElement.getAttribute('role')"

    page.locator(f'a[href="{edit}"]').click()  # htmx swaps the row for the form
    page.wait_for_selector("form.report-form")
    page.wait_for_function(f"() => document.activeElement.id === 'action-{action.pk}-heading'")

    page.select_option("#id_status", "")  # the example round may have reported it
    page.locator("form.report-form button.primary").click()
    page.wait_for_function("() => document.activeElement.id === 'id_status'")
    assert page.locator("form.report-form .errorlist").first.is_visible()

    page.select_option("#id_status", "on_track")
    page.locator("form.report-form button.primary").click()
    page.wait_for_function("() => document.activeElement.getAttribute('role') === 'status'")
    assert page.evaluate(focused) == "status"
    assert "Sparat" in page.evaluate("() => document.activeElement.textContent")


def test_a_reporter_reports_by_keyboard_with_the_focus_followed_and_end_to_end(site_url, page):
    """One test, since each browser test reloads the seed after it. The order matters: the
    end-to-end check counts a new deviation, so it comes after the focus check has left the
    action on track."""
    user = reporter_with_password()
    check_reporting_by_keyboard_alone(page, site_url, user)
    page.context.clear_cookies()
    check_the_focus_in_the_inline_form(page, site_url, user)
    page.context.clear_cookies()
    check_reporting_end_to_end(page, site_url, user)
