"""The economy API: figures as exact decimal strings, drafts hidden as on the page."""

from decimal import Decimal

import pytest

from verksam.economy import services
from verksam.testing import close_round

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def forecast(april, controller, reporter, sie):
    services.import_outcome(
        april,
        "april.se",
        sie('#VER A 1 20220430 "Stab"', "{", '#TRANS 5010 {1 "125"} 17000000', "}"),
        actor=controller,
    )
    stab = services.forecast_row(april, "ksk-2022-departments-stab")
    return services.save_forecast(
        april, stab, actor=reporter, expected_version=0, choice="own", amount=D("-47000"),
        comment="Vakanser.",
    )  # fmt: skip


def stab_line(body: dict) -> dict:
    ksk = next(o for o in body["offices"] if o["office"] == "KSK")
    return next(line for line in ksk["departments"] if line["unit"] == "KSK-STAB")


def test_a_controller_reads_budget_outcome_forecast_and_deviation(
    client, april, controller, forecast
):
    client.force_login(controller)
    body = client.get(f"/api/economy/periods/{april.key}").json()
    assert stab_line(body) | {"label": ""} == {
        "label": "",
        "unit": "KSK-STAB",
        "budget": "-48634.0000",
        "outcome": "-17000.0000",
        "forecast": "-47000.0000",
        "deviation": "1634.0000",
        "deviation_percent": "3.4",
        "verdict": "better",
        "comment": "Vakanser.",
        "is_sum": False,
    }
    assert body["comment_threshold_percent"] == "1"


def test_an_open_rounds_drafts_are_hidden_from_other_reporters(client, april, forecast, make_user):
    client.force_login(make_user("sara", reporter="SBK"))
    body = client.get(f"/api/economy/periods/{april.key}").json()
    assert (stab_line(body)["forecast"], stab_line(body)["comment"]) == (None, "")
    assert body["board"]["forecast"] is None


def test_a_closed_rounds_economy_is_public(client, april, controller, forecast):
    assert client.get(f"/api/economy/periods/{april.key}").status_code == 404
    close_round(april, actor=controller)
    body = client.get(f"/api/economy/periods/{april.key}").json()
    assert stab_line(body)["forecast"] == "-47000.0000"
