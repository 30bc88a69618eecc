"""The PDF: tagged PDF/UA-1 with title, language, structure tree and outline, and every
item of the seed in it; hostile text prints as it is."""

import io
import re
from collections import Counter
from typing import Any

import pypdf
import pytest

from verksam.indicators.models import Indicator, IndicatorValue
from verksam.plans.models import Action, Assignment, Plan
from verksam.reports.formats import plan_report
from verksam.reports.pdf import render_pdf
from verksam.risks.models import Risk
from verksam.testing import FORMULA, HOSTILE, LONG_WORD, letters, pdf_text

VATTEN = "Indikatorer till inriktningsmål kommunens vattenförekomster"

# One xdist worker renders the seed PDF (a module fixture) for all of these tests.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_pdf")]


@pytest.fixture(scope="module")
def seed_pdf(seed_document: dict[str, Any]) -> bytes:
    return render_pdf(seed_document)


@pytest.fixture(scope="module")
def seed_pdf_text(seed_pdf: bytes) -> str:
    """The seed PDF's text (pypdf takes seconds to extract it)."""
    return pdf_text(seed_pdf)


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


def test_pdf_holds_every_assignment_action_and_indicator(seed_pdf_text: str) -> None:
    text = letters(seed_pdf_text)
    items = [
        *Assignment.objects.values_list("title", flat=True),
        *Action.objects.values_list("text", flat=True),
        *Indicator.objects.values_list("name", flat=True),
    ]
    missing = [item for item in items if letters(item) not in text]
    assert missing == []


def test_pdf_holds_every_budget_row_and_risk_once(
    seed_pdf_text: str, budget_rows: Counter[str], risk_texts: Counter[str]
) -> None:
    text = letters(seed_pdf_text)
    for expected in (budget_rows, risk_texts):
        assert {item: text.count(item) for item in expected} == expected
    assert re.search("Netto -128[ \u00a0]748 -144[ \u00a0]250 -152[ \u00a0]445", seed_pdf_text)


def test_hostile_risk_prints_literally(hostile_risk: Risk) -> None:
    plan = Plan.objects.select_related("owner").get(key="KSK-2022")
    text = pdf_text(plan_report(plan, "pdf", visible=Plan.objects.all()))
    flat = re.sub(r"\s+", "", text.replace("\u200b", ""))
    assert re.sub(r"\s+", "", f"{FORMULA} {HOSTILE}") in flat
    assert letters(f"@Åtgärd: {LONG_WORD} -1+2") in letters(text)
    assert "@Åtgärd:" in text


def test_pdf_has_page_numbers_and_running_headers(seed_pdf: bytes) -> None:
    pages = pypdf.PdfReader(io.BytesIO(seed_pdf)).pages
    assert len(pages) > 40
    page = pages[10].extract_text()
    assert page.startswith("Kommunstyrelsens verksamhetsplan och budget 2022")
    assert re.search(r"Sida 11\s*$", page)


def test_same_data_gives_the_same_pdf(seed_document: dict[str, Any], seed_pdf: bytes) -> None:
    assert render_pdf(seed_document) == seed_pdf


def test_hostile_text_prints_literally(hostile_action: Action) -> None:
    value = IndicatorValue.objects.filter(indicator__plan__key="KSK-2022").earliest("pk")
    value.raw = "-152445"
    value.save()
    plan = Plan.objects.select_related("owner").get(key="KSK-2022")
    content = plan_report(plan, "pdf", visible=Plan.objects.all())
    text = pdf_text(content)
    flat = re.sub(r"\s+", "", text.replace("\u200b", ""))
    assert re.sub(r"\s+", "", HOSTILE) in flat
    assert letters(LONG_WORD) in letters(text)
    assert "+46 @ -1" in text
    assert re.search("-152[ \u00a0]445", text)


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
