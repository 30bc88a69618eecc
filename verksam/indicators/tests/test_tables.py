"""indicator_tables: the one builder of indicator tables, for the pages and the documents."""

import pytest

from verksam.indicators.models import Indicator
from verksam.indicators.tables import IndicatorTable, indicator_tables

pytestmark = pytest.mark.django_db

VATTEN = "Indikatorer till inriktningsmål kommunens vattenförekomster"


def tables_of(plan: str, **filters: object) -> list[IndicatorTable]:
    indicators = Indicator.objects.filter(plan__key=plan, **filters).with_values()
    office = Indicator.objects.filter(plan__key=plan).with_values()
    return indicator_tables(indicators.order_by("position", "pk"), office)


def test_columns_are_baseline_outcomes_then_targets_by_year_whatever_the_rows_order():
    # The first row of the 5.1 table prints no "Utfall 2021"; the column still comes before
    # the targets.
    (table,) = tables_of("TSK-2022", table="Indikatorer till Inriktningsmål 5.1")
    assert table.columns == [
        "Utfall 2020",
        "Utfall 2021",
        "Målvärde 2022",
        "Målvärde 2023",
        "Målvärde 2024",
    ]


def test_an_outcome_comes_before_the_forecast_of_its_year():
    table = next(
        t
        for t in tables_of("KSK-2022")
        if t.caption.startswith("Indikatorer till inriktningsmål en ekonomi")
    )
    assert table.columns[:3] == ["Utfall 2020", "Prognos 2021", "Mål 2021"]


def test_a_column_the_plan_prints_empty_is_kept():
    (table,) = tables_of("KS-2022", table="Lönestrategiska prioriteringar")
    assert table.columns == [
        "Utfall 2020 eller annat basvärde (år)",
        "Målvärde 2021",
        "Målvärde 2022",
        "Målvärde 2023",
    ]
    assert table.rows[0].texts == ["-", "", "", "-"]
    # The office's tables print Källa and Mätintervall, so this one does too.
    assert table.has_source
    assert table.has_interval


def test_a_note_several_rows_share_is_the_tables_and_printed_once():
    table = next(t for t in tables_of("KSK-2022") if t.caption.startswith(VATTEN))
    (shared,) = table.notes
    assert shared.startswith("Kommunens vattenförekomster ska uppnå")
    assert all(shared not in row.notes for row in table.rows)
    assert table.all_notes.count(shared) == 1


def test_values_print_as_the_plan_wrote_them():
    (table,) = tables_of("TSK-2022", table="Indikatorer till Inriktningsmål 5.3")
    row = next(r for r in table.rows if r.indicator.key == "tsk-2022-5.3-i5")
    assert row.texts[:2] == ["10:52 min", "14 min"]
