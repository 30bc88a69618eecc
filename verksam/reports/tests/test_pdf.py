"""The PDF: tagged PDF/UA-1 with title, language, structure tree and outline, and every
item of the seed in it; hostile text prints as it is."""

import io
import itertools
import json
import re
import threading
from collections import Counter
from typing import Any

import pypdf
import pytest

from verksam.budget.models import BudgetRow, BudgetTable
from verksam.indicators.models import Indicator, IndicatorValue
from verksam.plans.models import Action, Assignment, Plan
from verksam.reports import blocks
from verksam.reports.formats import plan_report
from verksam.reports.pdf import render_pdf, row_headers, tall_rows
from verksam.risks.models import Risk
from verksam.testing import (
    FORMULA,
    HOSTILE,
    LONG_WORD,
    letters,
    pdf_ids,
    pdf_pages,
    pdf_structure,
    pdf_tables,
    pdf_text,
    table_attributes,
)

VATTEN = "Indikatorer till inriktningsmål kommunens vattenförekomster"

# One xdist worker renders the seed PDF (a module fixture) for all of these tests.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_pdf")]


@pytest.fixture(scope="module")
def seed_pdf(seed_document: dict[str, Any]) -> bytes:
    return render_pdf(seed_document)


@pytest.fixture(scope="module")
def seed_pdf_pages(seed_pdf: bytes) -> list[str]:
    return pdf_pages(seed_pdf)


@pytest.fixture(scope="module")
def seed_pdf_text(seed_pdf_pages: list[str]) -> str:
    """The seed PDF's text without the running headers and page numbers, which would
    come between the two halves of a paragraph split by a page break."""
    first, *others = seed_pdf_pages
    return "\n".join([first, *("\n".join(page.split("\n")[1:-1]) for page in others)])


def test_pdf_declares_pdf_ua_title_and_language(seed_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(seed_pdf))
    root: Any = reader.root_object
    assert root["/Lang"] == "sv-SE"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None
    assert reader.metadata.title == "Kommunstyrelsens verksamhetsplan och budget 2022"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp


def test_pdf_outline_lists_the_parts_in_order(seed_pdf: bytes) -> None:
    outline = pypdf.PdfReader(io.BytesIO(seed_pdf)).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles[0] == "Verksamhetsplanens syfte och struktur"
    assert "Kommunstyrelsekontorets verksamhetsplan" in titles
    assert (titles[-1] or "").startswith("Bilaga 1")


def as_printed(text: str) -> re.Pattern[str]:
    """`text` as it may come out of the PDF: every character as written and in order, with
    only a line break (or, inside a word, a hyphenation break: a hyphen and a line break)
    where the text has a space or a word is long. Nothing else may come between two letters:
    no invisible character, no hyphen that the text does not have."""
    parts = []
    for word in text.split():
        pattern = ""
        for index, char in enumerate(word):
            if index:
                # A line may break after a dash or slash the text has, else only with the
                # hyphen of a hyphenation.
                pattern += r"[ ]?\n?" if word[index - 1] in "-–/" else r"(?:-[ ]?\n)?"
            pattern += re.escape(char)
        parts.append(pattern)
    return re.compile(r"\s+".join(parts))


def test_pdf_prints_every_assignment_action_and_indicator_exactly(seed_pdf_text: str) -> None:
    items = [
        *Assignment.objects.values_list("title", flat=True),
        *Action.objects.values_list("text", flat=True),
        *Indicator.objects.values_list("name", flat=True),
    ]
    missing = [item for item in items if not as_printed(item).search(seed_pdf_text)]
    assert missing == []
    # Long compounds break by hyphenation, and no character is added to make them break.
    assert "\u200b" not in seed_pdf_text
    assert "\u00ad" not in seed_pdf_text
    assert as_printed("informationssäkerhetsarbete").search(seed_pdf_text)


def test_words_break_with_fragments_of_three_letters_and_names_whole(
    seed_pdf_text: str, seed_document: dict[str, Any]
) -> None:
    breaks = re.findall(r"(\w+)-[ ]?\n(\w+)", seed_pdf_text)
    written = json.dumps(seed_document, ensure_ascii=False)
    # A hyphen the text has ("IT-system", "e-learningssystem") is no hyphenation.
    hyphenated = [(a, b) for a, b in breaks if f"{a}-{b}" not in written]
    assert len(hyphenated) > 50
    # A fragment has at least three letters on either side of the break; the word around
    # it at least eight.
    short = [(a, b) for a, b in hyphenated if len(a) < 3 or len(b.rstrip(".,:;")) < 3]
    assert short == []
    assert not [pair for pair in breaks if pair[0].endswith("Norr")]


def test_pdf_holds_every_budget_row_and_risk_once(
    seed_pdf_text: str, risk_texts: Counter[str]
) -> None:
    text = letters(seed_pdf_text)
    assert {item: text.count(item) for item in risk_texts} == risk_texts
    # A row's label may carry a footnote's number, right after it.
    rows: Counter[str] = Counter()
    for row in BudgetRow.objects.prefetch_related("cells"):
        figures = letters(" ".join(c.raw for c in row.cells.all()))
        rows[re.escape(letters(row.label)) + (r"\d*" if row.notes else "") + figures] += 1
    assert {row: len(re.findall(row, text)) for row in rows} == rows
    # Totals print with a real minus sign (U+2212).
    assert re.search(
        "Netto \u2212128[ \u00a0]748 \u2212144[ \u00a0]250 \u2212152[ \u00a0]445", seed_pdf_text
    )


def test_pdf_has_page_numbers_and_running_headers(seed_pdf_pages: list[str]) -> None:
    assert len(seed_pdf_pages) > 40
    page = seed_pdf_pages[10]
    assert page.startswith("Kommunstyrelsens verksamhetsplan och budget 2022")
    assert re.search(r"Sida 11\s*$", page)


def test_same_data_gives_the_same_pdf_also_when_two_threads_typeset_at_once(
    seed_document: dict[str, Any], seed_pdf: bytes
) -> None:
    """A threaded server makes two PDFs at once: each thread has its compiler (one is never
    used by two threads), and both give the same bytes as any other. Here this thread (whose
    compiler made `seed_pdf`) and a new one."""
    made: list[bytes] = []
    other = threading.Thread(target=lambda: made.append(render_pdf(seed_document)))
    other.start()
    here = render_pdf(seed_document)
    other.join()
    assert here == seed_pdf
    assert made == [seed_pdf]


def test_hostile_text_and_risk_print_literally(hostile_action: Action, hostile_risk: Risk) -> None:
    """Both in KSK's plan, typeset once."""
    value = IndicatorValue.objects.filter(indicator__plan__key="KSK-2022").earliest("pk")
    value.raw = "-152445"
    value.save()
    plan = Plan.objects.select_related("owner").get(key="KSK-2022")
    content = plan_report(plan, "pdf", visible=Plan.objects.all())
    text = pdf_text(content)
    flat = re.sub(r"\s+", "", text.replace("\u200b", ""))
    # The action (its text, and its criterion: LONG_WORD and FORMULA); the risk's
    # description is HOSTILE too.
    assert flat.count(re.sub(r"\s+", "", HOSTILE)) >= 2
    assert letters(f"{LONG_WORD} {FORMULA}") in letters(text)
    assert "+46 @ -1" in text
    assert re.search("\u2212152[ \u00a0]445", text)
    # The risk.
    assert re.sub(r"\s+", "", f"{FORMULA} {HOSTILE}") in flat
    assert letters(f"@Åtgärd: {LONG_WORD} -1+2") in letters(text)
    assert "@Åtgärd:" in text


def test_pdf_prints_values_as_written_and_each_caption_and_merged_note_once(
    seed_pdf_text: str,
) -> None:
    assert "10:52 min" in seed_pdf_text
    assert "10,8667" not in seed_pdf_text
    assert "+200" in seed_pdf_text
    text = letters(seed_pdf_text)
    caption = Indicator.objects.filter(table__startswith=VATTEN).values_list("table", flat=True)[0]
    assert text.count(letters(caption)) == 1  # the first header cell does not repeat it
    note = "Uppföljning med dessa indikatorer försvåras då de endast redovisas med 6 års intervall"
    notes = Indicator.objects.filter(table=caption).values_list("notes", flat=True)
    assert sum(note in n for ns in notes for n in ns) == 3  # the data has it three times
    assert text.count(letters(note)) == 1


def test_tags_hold_headings_without_skips_and_header_cells_with_scope(seed_pdf: bytes) -> None:
    elements = pdf_structure(seed_pdf)
    levels = [int(str(e["/S"])[2:]) for e in elements if re.fullmatch(r"/H\d", str(e["/S"]))]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    headers = [e for e in elements if e["/S"] == "/TH"]
    assert len(headers) > 100
    for header in headers:
        assert table_attributes(header)["/Scope"] in ("/Column", "/Row")


def test_budget_row_labels_are_row_headers_and_other_cells_are_as_typst_tags_them(
    seed_pdf: bytes, seed_document: dict[str, Any]
) -> None:
    """Each budget row's label, totals included, is a TH with scope Row that the row's
    figures name among their headers; every other table's body is data cells only, and
    every header row keeps scope Column."""
    blocks = [b for b in seed_document["blocks"] if b["type"] == "table"]
    tables = pdf_tables(seed_pdf)
    assert len(tables) == len(blocks) + 1  # the cover's facts come first
    ids = pdf_ids(seed_pdf)
    budget = [b for b in blocks if b.get("row_headers")]
    # Every budget table of the board's and the offices' plans, and no other table.
    assert [b["caption"] for b in budget] == list(
        BudgetTable.objects.in_document_order().values_list("title", flat=True)
    )
    totals = {b["rows"][y][0] for b in budget for y in b["strong"]}
    assert {"Netto", "Summa nämnd", "Summa investeringar"} <= totals
    for block, table in zip(blocks, tables[1:], strict=True):
        assert len(table.header) == len(block["columns"])
        assert {(c["/S"], table_attributes(c)["/Scope"]) for c in table.header} == {
            ("/TH", "/Column")
        }
        assert [len(row) for row in table.body] == [len(block["columns"])] * len(block["rows"])
        for label, *figures in table.body:
            assert {c["/S"] for c in figures} == {"/TD"}
            if block.get("row_headers"):
                assert label["/S"] == "/TH"
                assert table_attributes(label)["/Scope"] == "/Row"
                assert label["/ID"] in ids
                assert all(label["/ID"] in table_attributes(c)["/Headers"] for c in figures)
            else:
                assert label["/S"] == "/TD"
                assert "/Scope" not in table_attributes(label)


def test_a_table_that_does_not_match_its_block_is_not_retagged(
    seed_document: dict[str, Any],
) -> None:
    """The row headers are put on the tables Typst made from the blocks, found by their
    order and checked by their shape: a block the PDF's table does not match is refused."""
    budget = next(b for b in seed_document["blocks"] if b.get("row_headers"))
    document = {**seed_document, "blocks": [budget]}
    pdf = render_pdf(document)
    assert [t.body[0][0]["/S"] for t in pdf_tables(pdf)[1:]] == ["/TH"]
    with pytest.raises(ValueError, match="does not match"):
        row_headers(pdf, [{**budget, "rows": budget["rows"][:-1]}])


def test_metadata_comes_from_the_data(seed_pdf: bytes) -> None:
    info = pypdf.PdfReader(io.BytesIO(seed_pdf)).metadata
    assert info is not None
    assert info.author == "Norrtälje kommun, Kommunstyrelsen"
    assert (info.subject or "").startswith("Verksamhetsplan och budget 2022, Kommunstyrelsen")
    # The seed's decision has no date: the PDF claims none, rather than 1970.
    assert "/CreationDate" not in info


def test_footnotes_are_numbered_under_their_table_and_marked(
    seed_document: dict[str, Any], seed_pdf_text: str
) -> None:
    notes = [b for b in seed_document["blocks"] if b["type"] == "note" and b.get("footnote")]
    assert [n["number"] for n in notes] == list(range(1, len(notes) + 1))
    assert len(notes) >= 45  # the seed numbers 51, some shared by several rows
    assert not any("[Fotnot" in b.get("text", "") for b in seed_document["blocks"])
    marked = {
        number
        for b in seed_document["blocks"]
        for f in b.get("footnotes", [])
        for number in f["numbers"]
    }
    # The notes of tables and paragraphs are marked where they belong (those kept in a
    # text's body, "[Fotnot 5] …", lost their mark in the data: six in the seed).
    assert marked <= {n["number"] for n in notes}
    assert len(notes) - len(marked) == 6
    text = letters(seed_pdf_text)
    assert all(letters(f"{n['number']}{n['text']}") in text for n in notes)


def test_a_row_taller_than_a_page_breaks_and_the_other_rows_stay_whole(
    seed_document: dict[str, Any],
) -> None:
    """A row that a page cannot hold runs on to the next page (none of its text is lost off
    the page's foot); every ordinary row, before and after it, is printed on one page."""
    ordinary = [
        [f"Rad {n}", f"Början {n}. " + "Text som fyller en rad i tabellen. " * 8 + f"Slut {n}."]
        for n in range(40)
    ]
    tall = ["Lång", " ".join(f"Mening {n} om planen." for n in range(700))]
    rows = [*ordinary[:20], tall, *ordinary[20:]]
    document = {
        **seed_document,
        "blocks": [
            {"type": "heading", "level": 1, "text": "Tabell"},
            blocks.table("Åtgärder", ["Åtgärd", "Beskrivning"], rows, widths=[1, 3]),
        ],
    }
    assert tall_rows(document["blocks"][1]) == [20]
    # Each page's text without its running header and page number, on one line.
    pages = [" ".join(page.split("\n")[1:-1]) for page in pdf_pages(render_pdf(document))]
    pages = [re.sub(r"\s+", " ", page) for page in pages]

    def page_of(text: str) -> int:
        [found] = [index for index, page in enumerate(pages) if text in page]
        return found

    assert page_of("Mening 699 om") > page_of("Mening 0 om")
    sentences = re.findall(r"Mening (\d+) om planen", " ".join(pages))
    assert sentences == [str(n) for n in range(700)]
    for n in range(40):
        assert page_of(f"Början {n}.") == page_of(f"Slut {n}.")
