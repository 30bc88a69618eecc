"""The workbook: a sheet per kind with filters, frozen header rows, Swedish number
formats, and text that is never a formula."""

import io
import time
from collections import Counter
from decimal import Decimal
from typing import Any
from unittest import mock

import openpyxl
import pytest

from verksam.budget.models import BudgetCell
from verksam.indicators.models import Indicator, IndicatorValue
from verksam.plans.models import Action, Plan
from verksam.reports.formats import plan_report
from verksam.risks.models import InternalControlArea, Risk
from verksam.testing import FORMULA, HOSTILE, LONG_WORD

# These tests set up their cases by editing the decided seed directly.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_editable")]


def workbook(key: str = "KS-2022") -> openpyxl.Workbook:
    plan = Plan.objects.select_related("owner").get(key=key)
    content = plan_report(plan, "xlsx", visible=Plan.objects.all())
    return openpyxl.load_workbook(io.BytesIO(content))


def test_one_sheet_per_kind_with_filter_and_frozen_header() -> None:
    book = workbook()
    assert book.sheetnames == [
        "Uppdrag",
        "Åtgärder",
        "Indikatorer",
        "Indikatorvärden",
        "Bilaga 1 ej slutförda",
        "Budgetbelopp",
        "Risker",
        "Intern kontroll",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
    assert book["Åtgärder"].max_row == 1 + Action.objects.count()
    assert book["Indikatorer"].max_row == 1 + Indicator.objects.count()
    assert book["Indikatorvärden"].max_row == 1 + IndicatorValue.objects.count()
    assert book["Risker"].max_row == 1 + Risk.objects.count()
    # The seed prints no control points: one row per area.
    assert book["Intern kontroll"].max_row == 1 + InternalControlArea.objects.count()


def rows(sheet: Any) -> list[dict[str, Any]]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def test_every_budget_figure_and_risk_appears_once() -> None:
    book = workbook()
    figures = Counter(
        (r["Tabell"].value, r["Rad"].value, r["Kolumn enligt planen"].value)
        for r in rows(book["Budgetbelopp"])
    )
    # One row per printed figure (the seed prints every figure the computation gives).
    cells = BudgetCell.objects.values_list("row__table__title", "row__label", "column__label")
    assert figures == Counter(cells)
    assert sum(figures.values()) == 215
    risks = rows(book["Risker"])
    assert Counter(r["Id"].value for r in risks) == Counter(
        Risk.objects.values_list("key", flat=True)
    )


def test_budget_figures_are_numbers_with_the_computation_beside_them() -> None:
    cell = BudgetCell.objects.get(row__key="ksk-2022-operating-net", column__year=2022)
    cell.raw = "-150 000"
    cell.save()
    sheet = workbook()["Budgetbelopp"]
    net = next(
        r
        for r in rows(sheet)
        if r["Rad"].value == "Netto" and r["Plan"].value == "KSK-2022" and r["År"].value == 2022
    )
    assert net["Belopp enligt planen"].value == "-150 000"
    assert net["Tal"].value == Decimal(-150000)
    assert net["Beräknat belopp"].value == Decimal(-152445)
    assert net["Beräknat belopp"].number_format == "#,##0"
    assert net["Typ"].value == "budget"
    percent = next(
        r
        for r in rows(sheet)
        if r["Rad"].value == "Förändring i %"
        and r["Plan"].value == "KSK-2022"
        and r["År"].value == 2021
    )
    assert percent["Tal"].value == Decimal("12.0")
    assert percent["Beräknat belopp"].number_format == '#,##0.0" %"'


def test_numbers_are_numbers_in_swedish_format() -> None:
    sheet = workbook()["Indikatorvärden"]
    header = [c.value for c in sheet[1]]
    raw, number = header.index("Värde enligt planen"), header.index("Tal")
    row = next(r for r in sheet.iter_rows(min_row=2) if r[raw].value == "3,0%")
    assert row[number].value == 3
    # Shown as "3,0 %" with a decimal comma in a Swedish Excel.
    assert row[number].number_format == '#,##0.0" %"'


def test_dates_are_dates_and_raw_texts_stay() -> None:
    sheet = workbook()["Åtgärder"]
    header = [c.value for c in sheet[1]]
    start_raw, start = header.index("Start enligt planen"), header.index("Start")
    row = next(r for r in sheet.iter_rows(min_row=2) if r[start_raw].value == "Påbörjat 2021")
    assert row[start].value.year == 2021
    assert row[start].number_format == "yyyy-mm-dd"


def test_text_starting_like_a_formula_is_stored_as_text(hostile_action: Action) -> None:
    sheet = workbook("KSK-2022")["Åtgärder"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "hostile")
    cells = {c.value: c.data_type for c in row if c.value}
    assert cells[HOSTILE] == "s"
    assert any(str(v).endswith(FORMULA) and t == "s" for v, t in cells.items())
    assert cells["+46 @ -1"] == "s"


def test_hostile_risk_is_stored_as_text(hostile_risk: Risk) -> None:
    sheet = workbook("KSK-2022")["Risker"]
    risk = next(r for r in rows(sheet) if r["Id"].value == "hostile-risk")
    assert {c.value: c.data_type for c in risk.values() if c.value} == {
        "hostile-risk": "s",
        "KSK": "s",
        FORMULA: "s",
        HOSTILE: "s",
        "@Åtgärd:": "s",
        f"{LONG_WORD} -1+2": "s",
    }


def test_a_negative_amount_keeps_its_sign_and_digits() -> None:
    value = IndicatorValue.objects.earliest("pk")
    value.raw = "-152 445"
    value.save()
    sheet = workbook()["Indikatorvärden"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[5].value == "-152 445")
    assert row[6].value == Decimal(-152445)
    assert row[6].number_format == "#,##0"


def test_same_data_gives_the_same_file_later() -> None:
    plan = Plan.objects.select_related("owner").get(key="KS-2022")
    first = plan_report(plan, "xlsx", visible=Plan.objects.all())
    with mock.patch("time.time", return_value=time.time() + 86_400):
        assert plan_report(plan, "xlsx", visible=Plan.objects.all()) == first


def test_text_cells_hold_values_as_printed() -> None:
    book = workbook()
    values = {c.value for row in book["Indikatorvärden"].iter_rows(min_row=2) for c in row}
    assert "10:52 min" in values  # the number beside it is read, the text stays
    figures = {c.value for row in book["Budgetbelopp"].iter_rows(min_row=2) for c in row}
    assert "+200" in figures
