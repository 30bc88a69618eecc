"""The workbook: a sheet per kind with filters, frozen header rows, Swedish number
formats, and text that is never a formula."""

import io
import time
from decimal import Decimal
from unittest import mock

import openpyxl
import pytest

from verksam.indicators.models import Indicator, IndicatorValue
from verksam.plans.models import Action, Plan
from verksam.reports.formats import plan_report
from verksam.reports.tests.texts import FORMULA, HOSTILE

pytestmark = pytest.mark.django_db


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
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
    assert book["Åtgärder"].max_row == 1 + Action.objects.count()
    assert book["Indikatorer"].max_row == 1 + Indicator.objects.count()
    assert book["Indikatorvärden"].max_row == 1 + IndicatorValue.objects.count()


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


def test_a_negative_amount_keeps_its_sign_and_digits() -> None:
    value = IndicatorValue.objects.first()
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
