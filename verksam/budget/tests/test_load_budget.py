"""The seed's budget tables as loaded: counts, exact figures, the computed rows checked
against the printed ones, and bad budget data refused with located messages."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from verksam.budget.models import BudgetCell, BudgetColumn, BudgetRow, BudgetTable
from verksam.imports.services import load_plan
from verksam.imports.sources import DataError

# These tests set up their cases by editing the decided seed directly.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_editable")]

SEED = settings.DEMO_PLAN_DIR

# Counted by hand in shared/seed: (tables, rows) per office. KSK: operating 6 rows,
# per department 10, investments 10 (with the TKN group heading); SBK: 6 and 6;
# TSK: operating 6, notable changes 5, per department 5, investments 3.
SEED_COUNTS = {"KSK-2022": (3, 26), "SBK-2022": (2, 12), "TSK-2022": (4, 19), "KS-2022": (0, 0)}

# Every budget anomaly of the seed: (row or table id, column, what the message says).
SEED_ANOMALIES = {
    ("tsk-2022-operating", "intro", "troligen i mnkr"),
    ("tsk-2022-operating-net", "Plan 2023", "kan inte räknas fram"),
    ("tsk-2022-operating-net", "Plan 2024", "kan inte räknas fram"),
    ("tsk-2022-departments-total", "2022", "kan inte räknas fram"),
    ("tsk-2022-departments-total", "2023", "kan inte räknas fram"),
    ("tsk-2022-departments-total", "2024", "kan inte räknas fram"),
}


def snapshot() -> dict[str, list]:
    return {
        "tables": list(BudgetTable.objects.values().order_by("key")),
        "columns": list(BudgetColumn.objects.values().order_by("id")),
        "rows": list(BudgetRow.objects.values().order_by("key")),
        "cells": list(BudgetCell.objects.values().order_by("id")),
    }


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(SEED, folder)
    return folder


def edit_budget(folder: Path, change) -> None:
    path = folder / "budget.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def table(data: dict, key: str) -> dict:
    return next(t for t in data["budget_tables"] if t["id"] == key)


def row(data: dict, key: str) -> dict:
    return next(r for t in data["budget_tables"] for r in t["rows"] if r["id"] == key)


ANOMALY_PHRASES = [
    "troligen i mnkr",
    "kan inte räknas fram",
    "beräknat",
]


def budget_anomalies(result) -> set[tuple[str, str, str]]:
    """The budget anomalies of a load as (row or table id, column, kind of anomaly)."""
    return {
        (p.item, p.field, next(phrase for phrase in ANOMALY_PHRASES if phrase in p.message))
        for p in result.anomalies
        if p.kind == "budget_tables"
    }


# --- The seed --------------------------------------------------------------------------


@pytest.mark.parametrize(("plan", "counts"), SEED_COUNTS.items())
def test_the_seed_has_every_budget_table_and_row_of_each_office(plan, counts):
    assert (
        BudgetTable.objects.filter(plan__key=plan).count(),
        BudgetRow.objects.filter(table__plan__key=plan).count(),
    ) == counts


def test_columns_are_stored_by_year_and_kind_with_their_printed_label():
    columns = BudgetColumn.objects.filter(table__key="ksk-2022-operating")
    assert list(columns.values_list("label", "kind", "year", "kind_inferred")) == [
        ("Utfall 2020", "outcome", 2020, False),
        ("Budget 2021", "budget", 2021, False),
        ("Budget 2022", "budget", 2022, False),
        ("Plan 2023", "plan", 2023, False),
        ("Plan 2024", "plan", 2024, False),
    ]
    inferred = BudgetColumn.objects.filter(table__key="tsk-2022-departments")
    assert set(inferred.values_list("kind_inferred", flat=True)) == {True}


@pytest.mark.parametrize(
    ("row", "year", "raw", "number"),
    [
        ("ksk-2022-operating-costs", 2020, "-211 922", Decimal("-211922")),
        ("ksk-2022-operating-net", 2022, "-152 445", Decimal("-152445")),
        ("ksk-2022-departments-it", 2021, "- 6 406", Decimal("-6406")),
        ("sbk-2022-departments-plan", 2021, "300", Decimal("300")),
        ("sbk-2022-operating-change-percent", 2022, "223,4%", Decimal("223.4")),
        ("ksk-2022-investments-total", 2022, "613 825", Decimal("613825")),
        ("tsk-2022-changes-foraldrastod", 2023, "+200", Decimal("200")),
        ("tsk-2022-changes-utryckningsstyrka", 2024, "-2 200", Decimal("-2200")),
    ],
)
def test_seed_figures_keep_the_printed_text_and_their_number(row, year, raw, number):
    cell = BudgetCell.objects.get(row__key=row, column__year=year)
    assert (cell.raw, cell.number) == (raw, number)


def test_departments_link_to_their_org_unit_and_keep_the_printed_name():
    rows = BudgetRow.objects.filter(table__key="ksk-2022-departments").select_related("unit")
    linked = {r.label: r.unit.code if r.unit else None for r in rows}
    assert linked["- varav HR-avdelning"] == "KSK-HR"
    assert linked["- varav stabs- och planeringschef"] == "KSK-STAB"
    assert linked["- varav kommundirektör"] is None
    assert BudgetRow.objects.get(key="sbk-2022-departments-mex").unit.code == "SBK-MEX"


def test_varav_rows_are_parts_of_their_row():
    office = BudgetRow.objects.get(key="ksk-2022-departments-ksk")
    assert office.kind == "subtotal"
    assert office.parts.count() == 6
    assert BudgetRow.objects.get(key="ksk-2022-operating-capital-costs").part_of.key == (
        "ksk-2022-operating-costs"
    )


def test_every_computed_figure_of_the_seed_equals_the_printed_one_where_it_can_be_computed():
    tables = BudgetTable.objects.for_display()
    checked = 0
    for budget_table in tables:
        for figures in budget_table.figures().values():
            for figure in figures.values():
                if figure.is_computed_row and figure.computed is not None:
                    assert figure.printed is not None
                    assert not figure.disagrees, (budget_table.key, figure)
                    checked += 1
    # Operating tables: Netto 5 + 5 + 3 (TSK prints no income and costs for 2023–2024),
    # changes 3 × (4 + 4); department totals 5 + 5 + 2; KSK's office subtotal 5;
    # investment totals 3 + 3.
    assert checked == 13 + 24 + 12 + 5 + 6


def test_the_seed_budget_anomalies_are_exactly_the_known_ones():
    assert budget_anomalies(load_plan([SEED])) == SEED_ANOMALIES


def test_a_printed_figure_that_disagrees_is_reported_with_file_line_row_column_and_both_figures(
    seed_copy,
):
    edit_budget(
        seed_copy, lambda d: row(d, "ksk-2022-operating-net")["values"].update({2022: "-152 444"})
    )
    text = (seed_copy / "budget.yaml").read_text(encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "id: ksk-2022-operating-net" in t)
    result = load_plan([seed_copy])
    found = [str(p) for p in result.anomalies if p.item == "ksk-2022-operating-net"]
    assert found == [
        f"{seed_copy / 'budget.yaml'}:{line}: budget_tables «ksk-2022-operating-net», "
        "fält «Budget 2022»: «Netto»: tryckt -152 444, beräknat -152 445"
    ]
    # The change rows build on the computed Netto, so they still agree.
    assert not [p for p in result.anomalies if p.item == "ksk-2022-operating-change"]


def test_a_wrong_subtotal_and_percentage_are_reported(seed_copy):
    def change(data):
        row(data, "ksk-2022-departments-hr")["values"][2020] = "-24 581"
        row(data, "sbk-2022-operating-change-percent")["values"][2021] = "-33,5%"

    edit_budget(seed_copy, change)
    found = budget_anomalies(load_plan([seed_copy])) - SEED_ANOMALIES
    assert found == {
        ("ksk-2022-departments-ksk", "Utfall 2020", "beräknat"),
        ("ksk-2022-departments-total", "Utfall 2020", "beräknat"),
        ("sbk-2022-operating-change-percent", "Budget 2021", "beräknat"),
    }


def test_loading_the_seed_again_leaves_the_budget_unchanged():
    before = snapshot()
    result = load_plan([SEED])
    assert result.unchanged["budget_tables"] == 9
    assert result.unchanged["budget_rows"] == 57
    assert not result.created["budget_rows"]
    assert not result.updated["budget_rows"]
    assert snapshot() == before


def test_an_edited_figure_updates_its_row_in_place(seed_copy):
    pk = BudgetRow.objects.get(key="tsk-2022-investments-fordon").pk
    edit_budget(
        seed_copy, lambda d: row(d, "tsk-2022-investments-fordon")["values"].update({2022: "4 066"})
    )
    result = load_plan([seed_copy])
    assert result.updated["budget_rows"] == 1
    cell = BudgetCell.objects.get(row__key="tsk-2022-investments-fordon", column__year=2022)
    assert (cell.row_id, cell.raw, cell.number) == (pk, "4 066", 4066)


# --- Bad input -------------------------------------------------------------------------

BAD_BUDGETS = {
    "figure_not_a_number": (
        lambda d: row(d, "sbk-2022-operating-income")["values"].update({2020: "nio tusen"}),
        ["sbk-2022-operating-income", "«values.2020»", "«nio tusen» är inget belopp"],
    ),
    "value_without_column": (
        lambda d: row(d, "tsk-2022-investments-fordon")["values"].update({2019: "1"}),
        ["tsk-2022-investments-fordon", "ingen kolumn för 2019"],
    ),
    "label_says_another_kind": (
        lambda d: table(d, "tsk-2022-changes")["columns"][0].update(kind="plan"),
        ["tsk-2022-changes", "«columns.0»", "«Budget 2022» är budget, inte plan"],
    ),
    "year_not_in_label": (
        lambda d: table(d, "tsk-2022-changes")["columns"][1].update(year=2025),
        ["tsk-2022-changes", "året 2025 står inte i «Plan 2023»"],
    ),
    "kind_not_printed_and_not_marked_inferred": (
        lambda d: table(d, "tsk-2022-investments")["columns"][0].pop("kind_inferred"),
        ["tsk-2022-investments", "«columns.0»", "set kind_inferred: true"],
    ),
    "part_of_an_unknown_row": (
        lambda d: row(d, "sbk-2022-operating-capital-costs").update(part_of="sbk-2022-nope"),
        ["sbk-2022-operating-capital-costs", "«part_of»", "är ingen rad ovanför i tabellen"],
    ),
    "duplicate_row_id": (
        lambda d: table(d, "sbk-2022-departments")["rows"].append(
            dict(row(d, "sbk-2022-departments-mex"))
        ),
        ["dubblett", "sbk-2022-departments-mex"],
    ),
    "unknown_unit": (
        lambda d: row(d, "sbk-2022-departments-mex").update(unit="SBK-NOPE"),
        ["«rows.3.unit»", "okänd referens", "SBK-NOPE"],
    ),
    "unknown_plan": (
        lambda d: table(d, "sbk-2022-departments").update(plan="SBK-1999"),
        ["sbk-2022-departments", "«plan»", "SBK-1999"],
    ),
    "unknown_row_kind": (
        lambda d: row(d, "sbk-2022-departments-mex").update(kind="sum"),
        ["«rows.3.kind»", "amount"],
    ),
    "percent_in_an_amount_row": (
        lambda d: row(d, "sbk-2022-operating-income")["values"].update({2020: "9%"}),
        ["sbk-2022-operating-income", "% endast i förändring i %"],
    ),
}


@pytest.mark.parametrize("case", BAD_BUDGETS)
def test_bad_budget_data_stops_the_load_with_a_located_message_and_changes_nothing(seed_copy, case):
    change, expected = BAD_BUDGETS[case]

    def change_and_touch(data):
        row(data, "ksk-2022-investments-it")["values"][2022] = "1"  # must not be saved
        change(data)

    edit_budget(seed_copy, change_and_touch)
    before = snapshot()
    with pytest.raises(DataError) as error:
        load_plan([seed_copy])
    message = str(error.value)
    assert "budget.yaml:" in message
    for part in expected:
        assert part in message
    assert snapshot() == before


def test_a_bad_figure_is_located_at_its_rows_line(seed_copy):
    edit_budget(
        seed_copy,
        lambda d: row(d, "tsk-2022-changes-ordningsvakter")["values"].update({2022: "sex"}),
    )
    path = seed_copy / "budget.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(lines, 1) if "id: tsk-2022-changes-ordningsvakter" in t)
    with pytest.raises(DataError) as error:
        load_plan([seed_copy])
    assert [str(p) for p in error.value.problems] == [
        f"{path}:{line}: budget_tables «tsk-2022-changes-ordningsvakter», "
        "fält «values.2022»: «sex» är inget belopp"
    ]
