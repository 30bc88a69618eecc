"""The follow-up report's economy section and the workbook's economy sheet."""

import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from openpyxl import load_workbook

from verksam.budget.models import BudgetCell
from verksam.economy.examples import load_example_economy
from verksam.economy.models import CarryOver, Forecast, Outcome
from verksam.economy.reporting import economy_of
from verksam.followup.examples import load_example_round
from verksam.followup.models import ReportingPeriod
from verksam.reports.economy_document import economy_blocks
from verksam.reports.formats import followup_report
from verksam.testing import (
    close_round,
    example_controller,
    pdf_tables,
    rolled_back,
    sv,
    table_attributes,
)

# One xdist worker makes the round, its economy and its PDF (module fixtures) for all of these.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("economy_report")]


@pytest.fixture(scope="module")
def example(django_db_setup: None, django_db_blocker: Any) -> Iterator[int]:
    """The example round with its economy, made once for the module's tests (rolled back
    after them)."""
    with rolled_back(django_db_blocker):
        period = load_example_round(settings.DEMO_FOLLOWUP_FILE).period
        load_example_economy(settings.DEMO_ECONOMY_FILE)
        yield period.pk


@pytest.fixture
def period(example: int) -> ReportingPeriod:
    return ReportingPeriod.objects.get(pk=example)


@pytest.fixture(scope="module")
def pdf(example: int) -> bytes:
    """The round's report as a PDF, typeset once for the module's tests."""
    return followup_report(ReportingPeriod.objects.get(pk=example), "pdf")


def test_the_report_has_the_economy_with_the_convention_and_every_office(period):
    blocks = economy_blocks(economy_of(period).as_data())
    assert blocks[0] == {"type": "heading", "level": 1, "text": sv("Economy")}
    tables = [b for b in blocks if b["type"] == "table"]
    captions = [t["caption"] for t in tables]
    assert captions[:3] == [
        sv("Net per department, %(office)s (kSEK)") % {"office": name}
        for name in ("Kommunstyrelsekontoret", "Samhällsbyggnadskontoret",
                     "Trygghets- och säkerhetskontoret")
    ]  # fmt: skip
    stab = next(r for r in tables[0]["rows"] if r[0] == "- varav stabs- och planeringschef")
    assert stab[1] == "\u221248\xa0634"  # a figure's minus is U+2212
    assert stab[6] == f"● {sv('as budgeted')}"
    utbyggnad = next(r for t in tables for r in t["rows"] if r[0] == "Nya utbyggnadsområden")
    # Budget 357 100, forecast 300 000: 57 100 better, unspent and proposed for carry-over.
    assert utbyggnad[3:5] == ["300\xa0000", "57\xa0100"]
    assert utbyggnad[7] == "57\xa0100"
    assert utbyggnad[8].startswith(sv("proposed, not decided"))


def test_an_offices_report_has_only_its_economy(period):
    blocks = economy_blocks(economy_of(period).as_data(), owner="SBK")
    captions = [b["caption"] for b in blocks if b["type"] == "table"]
    assert captions == [
        sv("Net per department, %(office)s (kSEK)") % {"office": "Samhällsbyggnadskontoret"}
    ]


def test_a_round_without_outcome_or_forecast_has_no_economy_section(period):
    CarryOver.objects.all().delete()
    Forecast.objects.all().delete()
    Outcome.objects.all().delete()
    assert economy_blocks(economy_of(period).as_data()) == []


def test_the_workbook_has_an_economy_sheet_with_exact_figures(period):
    book = load_workbook(io.BytesIO(followup_report(period, "xlsx")))
    sheet = book[sv("Economy")]
    rows = list(sheet.iter_rows(values_only=True))
    stab = next(r for r in rows if r[3] == "- varav stabs- och planeringschef")
    assert (stab[2], stab[4]) == ("KSK-STAB", Decimal("-48634"))
    assert stab[5] < 0


def test_the_pdf_and_word_reports_print_the_economy(period, pdf):
    assert followup_report(period, "docx")
    assert pdf.startswith(b"%PDF")


def test_the_pdfs_economy_tables_have_their_labels_as_row_headers(period, pdf):
    """A department's, the board's and a project's label heads its row (TH, scope Row), as
    a budget row's does in the plan; the report's other tables have none."""
    tables = [b for b in economy_blocks(economy_of(period).as_data()) if b["type"] == "table"]
    headed = [t for t in pdf_tables(pdf) if any(row[0]["/S"] == "/TH" for row in t.body)]
    assert [len(t.body) for t in headed] == [len(t["rows"]) for t in tables]
    for table in headed:
        assert {table_attributes(row[0])["/Scope"] for row in table.body} == {"/Row"}


def test_a_closed_rounds_report_prints_the_economy_its_snapshot_froze(period):
    """Closing the round freezes its economy with its reports: a later change to the budget
    (here written past the decided plan's guard) does not reach the closed round's report."""
    close_round(period, actor=example_controller())
    frozen = period.snapshots.get().data["economy"]
    assert frozen == economy_of(period).as_data()
    BudgetCell.objects.filter(row__unit__code="KSK-STAB").update(number=Decimal(1))
    assert economy_of(period).as_data() != frozen

    book = load_workbook(io.BytesIO(followup_report(period, "xlsx")))
    rows = list(book[sv("Economy")].iter_rows(values_only=True))
    stab = next(r for r in rows if r[3] == "- varav stabs- och planeringschef")
    assert stab[4] == Decimal("-48634")
