"""The economy pages: the round's economy (deviation with symbol and word, drafts shown only
to those who may read them, a fixed number of queries), the forecast form, the import with
preview and confirmation, and the carry-over decision."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from verksam.economy import services
from verksam.economy.models import CarryOver, Forecast, Outcome
from verksam.testing import multiply_seed, sv

pytestmark = pytest.mark.django_db
D = Decimal

VOUCHER = ('#VER A 1 20220430 "Stab"', "{", '#TRANS 5010 {1 "125"} 17000000', "}")


CONVENTION = (
    "Deviation = forecast against budget. A positive deviation is better than budget: more "
    "income or lower costs, or investment funds left unspent; a negative one is worse. "
    "Percent of the budget."
)


def page(period) -> str:
    return reverse("economy:period_economy", args=[period.key])


def forecast_url(period, row: str) -> str:
    return reverse("economy:forecast_edit", args=[period.key, row])


@pytest.fixture
def imported(april, controller, sie):
    services.import_outcome(april, "april.se", sie(*VOUCHER), actor=controller)
    return april


def test_the_page_shows_budget_outcome_forecast_and_the_deviation_in_words(
    client, imported, controller, reporter
):
    stab = services.forecast_row(imported, "ksk-2022-departments-stab")
    services.save_forecast(imported, stab, actor=reporter, expected_version=0, choice="own",
                           amount=D("-47000"), comment="Vakanser under våren.")  # fmt: skip
    client.force_login(controller)
    response = client.get(page(imported))
    html = response.content.decode()
    assert "−" not in html  # minus signs are hyphen-minus, as the budget pages print them
    # Stab: budget -48 634, outcome -17 000, forecast -47 000: +1 634 tkr, 3,4 %, better.
    row = html[html.index('id="row-ksk-2022-departments-stab"') :]
    row = row[: row.index("</tr>")]
    for text in ("-48\xa0634", "-17\xa0000", "-47\xa0000", "1\xa0634", "3,4 %", "▲",
                 sv("better than budget"), "Vakanser under våren."):  # fmt: skip
        assert text in row, text
    assertContains(response, sv(CONVENTION))


def test_an_open_rounds_forecasts_are_hidden_from_reporters_of_other_units(
    client, imported, reporter, make_user
):
    stab = services.forecast_row(imported, "ksk-2022-departments-stab")
    services.save_forecast(imported, stab, actor=reporter, expected_version=0, choice="own",
                           amount=D("-47000"), comment="Hemligt utkast.")  # fmt: skip
    client.force_login(make_user("sara", reporter="SBK"))
    response = client.get(page(imported))
    assertNotContains(response, "Hemligt utkast.")
    assertContains(response, forecast_url(imported, "sbk-2022-departments-plan"))
    assertNotContains(response, forecast_url(imported, "ksk-2022-departments-stab"))
    client.force_login(reporter)
    assertContains(client.get(page(imported)), "Hemligt utkast.")


def test_anonymous_visitors_see_no_open_round(client, imported):
    assert client.get(page(imported)).status_code == 404


# The page's queries: 1 session, 2 user, 3–4 the user's roles (units, memberships) for the
# round's visibility and the permission checks, 5 the period, 6 the rows, 7 budget cells,
# 8 outcomes, 9 forecasts, 10 carry-overs, 11–13 the Budgetföljsamhet indicators, their
# values and their outcomes in the round, 14 the imports.
PAGE_QUERIES = 14


def test_the_page_runs_a_fixed_number_of_queries_at_ten_times_the_seed(
    client, imported, controller, django_assert_num_queries
):
    client.force_login(controller)
    with django_assert_num_queries(PAGE_QUERIES):
        client.get(page(imported))
    multiply_seed(10)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(page(imported))
    assertContains(response, 'id="row-ksk-2022-departments-stab-x', count=9)


def test_the_forecast_form_saves_the_accepted_proposal(client, imported, reporter):
    client.force_login(reporter)
    url = forecast_url(imported, "ksk-2022-departments-stab")
    response = client.get(url)
    assertContains(response, "-49\xa0423")  # -17 000 + -48 634 × 8/12
    assertContains(response, "× 8 / 12")
    assertNotContains(response, "checked")
    response = client.post(url, {"version": 0, "choice": "proposal", "comment": "Hyror."})
    assert response.status_code == 302
    assert Forecast.objects.get().amount == D("-49423")


def test_the_forecast_form_asks_for_a_choice_and_a_comment(client, imported, reporter):
    client.force_login(reporter)
    url = forecast_url(imported, "ksk-2022-departments-stab")
    response = client.post(url, {"version": 0, "amount": "-48634"})
    assertContains(response, sv("Accept the proposal or give your own forecast."))
    response = client.post(url, {"version": 0, "choice": "own", "amount": "-60 000"})
    assertContains(response, "1 %")
    assert "comment" in response.context["form"].errors
    assert not Forecast.objects.exists()


def test_the_second_saver_of_a_forecast_sees_the_first_ones_figure(
    client, imported, reporter, controller
):
    url = forecast_url(imported, "ksk-2022-departments-stab")
    client.force_login(controller)
    assert client.post(url, {"version": 0, "choice": "own", "amount": "-48634"}).status_code == 302
    client.force_login(reporter)
    response = client.post(url, {"version": 0, "choice": "own", "amount": "-48600"})
    assert response.status_code == 200
    assert response.context["conflict"].amount == D("-48634")
    assert response.context["form"]["version"].value() == "1"
    assert Forecast.objects.get().amount == D("-48634")
    response = client.post(url, {"version": 1, "choice": "own", "amount": "-48600"})
    assert response.status_code == 302  # knowingly replaced
    assert Forecast.objects.get().amount == D("-48600")


def test_a_recorded_carry_over_decision_fills_its_form(client, april, controller):
    project = services.forecast_row(april, "ksk-2022-investments-utbyggnad")
    services.save_forecast(april, project, actor=controller, expected_version=0, choice="own",
                           amount=D("300000"), comment="Senareläggs.")  # fmt: skip
    services.decide_carry_over(april, project, actor=controller, expected_version=0,
                               decision="approved", approved=D("100"), note="KS § 45")  # fmt: skip
    client.force_login(controller)
    form = client.get(reverse("economy:carryover_edit", args=[april.key, project.key])).context[
        "form"
    ]
    assert (form["decision"].value(), form["approved"].value(), form["version"].value()) == (
        "approved",
        D("100"),
        1,
    )


def test_the_forecast_form_of_another_unit_is_forbidden(client, imported, reporter):
    client.force_login(reporter)
    assert client.get(forecast_url(imported, "sbk-2022-departments-plan")).status_code == 403
    assert client.get(forecast_url(imported, "ksk-2022-operating-costs")).status_code == 404
    assert client.put(forecast_url(imported, "ksk-2022-departments-stab")).status_code == 405


def test_a_controller_previews_and_then_confirms_an_import(client, april, controller, sie):
    client.force_login(controller)
    url = reverse("economy:outcome_import", args=[april.key])
    response = client.post(url, {"file": SimpleUploadedFile("april.se", sie(*VOUCHER))})
    assert response.context["preview"].changes_anything
    assertContains(response, "-17\xa0000")
    assert not Outcome.objects.exists()
    sha = response.context["preview"].sha256
    response = client.post(url, {"sha256": sha})
    assert response.status_code == 302
    assert Outcome.objects.filter(period=april).count() == 2


def test_an_import_with_problems_lists_them_and_writes_nothing(client, april, controller, sie):
    client.force_login(controller)
    url = reverse("economy:outcome_import", args=[april.key])
    bad = sie('#VER A 1 20220430 "x"', "{", "#TRANS 4010 {} tio", "}")
    response = client.post(url, {"file": SimpleUploadedFile("fel.se", bad)})
    assertContains(response, "«tio» är inget belopp")
    assert not Outcome.objects.exists()


def test_only_controllers_reach_the_import_page(client, april, reporter):
    client.force_login(reporter)
    assert client.get(reverse("economy:outcome_import", args=[april.key])).status_code == 403


def test_a_controller_records_the_carry_over_decision(client, april, controller):
    project = services.forecast_row(april, "ksk-2022-investments-utbyggnad")
    services.save_forecast(april, project, actor=controller, expected_version=0, choice="own",
                           amount=D("300000"), comment="Senareläggs.")  # fmt: skip
    client.force_login(controller)
    url = reverse("economy:carryover_edit", args=[april.key, project.key])
    assertContains(client.get(url), "57\xa0100")
    response = client.post(url, {"version": 0, "decision": "approved", "approved": "57100",
                                 "note": "KS § 45"})  # fmt: skip
    assert response.status_code == 302
    assert CarryOver.objects.get().approved == D("57100")


def test_the_round_links_its_economy_page(client, april, controller):
    client.force_login(controller)
    assertContains(client.get(april.get_absolute_url()), page(april))


def test_a_controller_replaces_the_mapping_on_the_import_page(client, april, controller):
    client.force_login(controller)
    url = reverse("economy:outcome_import", args=[april.key])
    mapping = b"konto;ansvar;verksamhet;projekt;rad\n3;1;;;ksk-2022-operating-income\n"
    response = client.post(url, {"mapping": SimpleUploadedFile("m.csv", mapping)})
    assert response.status_code == 302
    assert april.plan.outcome_mappings.count() == 1
    bad = b"konto;ansvar;verksamhet;projekt;rad\n3;1;;;no-such-row\n"
    response = client.post(url, {"mapping": SimpleUploadedFile("m.csv", bad)})
    assertContains(response, "no-such-row")
    assert april.plan.outcome_mappings.count() == 1


def test_every_row_id_on_the_page_is_unique(client, imported, controller):
    """Sum rows have no budget row of their own, and no id (an id repeated is invalid)."""
    client.force_login(controller)
    ids = re.findall(r'\bid="([^"]+)"', client.get(page(imported)).content.decode())
    assert ids
    assert len(ids) == len(set(ids))
