"""The follow-up report of the demo's April round: its sections, the same figures in the
chart and the table, Word and Excel, hostile text, and a closed period's report made from
its snapshot alone (the same bytes after later edits). The round is made once for the module;
the open round's files and the closed round's are each made once, and read by many tests."""

import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.utils import translation
from docx import Document

from verksam.core.numbers import parse_value, value_text
from verksam.economy.examples import load_example_economy
from verksam.economy.reporting import economy_of
from verksam.followup import services
from verksam.followup.models import Judgement, PeriodText, ReportingPeriod, StatusReport
from verksam.followup.summary import draft_summary, kronor
from verksam.plans.models import Action
from verksam.reports.blocks import figure, paragraph
from verksam.reports.economy_document import economy_blocks
from verksam.reports.followup_document import (
    fetch_followup_data,
    followup_document,
    followup_workbook,
)
from verksam.reports.formats import followup_report
from verksam.testing import (
    FORMULA,
    HOSTILE,
    close_round,
    example_controller,
    example_round,
    letters,
    pdf_structure,
    pdf_text,
    rolled_back,
    savepoint_rolled_back,
    seed_editable,
    sv,
)

# These tests set up their cases by editing the decided seed directly. One xdist worker makes
# the round and its documents (module fixtures) for all of them.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("seed_editable"),
    pytest.mark.xdist_group("followup_report"),
]

DELAYED = "ksk-2022-1.2-u3-a1"  # reported delayed in the example round, with its analysis


FORMATS = ("pdf", "docx", "xlsx")


@pytest.fixture(scope="module")
def example(django_db_setup: None, django_db_blocker: Any) -> Iterator[int]:
    """The demo's April round, made once for the module's tests (rolled back after them)."""
    with rolled_back(django_db_blocker):
        yield example_round().pk


@pytest.fixture
def april(example: int) -> ReportingPeriod:
    """The demo's April round, open, half-way through (example data)."""
    return ReportingPeriod.objects.get(pk=example)


@pytest.fixture
def controller(april: ReportingPeriod) -> Any:
    """The example round's controller (made with the round)."""
    return example_controller()


def document(period: ReportingPeriod, owner: str | None = None) -> dict[str, Any]:
    return followup_document(fetch_followup_data(period, owner=owner))


@dataclass(frozen=True)
class OpenRound:
    """The open round's report as the module's tests read it (they do not change it)."""

    document: dict[str, Any]
    items: list[dict[str, Any]]
    files: dict[str, bytes]
    text: str  # the PDF's


@pytest.fixture(scope="module")
def open_round(example: int) -> OpenRound:
    """The open round's document, its items and its files, each made once."""
    period = ReportingPeriod.objects.get(pk=example)
    files = {name: followup_report(period, name) for name in FORMATS}
    return OpenRound(
        document(period), fetch_followup_data(period).data["items"], files, pdf_text(files["pdf"])
    )


@dataclass(frozen=True)
class ClosedRound:
    """The round closed with the controller's texts: its files made as it closed
    (`before`) and again after its rows and texts were changed (`after`), and its document
    and workbook data then."""

    before: dict[str, bytes]
    after: dict[str, bytes]
    document: dict[str, Any]
    workbook: str
    text: str  # the PDF's, after


@pytest.fixture(scope="module")
def closed_round(example: int) -> ClosedRound:
    """Made once, in a transaction rolled back at once: the other tests see the open round."""
    with savepoint_rolled_back(), seed_editable():
        period = ReportingPeriod.objects.get(pk=example)
        controller = example_controller()
        write_texts(period, controller)
        close_round(period, actor=controller)
        before = {name: followup_report(period, name) for name in FORMATS}
        # Whatever happens to the rows later, the report prints what the snapshot froze.
        action = Action.objects.get(key=DELAYED)
        action.text = "Ändrad efteråt"
        action.save()
        StatusReport.objects.filter(period=period, action=action).update(cause="Ändrad orsak")
        PeriodText.objects.filter(period=period).update(text="Ändrad efteråt")
        after = {name: followup_report(period, name) for name in FORMATS}
        return ClosedRound(
            before,
            after,
            document(period),
            str(followup_workbook(fetch_followup_data(period))),
            pdf_text(after["pdf"]),
        )


def chapters(doc: dict[str, Any]) -> list[str]:
    return [b["text"] for b in doc["blocks"] if b["type"] == "heading" and b["level"] == 1]


def tables(doc: dict[str, Any], first_column: str) -> list[dict[str, Any]]:
    return [b for b in doc["blocks"] if b["type"] == "table" and b["columns"][0] == first_column]


def test_report_has_its_sections_in_order_and_says_it_is_example_data(
    april, open_round: OpenRound
) -> None:
    doc = open_round.document
    assert chapters(doc) == [
        "Sammanfattning",
        "Fullständighet i rapporteringen",
        "Måluppfyllelse",
        "Status för uppdrag och åtgärder",
        "Försenat",
        "Indikatorutfall",
        "Bilaga 1. Indikatorer: utfall mot målvärde",
    ]
    facts = dict(doc["facts"])
    assert facts["Status"] == "Öppen"
    assert facts["Exempeldata"]
    assert facts["Sista dag"] == april.deadline.isoformat()
    assert doc["title"].startswith("Delårsrapport 1")


def test_every_action_and_assignment_has_a_status_row(open_round: OpenRound) -> None:
    doc = open_round.document
    status_tables = tables(doc, "Åtgärd") + tables(doc, "Uppdrag")
    # Compact: the item, its status, and what the reporter wrote in one column.
    assert {tuple(t["columns"][1:]) for t in status_tables} == {("Status", "Analys och kommentar")}
    rows = [r[0] for t in status_tables for r in t["rows"]]
    items = [i for i in open_round.items if i["kind"] != "indicator"]
    assert sorted(rows) == sorted(i["title"] for i in items)


def test_summary_counts_what_the_lists_hold(open_round: OpenRound) -> None:
    doc = open_round.document
    start = next(i for i, b in enumerate(doc["blocks"]) if b.get("text") == "Sammanfattning")
    first = doc["blocks"][start + 1]["text"]
    items = [i for i in open_round.items if i["kind"] != "indicator"]
    late_rows = tables(doc, "Post")[0]["rows"]
    unreported = sum(1 for i in items if not i["report"])
    assert first.startswith(f"Av {len(items)} uppdrag och åtgärder i omgången")
    assert f"{unreported} är inte rapporterade" in first
    assert f"{len(late_rows)} har passerat sitt planerade slutdatum (se Försenat)" in first
    assert "(se Status för uppdrag och åtgärder)" in first
    # No summary is written: the draft is printed, and says so.
    assert "Utkast ur omgångens siffror: ingen sammanfattning är skriven." in [
        b["text"] for b in doc["blocks"] if b["type"] == "note"
    ]
    areas = next(b for b in doc["blocks"] if b.get("caption") == "Måluppfyllelse per målområde")
    assert len(areas["rows"]) == 7
    assert all(re.match(r"^[✓◐✗?] \w", row[1]) for row in areas["rows"])


def test_late_item_is_listed_with_its_cause(open_round: OpenRound) -> None:
    doc = open_round.document
    (late,) = tables(doc, "Post")
    action = Action.objects.get(key=DELAYED)
    row = next(r for r in late["rows"] if r[0] == action.text)
    assert row[2] == "2022-03-31"
    assert row[4] == "KSON:s organisationsförändring sköt upp de första mötena."


def test_judgements_and_suggestions_carry_words_symbol_and_rule(open_round: OpenRound) -> None:
    paragraphs = [b for b in open_round.document["blocks"] if b["type"] == "paragraph"]
    suggestions = [p["text"] for p in paragraphs if p["label"] == "Förslag:"]
    assert suggestions
    assert all(re.match(r"^[✓◐✗?] \w", text) for text in suggestions)
    notes = [b["text"] for b in open_round.document["blocks"] if b["type"] == "note"]
    assert any(n.startswith("Regel: ") and "→" in n for n in notes)


def test_chart_and_table_show_the_same_figures(open_round: OpenRound) -> None:
    doc = open_round.document
    charts = [b for b in doc["blocks"] if b["type"] == "chart"]
    assert charts
    figures = {(r[0], r[1], r[2]) for t in tables(doc, "Indikator") for r in t["rows"]}
    for chart in charts:
        # One scale for every row: the target is the line at 100 %, the axis labelled.
        assert [t["label"] for t in chart["ticks"]][:3] == ["0 %", "50 %", "100 %"]
        reference = float(chart["reference"])
        assert float(chart["ticks"][2]["share"]) == reference
        for row in chart["rows"]:
            assert (row["label"], row["target"], row["outcome"]) in figures
            share = float(row["share"])
            assert 0 <= share <= 1
            outcome, target = (parse_value(row[k]).number for k in ("outcome", "target"))
            assert outcome is not None
            assert target
            assert abs(share / reference - float(outcome / target)) < 0.001 or share == 1


def test_office_report_holds_only_its_items(april) -> None:
    items = fetch_followup_data(april, owner="TSK")
    doc = followup_document(items)
    offices = [b["text"] for b in doc["blocks"] if b["type"] == "heading" and b["level"] == 2]
    assert any(o.startswith("TSK ") for o in offices)
    assert not any(o.startswith("KSK ") for o in offices)


def test_pdf_and_word_print_the_report(open_round: OpenRound) -> None:
    pdf = open_round.text
    assert "Delårsrapport 1" in pdf
    assert "Exempeldata" in pdf
    assert letters("KSON:s organisationsförändring sköt upp de första mötena") in letters(pdf)
    word = Document(io.BytesIO(open_round.files["docx"]))
    texts = [p.text for p in word.paragraphs]
    assert "Diagrammet finns i PDF-versionen; tabellen har samma siffror." in texts
    assert "Indikatorutfall" in texts


def test_workbook_has_a_sheet_per_kind_with_filters_and_frozen_headers(
    open_round: OpenRound,
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(open_round.files["xlsx"]))
    assert book.sheetnames == [
        "Statusrapporter",
        "Indikatorutfall",
        "Måluppfyllelse",
        "Fullständighet i rapporteringen",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
    statuses = book["Statusrapporter"]
    header = [c.value for c in statuses[1]]
    delayed = next(r for r in statuses.iter_rows(min_row=2, values_only=True) if r[0] == DELAYED)
    assert delayed[header.index("Orsak")].startswith("KSON:s")
    outcomes = book["Indikatorutfall"]
    header = [c.value for c in outcomes[1]]
    numbers = [
        r[header.index("Utfall")]
        for r in outcomes.iter_rows(min_row=2)
        if r[header.index("Utfall")].value is not None
    ]
    assert numbers
    assert all(cell.number_format.startswith("#,##0") for cell in numbers)


def test_hostile_text_prints_literally(april, controller) -> None:
    StatusReport.objects.filter(period=april, action__key=DELAYED).update(
        comment=HOSTILE, remedy=FORMULA
    )
    assert Judgement.objects.filter(period=april).update(motivation=HOSTILE)
    flat = re.sub(r"\s+", "", pdf_text(followup_report(april, "pdf")))
    assert re.sub(r"\s+", "", HOSTILE) in flat
    word = Document(io.BytesIO(followup_report(april, "docx")))
    cells = {c.text for t in word.tables for row in t.rows for c in row.cells}
    # What the reporter wrote, each part with its label, in one cell.
    assert any(FORMULA in c and HOSTILE in c for c in cells)
    book = openpyxl.load_workbook(io.BytesIO(followup_report(april, "xlsx")))
    statuses = book["Statusrapporter"]
    row = next(r for r in statuses.iter_rows(min_row=2) if r[0].value == DELAYED)
    assert (row[10].value, row[10].data_type) == (FORMULA, "s")


@pytest.mark.parametrize("format_name", FORMATS)
def test_closed_period_report_comes_from_its_snapshot_and_never_changes(
    closed_round: ClosedRound, format_name: str
) -> None:
    assert closed_round.after[format_name] == closed_round.before[format_name]
    assert "Ändrad" not in closed_round.workbook


def test_closed_report_says_closed_and_names_its_snapshot(closed_round: ClosedRound) -> None:
    facts = dict(closed_round.document["facts"])
    assert (facts["Status"], facts["Källa"]) == ("Stängd", "Ögonblicksbild 1")


def test_completeness_counts_reports_and_submissions_per_unit(open_round: OpenRound) -> None:
    (units,) = tables(open_round.document, "Enhet")
    by_unit = {row[0].split()[0]: row[1:] for row in units["rows"]}
    to_report, reported, missing, submitted = by_unit["KSK-IT"]
    assert int(to_report) == int(reported) + int(missing)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", submitted)
    sbk = by_unit["SBK"]  # has reported nothing yet
    assert (sbk[1], sbk[2], sbk[3]) == ("0", sbk[0], "Ej inlämnad")


SUMMARY = "Omgången går i stort enligt plan.\n\n• Sju åtgärder är klara\n• Tre avviker"
EVENTS = "KSON bytte organisation i mars."


def write_texts(period: ReportingPeriod, controller: Any) -> None:
    for kind, text in (("summary", SUMMARY), ("events", EVENTS)):
        services.write_period_text(period, kind, actor=controller, expected_version=0, text=text)


def test_the_controllers_texts_print_from_the_snapshot_in_pdf_and_word(
    closed_round: ClosedRound,
) -> None:
    # The texts were changed after the round closed (`closed_round`).
    doc = closed_round.document
    assert chapters(doc)[:3] == [
        "Sammanfattning",
        "Väsentliga händelser",
        "Fullständighet i rapporteringen",
    ]
    blocks = doc["blocks"][doc["blocks"].index(heading_block("Sammanfattning")) + 1 :]
    assert blocks[0] == paragraph("Omgången går i stort enligt plan.")
    assert blocks[1] == {"type": "list", "items": ["Sju åtgärder är klara", "Tre avviker"]}
    pdf = closed_round.text
    assert letters("Omgången går i stort enligt plan.") in letters(pdf)
    assert "Väsentliga händelser" in pdf
    assert letters(EVENTS) in letters(pdf)
    assert "Ändrad" not in pdf
    assert "Utkast ur omgångens siffror" not in pdf
    word = Document(io.BytesIO(closed_round.after["docx"]))
    styles = {p.text: p.style.name if p.style else "" for p in word.paragraphs}
    assert styles["Väsentliga händelser"] == "Heading 1"
    assert styles["Tre avviker"] == "List Bullet"
    assert styles[EVENTS] == "Normal"


def test_an_offices_report_drafts_its_own_summary_without_the_boards_texts(
    april, controller
) -> None:
    write_texts(april, controller)
    doc = document(april, owner="TSK")
    assert "Väsentliga händelser" not in chapters(doc)
    texts = [b.get("text", "") for b in doc["blocks"]]
    assert SUMMARY.split("\n")[0] not in texts
    tsk = [i for i in fetch_followup_data(april).data["items"] if i["office"] == "TSK"]
    statuses = [i for i in tsk if i["kind"] != "indicator"]
    assert any(t.startswith(f"Av {len(statuses)} uppdrag") for t in texts)


def test_the_drafted_summary_gives_the_economy_as_its_section_does(april) -> None:
    load_example_economy(settings.DEMO_ECONOMY_FILE)
    data = economy_of(april).as_data()
    board = data["board"]
    with translation.override("sv"):
        draft = draft_summary(fetch_followup_data(april).data, economy=data)
    (economy,) = [p for p in draft.split("\n\n") if p.startswith("Ekonomi")]
    assert f"budget {kronor(board['budget'])}" in economy
    assert f"utfall till {data['as_of']}" in economy
    assert economy.endswith("(se Ekonomi).")
    # The report's summary has it too: the same figures as the economy's board table.
    doc = followup_document(replace(fetch_followup_data(april), economy=data), economy_blocks(data))
    assert any(b.get("text") == economy for b in doc["blocks"])
    (total,) = [b for b in doc["blocks"] if b.get("caption") == sv("The board in total (kSEK)")]
    assert total["rows"][0][1] == kronor(board["budget"])


def test_the_appendix_holds_every_indicator_against_its_target(open_round: OpenRound) -> None:
    doc = open_round.document
    chapter = "Bilaga 1. Indikatorer: utfall mot målvärde"
    blocks = doc["blocks"][doc["blocks"].index(heading_block(chapter)) :]
    (appendix,) = [b for b in blocks if b["type"] == "table"]
    # One fixed order; baseline, split by gender and source only where an indicator has one.
    order = [
        "Indikator", "Kontor", "Basvärde", "Senaste utfall i planen", "Målvärde 2022", "Utfall",
        "Kvinnor / män", "Bedömning", "Källa",
    ]  # fmt: skip
    assert appendix["columns"] == [c for c in order if c in appendix["columns"]]
    assert {"Indikator", "Senaste utfall i planen", "Målvärde 2022", "Utfall"} <= set(
        appendix["columns"]
    )
    column = appendix["columns"].index
    indicators = [i for i in open_round.items if i["kind"] == "indicator"]
    assert [r[0] for r in appendix["rows"]] == [i["title"] for i in indicators]
    # What the plan printed before the year, as printed, with its column ("8,2 (Utfall 2020)").
    latest = [
        (r[column("Senaste utfall i planen")], i["printed"]["outcome"])
        for r, i in zip(appendix["rows"], indicators, strict=True)
    ]
    assert any(cell for cell, _value in latest)
    for cell, value in latest:
        assert cell == (figure(f"{value_text(value['raw'])} ({value['label']})") if value else "")
    reported = [i for i in indicators if i["outcome"]]
    rows = {r[0]: r for r in appendix["rows"]}
    for indicator in reported:
        outcome = rows[indicator["title"]][column("Utfall")]
        assert outcome == figure(value_text(indicator["outcome"]["raw"]))


@pytest.mark.parametrize("state", ["open", "closed-with-texts"])
def test_the_reports_pdf_tags_headings_without_skips_and_header_cells(
    open_round: OpenRound, closed_round: ClosedRound, state: str
) -> None:
    report = open_round if state == "open" else closed_round
    content = open_round.files["pdf"] if state == "open" else closed_round.after["pdf"]
    elements = pdf_structure(content)
    levels = [int(str(e["/S"])[2:]) for e in elements if re.fullmatch(r"/H\d", str(e["/S"]))]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    headers = [e for e in elements if e["/S"] == "/TH"]
    assert len(headers) >= 9
    assert "Bilaga 1. Indikatorer: utfall mot målvärde" in report.text


def heading_block(text: str) -> dict[str, Any]:
    return {"type": "heading", "level": 1, "text": text}
