"""The demo's example economy: loaded through the services, once; the SIE 4 file and the CSV
file hold the same ledger; the figures are plausible against the budget."""

from decimal import Decimal

import pytest
from django.conf import settings

from verksam.economy import services
from verksam.economy.examples import load_example_economy
from verksam.economy.models import CarryOver, Forecast, Outcome, OutcomeImport
from verksam.economy.reporting import economy_of, economy_totals
from verksam.followup.examples import load_example_round
from verksam.imports.export import export_plan

pytestmark = pytest.mark.django_db
EXAMPLES = settings.DEMO_ECONOMY_FILE.parent


@pytest.fixture
def example():
    load_example_round(settings.DEMO_FOLLOWUP_FILE)
    return load_example_economy(settings.DEMO_ECONOMY_FILE)


def test_the_example_economy_loads_once(example):
    assert example.loaded
    assert example.period.is_example
    counts = (Outcome.objects.count(), Forecast.objects.count(), CarryOver.objects.count())
    assert counts == (35, 7, 1)  # 9 operating, 17 department, 9 investment rows
    again = load_example_economy(settings.DEMO_ECONOMY_FILE)
    assert not again.loaded
    assert (Outcome.objects.count(), Forecast.objects.count()) == counts[:2]


def test_the_csv_file_holds_the_same_ledger_as_the_sie_file(example):
    controller = OutcomeImport.objects.get().imported_by
    csv = EXAMPLES / "outcome-2022-april.csv"
    again = services.import_outcome(example.period, csv.name, csv.read_bytes(), actor=controller)
    assert again.record is None
    assert not again.changes_anything


def test_the_example_outcome_is_about_a_third_of_each_departments_budget(example):
    economy = economy_of(example.period)
    for office in economy.offices:
        for line in office.departments:
            if line.budget:
                assert Decimal("0.3") < line.outcome / line.budget < Decimal("0.37"), line.label
    stab = next(
        line for o in economy.offices for line in o.departments if line.row.key.endswith("stab")
    )
    assert stab.deviation.verdict == "as_budgeted"


def test_the_totals_summed_in_sql_are_those_of_the_rows(example):
    """`economy_totals` (the homes' and the overview's summary) adds up as `economy_of`:
    with the example's few forecasts, then with a forecast on every department's row."""

    def totals(economy) -> list:
        """The offices, then each sum's figures as numbers (SQL's sums may print more
        decimals)."""
        lines = [economy.board, *(o.total for o in economy.offices)]
        return [o.plan.pk for o in economy.offices] + [
            None
            if line is None
            else (line.label, line.unit, line.budget, line.outcome, line.full_forecast)
            + ((None,) if line.deviation is None else (line.deviation, line.verdict))
            for line in lines
        ]

    assert totals(economy_totals(example.period)) == totals(economy_of(example.period))
    lines = [line for o in economy_of(example.period).offices for line in o.departments]
    Forecast.objects.bulk_create(
        Forecast(period=example.period, row=line.row, amount=line.budget + 1, basis="own")
        for line in lines
        if line.forecast is None
    )
    summed = economy_totals(example.period)
    assert totals(summed) == totals(economy_of(example.period))
    assert summed.board.deviation is not None


def test_the_plan_export_holds_each_rounds_outcome_and_forecasts(example):
    rounds = export_plan(year=2022)["economy"]
    assert [r["period"] for r in rounds] == ["KS-2022-t1"]
    forecasts = {f["row"]: f for f in rounds[0]["forecasts"]}
    assert forecasts["ksk-2022-investments-utbyggnad"]["amount"] == "300000"
    assert len(rounds[0]["outcomes"]) == 35
    sbk = export_plan(year=2022, owner="SBK")["economy"][0]
    assert {o["row"][:3] for o in sbk["outcomes"]} == {"sbk"}
