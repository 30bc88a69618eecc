"""Att rapportera and the inline report forms (htmx and plain), with their permissions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from verksam.followup import services
from verksam.followup.models import StatusReport
from verksam.indicators.models import Indicator
from verksam.testing import close_round, multiply_seed

pytestmark = pytest.mark.django_db

# A controller: 1 the session, 2 the user, 3 units and 4 memberships for the role scopes, 5 the
# open period; counted in SQL (`followup.tallies`): 6 the assignments, 7 the actions and 8 the
# indicators per office, unit and goal area, 9 the plans, 10 the units, 11 the goal areas; the
# page: 12 its rows (one union), 13 their assignments, 14 actions and 15 indicators, 16 the
# status reports, 17 the outcomes, 18 the indicators' values; 19 the units' submissions.
REPORT_LIST_QUERIES = 19
# A reporter's htmx save of a report already there: 1 the session, 2 the user, 3 units and
# 4 memberships for the role scopes, 5 the period, 6 the action and 7 its responsible units;
# in the transaction 8 the round's status (its row locked, shared with the other saves),
# 9 the report (locked), 10 its write and 11 its history record; then the row shown again,
# 12 its lateness. Besides: the transaction's BEGIN and COMMIT, and no savepoint (only a
# new report, which may race another insert, is written inside one).
SAVE_QUERIES = 12


def edit_url(kind: str, key: str, period: str = "KS-2022-t1") -> str:
    return reverse("followup:report_edit", args=[period, kind, key])


def status_post(**changes) -> dict:
    return {"version": "0", "status": "on_track", "progress": "40", **changes}


def test_att_rapportera_lists_only_the_users_units_items(client, april, reporter, stab_action):
    client.force_login(reporter)
    response = client.get(reverse("followup:report_list"))
    assert response.status_code == 200
    assertContains(response, stab_action.text[:40])
    assertNotContains(response, "Ta fram en bostadsförsörjningsstrategi")  # SBK's
    assertContains(response, "Försenad: slutdatumet har passerat")


def test_att_rapportera_needs_a_login(client, april):
    response = client.get(reverse("followup:report_list"))
    assert response.status_code == 302


def test_att_rapportera_refuses_a_post(client, april, reporter):
    client.force_login(reporter)
    assert client.post(reverse("followup:report_list")).status_code == 405


def test_att_rapportera_runs_the_same_queries_at_ten_times_the_seed(client, april, controller):
    client.force_login(controller)
    with CaptureQueriesContext(connection) as seed:
        client.get(reverse("followup:report_list"))
    multiply_seed(10)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("followup:report_list"))
    assert response.status_code == 200
    assert len(large) == len(seed) == REPORT_LIST_QUERIES


def test_a_plain_form_saves_and_redirects_to_the_list(client, april, reporter, stab_action):
    client.force_login(reporter)
    response = client.post(
        edit_url("action", stab_action.key), status_post(status="done", progress="100")
    )
    assertRedirects(
        response,
        reverse("followup:report_list") + f"#action-{stab_action.pk}",
        fetch_redirect_response=False,
    )
    assert StatusReport.objects.get(action=stab_action).status == "done"


def test_the_htmx_form_is_a_fragment_and_saving_returns_the_row(
    client, april, reporter, stab_action
):
    client.force_login(reporter)
    form = client.get(edit_url("action", stab_action.key), headers={"HX-Request": "true"})
    assert form.status_code == 200
    assert b"<html" not in form.content
    assertContains(form, 'hx-post="')
    row = client.post(
        edit_url("action", stab_action.key),
        status_post(status="done", progress="100"),
        headers={"HX-Request": "true"},
    )
    assert b"<html" not in row.content
    assertContains(row, 'class="status status--done">Klar<')
    # The confirmation takes the focus (htmx focuses [autofocus] after the swap).
    saved = '<p class="message message--success" role="status" tabindex="-1" autofocus>Sparat: '
    assertContains(row, saved)
    assertNotContains(row, "Försenad: slutdatumet har passerat")


def test_an_htmx_save_runs_the_same_queries_at_ten_times_the_seed(
    client, april, reporter, stab_action
):
    client.force_login(reporter)

    def save(version: int) -> tuple[list[str], list[str]]:
        """The save's queries, and its transaction control (BEGIN, SAVEPOINT, …)."""
        with CaptureQueriesContext(connection) as queries:
            row = client.post(
                edit_url("action", stab_action.key),
                status_post(version=str(version)),
                headers={"HX-Request": "true"},
            )
        assertContains(row, "message--success")
        control = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}
        sql = [q["sql"] for q in queries]
        return [s for s in sql if s.split()[0] not in control], [
            s for s in sql if s.split()[0] in control
        ]

    save(0)  # the first save inserts the report
    seed, control = save(1)
    multiply_seed(10)
    assert len(save(2)[0]) == len(seed) == SAVE_QUERIES
    # One transaction (a savepoint inside the test's own transaction), nothing nested.
    assert len([s for s in control if s.startswith("SAVEPOINT")]) <= 1


def test_the_action_page_links_its_reporter_to_the_report_form_of_the_open_round(
    client, april, reporter, stab_action
):
    page = stab_action.get_absolute_url()
    assertNotContains(client.get(page), edit_url("action", stab_action.key))
    client.force_login(reporter)
    assertContains(client.get(page), f'href="{edit_url("action", stab_action.key)}"')


def test_the_action_page_has_no_report_link_for_another_units_reporter(
    client, april, make_user, stab_action
):
    client.force_login(make_user("sam", reporter="SBK"))
    assertNotContains(client.get(stab_action.get_absolute_url()), "/report/action/")


def test_a_deviation_without_analysis_shows_swedish_errors_and_saves_nothing(
    client, april, reporter, stab_action
):
    client.force_login(reporter)
    response = client.post(edit_url("action", stab_action.key), status_post(status="deviation"))
    assert response.status_code == 200
    assertContains(response, "Beskriv orsaken till avvikelsen.")
    assertContains(response, "Beskriv vad som görs åt avvikelsen.")
    assert not StatusReport.objects.exists()


def test_the_second_saver_sees_the_conflict_and_the_others_version(
    client, april, reporter, controller, stab_action
):
    services.submit_status(
        april,
        stab_action,
        actor=controller,
        expected_version=0,
        status="delayed",
        cause="Sjukdom",
        remedy="Omfördelning",
        new_forecast="Juni",
    )
    client.force_login(reporter)
    response = client.post(edit_url("action", stab_action.key), status_post(comment="Min text"))
    assertContains(response, "Någon annan sparade rapporten medan du redigerade den.")
    assertContains(response, "clara sparade rapporten")
    assertContains(response, "Omfördelning")
    assertContains(response, "Min text")  # what the user typed is kept
    assertContains(response, 'name="version" value="1"')
    assert StatusReport.objects.get(action=stab_action).status == "delayed"


def test_another_units_item_is_not_found_on_get_and_forbidden_on_post(
    client, april, other_reporter, stab_action
):
    client.force_login(other_reporter)
    assert client.get(edit_url("action", stab_action.key)).status_code == 404
    assert client.post(edit_url("action", stab_action.key), status_post()).status_code == 403
    assert not StatusReport.objects.exists()


def test_an_indicator_outcome_is_reported_and_assessed_with_its_rule(client, april, make_user):
    finance = make_user("erik", reporter="KSK-EKONOMI")
    client.force_login(finance)
    response = client.post(
        edit_url("indicator", "ksk-2022-1.1-i4"),
        {"version": "0", "raw": "2,8 %", "women": "", "men": "", "source": "Delår", "comment": ""},
        headers={"HX-Request": "true"},
    )
    assertContains(
        response, "mål 3,0%, utfall 2,8 %, högre är bättre, tolerans 10 % → delvis uppfyllt"
    )
    assert Indicator.objects.get(key="ksk-2022-1.1-i4").outcomes.get().raw == "2,8 %"


def test_a_closed_periods_form_says_it_is_read_only(client, april, controller, stab_action):
    close_round(april, actor=controller)
    client.force_login(controller)
    response = client.get(edit_url("action", stab_action.key))
    assertContains(response, "rapporterna kan inte ändras")
    assertNotContains(response, 'name="status"')
    response = client.post(edit_url("action", stab_action.key), status_post())
    assertContains(response, "rapporterna kan inte ändras")
    assert not StatusReport.objects.exists()


def test_the_row_view_gives_back_the_row_on_cancel(client, april, reporter, stab_action):
    client.force_login(reporter)
    url = reverse("followup:report_row", args=["KS-2022-t1", "action", stab_action.key])
    response = client.get(url, headers={"HX-Request": "true"})
    assertContains(response, f'id="action-{stab_action.pk}"')


def test_a_unit_submits_its_report_from_the_list(client, april, make_user):
    from verksam.organisation.models import OrgUnit

    unit = OrgUnit.objects.get(code="KSK-JURIDIK")
    lawyer = make_user("jonna", reporter="KSK-JURIDIK")
    client.force_login(lawyer)
    url = reverse("followup:unit_submit", args=["KS-2022-t1", unit.pk])
    response = client.post(url, follow=True)
    assertContains(response, "1 post är inte rapporterad än: ")
    assert client.get(url).status_code == 405


def test_a_new_report_starts_from_the_previous_rounds_report(
    client, periods, controller, reporter, stab_action
):
    march = next(p for p in periods if p.key == "KS-2022-m03")
    services.open_period(march, actor=controller)
    services.submit_status(
        march, stab_action, actor=reporter, expected_version=0, status="on_track", progress=70
    )
    close_round(march, actor=controller)
    services.open_period(next(p for p in periods if p.key == "KS-2022-t1"), actor=controller)
    client.force_login(reporter)
    response = client.get(edit_url("action", stab_action.key))
    assertContains(response, "Förifyllt från rapporten i Månadsrapport mars 2022")
    assertContains(response, 'name="progress" value="70"')
    assertContains(response, 'name="version" value="0"')
