"""The Word document: real headings and tables in Word's styles, every item once in the
right table, hostile text as it is."""

import io
import time
from collections import Counter
from typing import Any
from unittest import mock

import docx
import pytest

from verksam.budget.models import BudgetTable
from verksam.indicators.models import Indicator
from verksam.plans.models import Action, Plan
from verksam.reports.formats import plan_report
from verksam.reports.word import render_docx
from verksam.risks.models import Risk
from verksam.testing import FORMULA, HOSTILE, LONG_WORD, letters

# One xdist worker makes the seed document (a module fixture) for all of these tests.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_docx")]


@pytest.fixture(scope="module")
def seed_docx(seed_document: dict[str, Any]) -> Any:
    return docx.Document(io.BytesIO(render_docx(seed_document)))


def text(cell: Any) -> str:
    """A cell's text without its footnote marks (raised numbers)."""
    return "".join(run.text for p in cell.paragraphs for run in p.runs if not run.font.superscript)


def first_cells(word: Any, header: str) -> Counter[str]:
    """The first column of every table whose first header cell is `header`."""
    return Counter(
        text(row.cells[0])
        for table in word.tables
        if table.rows[0].cells[0].text == header
        for row in table.rows[1:]
    )


def test_headings_use_word_heading_styles(seed_docx: Any) -> None:
    headings = [
        (p.style.name, p.text) for p in seed_docx.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", "Kommunstyrelsekontorets verksamhetsplan") in headings
    assert (
        "Heading 2",
        "Målområde 1: Norrtälje kommun ska ha en sund och hållbar ekonomi",
    ) in headings
    assert ("Heading 3", "Inriktningsmål 1.1: En ekonomi i balans") in headings
    assert seed_docx.core_properties.title == "Kommunstyrelsens verksamhetsplan och budget 2022"
    assert seed_docx.core_properties.language == "sv-SE"


def test_every_action_is_a_row_of_an_action_table_once(seed_docx: Any) -> None:
    assert first_cells(seed_docx, "Åtgärd") == Counter(
        Action.objects.values_list("text", flat=True)
    )


def budget_tables(word: Any) -> list[Any]:
    return [table for table in word.tables if table.rows[0].cells[0].text in budget_titles()]


def budget_titles() -> set[str]:
    return set(BudgetTable.objects.values_list("title", flat=True))


def test_every_indicator_is_a_row_of_an_indicator_table_once(seed_docx: Any) -> None:
    titles = budget_titles()
    names = Counter(
        text(row.cells[0])
        for table in seed_docx.tables[1:]  # after the cover's facts
        if table.rows[0].cells[0].text != "Åtgärd"  # action tables
        and table.rows[0].cells[-1].text != "Ursprung"  # Bilaga 1
        and table.rows[0].cells[0].text != "Begrepp"
        and table.rows[0].cells[0].text not in titles
        for row in table.rows[1:]
    )
    assert names == Counter(Indicator.objects.values_list("name", flat=True))


def test_every_budget_row_is_a_row_of_a_budget_table_once(
    seed_docx: Any, budget_rows: Counter[str]
) -> None:
    rows = Counter(
        letters(" ".join(text(cell) for cell in row.cells))
        for table in budget_tables(seed_docx)
        for row in table.rows[1:]
    )
    assert rows == budget_rows


def test_budget_tables_have_their_printed_columns_and_swedish_figures(seed_docx: Any) -> None:
    table = next(t for t in seed_docx.tables if t.rows[0].cells[0].text == "Driftbudget, tkr")
    header = [c.text for c in table.rows[0].cells]
    assert header[1:] == ["Utfall 2020", "Budget 2021", "Budget 2022", "Plan 2023", "Plan 2024"]
    net = next(row for row in table.rows if row.cells[0].text == "Netto")
    assert net.cells[3].text == "\u2212152\u00a0445"  # a real minus
    assert all(run.bold for cell in net.cells for run in cell.paragraphs[0].runs)  # a total


def test_every_risk_is_a_paragraph_once(seed_docx: Any, risk_texts: Counter[str]) -> None:
    paragraphs = Counter(letters(p.text) for p in seed_docx.paragraphs)
    assert {text: paragraphs[text] for text in risk_texts} == risk_texts


def test_hostile_risk_stays_text(hostile_risk: Risk) -> None:
    plan = Plan.objects.select_related("owner").get(key="KSK-2022")
    word = docx.Document(io.BytesIO(plan_report(plan, "docx", visible=Plan.objects.all())))
    texts = [p.text for p in word.paragraphs]
    assert f"{FORMULA} {HOSTILE}" in texts
    assert f"@Åtgärd: {LONG_WORD} -1+2" in texts


def test_action_tables_have_the_seed_columns(seed_docx: Any) -> None:
    table = next(t for t in seed_docx.tables if t.rows[0].cells[0].text == "Åtgärd")
    assert [c.text for c in table.rows[0].cells] == [
        "Åtgärd",
        "Vad som ska ske för att åtgärden ska anses slutförd",
        "Ansvarig",
        "Startdatum",
        "Slutdatum",
    ]
    assert table.style.name == "Table Grid"


def test_indicator_tables_keep_their_year_columns(seed_docx: Any) -> None:
    table = next(t for t in seed_docx.tables if text(t.rows[1].cells[0]) == "Sjukfrånvaron")
    header = [c.text for c in table.rows[0].cells]
    assert header[1:5] == [
        "Utfall 2021 (jan-nov)",
        "Målvärde 2022",
        "Målvärde 2023",
        "Målvärde 2024",
    ]
    assert [c.text for c in table.rows[1].cells][1:5] == ["6,8", "6,5", "6,0", "5"]


def test_hostile_text_stays_text(hostile_action: Action) -> None:
    plan = Plan.objects.select_related("owner").get(key="KSK-2022")
    word = docx.Document(io.BytesIO(plan_report(plan, "docx", visible=Plan.objects.all())))
    row = next(row for table in word.tables for row in table.rows if row.cells[0].text == HOSTILE)
    assert [c.text for c in row.cells] == [HOSTILE, f"{LONG_WORD} {FORMULA}", "", "", "+46 @ -1"]


def test_same_data_gives_the_same_file_later(seed_document: dict[str, Any]) -> None:
    first = render_docx(seed_document)
    with mock.patch("time.time", return_value=time.time() + 86_400):
        assert render_docx(seed_document) == first


def test_indicator_tables_have_one_column_order_one_caption_and_each_note_once(
    seed_docx: Any,
) -> None:
    five_one = Indicator.objects.filter(table="Indikatorer till Inriktningsmål 5.1").first()
    assert five_one is not None
    table = next(t for t in seed_docx.tables if text(t.rows[1].cells[0]) == five_one.name)
    header = [c.text for c in table.rows[0].cells]
    assert header[:6] == [
        "Indikator",
        "Utfall 2020",
        "Utfall 2021",
        "Målvärde 2022",
        "Målvärde 2023",
        "Målvärde 2024",
    ]
    paragraphs = [p.text for p in seed_docx.paragraphs]
    note = "Uppföljning med dessa indikatorer försvåras"
    assert sum(note in text for text in paragraphs) == 1
    assert any("10:52 min" in c.text for t in seed_docx.tables for r in t.rows for c in r.cells)


def contrast(hex_colour: str) -> float:
    """WCAG's contrast ratio of a colour against white."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_table_of_contents_has_its_entries_linked_to_the_headings(seed_docx: Any) -> None:
    entries = [p for p in seed_docx.paragraphs if p.style.name in ("TOC 1", "TOC 2")]
    headings = [p.text for p in seed_docx.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert [p.text for p in entries] == headings  # written, not an empty field
    anchors = [
        link.get(docx.oxml.ns.qn("w:anchor"))
        for p in entries
        for link in p._p.findall(docx.oxml.ns.qn("w:hyperlink"))
    ]
    bookmarks = {
        b.get(docx.oxml.ns.qn("w:name"))
        for b in seed_docx.element.body.iter(docx.oxml.ns.qn("w:bookmarkStart"))
    }
    assert len(anchors) == len(entries)
    assert set(anchors) <= bookmarks
    # The field stays, so that Word adds page numbers when the reader updates fields.
    codes = [t.text for t in seed_docx.element.body.iter(docx.oxml.ns.qn("w:instrText"))]
    assert any(code.startswith("TOC ") for code in codes)


def test_headings_title_and_captions_reach_four_and_a_half_to_one(seed_docx: Any) -> None:
    names = [f"Heading {n}" for n in range(1, 10)] + ["Title", "Caption"]
    for name in names:
        colour = seed_docx.styles[name].font.color
        assert colour.rgb is not None, name  # no theme colour that a reader may change
        assert contrast(str(colour.rgb)) >= 4.5, name


def test_captions_stay_with_their_tables(seed_docx: Any) -> None:
    assert seed_docx.styles["Caption"].paragraph_format.keep_with_next
    body = list(seed_docx.element.body)
    captions = [
        e
        for e in body
        if e.tag.endswith("}p") and e.xpath("string(.//w:pStyle/@w:val)") == "Caption"
    ]
    assert captions
    assert all(body[body.index(c) + 1].tag.endswith("}tbl") for c in captions)


def test_properties_come_from_the_data(seed_docx: Any) -> None:
    properties = seed_docx.core_properties
    assert properties.author == "Norrtälje kommun, Kommunstyrelsen"
    assert properties.subject.startswith("Verksamhetsplan och budget 2022")
    assert "python-docx" not in (properties.comments or "")
    assert "python-docx" not in (properties.author or "")


def test_footnotes_are_numbered_and_marked_at_their_cell(seed_docx: Any) -> None:
    marks = [
        run.text
        for table in seed_docx.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
        for run in p.runs
        if run.font.superscript
    ]
    notes = [
        p.runs[0].text
        for p in seed_docx.paragraphs
        if p.style.name == "Note" and p.runs and p.runs[0].font.superscript
    ]
    assert notes == [str(n) for n in range(1, len(notes) + 1)]  # numbered in order
    marked = {n for mark in marks for n in mark.split(",")}
    assert marked <= set(notes)
    assert len(marked) > 20
