"""The municipality's identity on the documents: its name, logo (with its name as the
alternative text) and accent colour on the cover, and in the metadata."""

import io
from typing import Any

import docx
import pypdf
import pytest

from verksam.plans.models import Plan
from verksam.reports.formats import plan_report
from verksam.testing import pdf_pages

pytestmark = pytest.mark.django_db

IDENTITY = {
    "ORGANISATION_NAME": "Norrtälje kommun",
    "LOGO": "verksam/apple-touch-icon.png",
    "ACCENT_COLOR": "#005a87",
}


@pytest.fixture
def identified(settings: Any) -> Plan:
    for name, value in IDENTITY.items():
        setattr(settings, name, value)
    return Plan.objects.select_related("owner").get(key="TSK-2022")


def test_pdf_cover_and_metadata_carry_the_municipality(identified: Plan) -> None:
    content = plan_report(identified, "pdf", visible=Plan.objects.all())
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert reader.metadata is not None
    assert reader.metadata.author == "Norrtälje kommun, Trygghets- och säkerhetskontoret"
    assert len(reader.pages[0].images) == 1  # the logo
    cover = pdf_pages(content)[0]
    assert cover.startswith("Norrtälje kommun")
    figures = [element for element in _elements(reader) if element.get("/S") == "/Figure"]
    assert [str(f.get("/Alt")) for f in figures] == ["Norrtälje kommun"]
    # On the cover's text, so in the document's.
    assert "Norrtälje kommun" in cover


def test_word_cover_carries_name_logo_and_a_readable_accent(identified: Plan) -> None:
    word = docx.Document(io.BytesIO(plan_report(identified, "docx", visible=Plan.objects.all())))
    assert word.paragraphs[1].text == "Norrtälje kommun"
    assert len(word.inline_shapes) == 1
    descriptions = [d.get("descr") for d in word.element.body.iter(docx.oxml.ns.qn("wp:docPr"))]
    assert descriptions == ["Norrtälje kommun"]
    assert str(word.styles["Heading 1"].font.color.rgb) == "005A87"
    assert word.core_properties.author == "Norrtälje kommun, Trygghets- och säkerhetskontoret"


def test_without_configuration_the_municipality_is_the_org_tree_s(settings: Any) -> None:
    settings.ORGANISATION_NAME = ""
    plan = Plan.objects.select_related("owner").get(key="TSK-2022")
    word = docx.Document(io.BytesIO(plan_report(plan, "docx", visible=Plan.objects.all())))
    assert word.core_properties.author == "Norrtälje kommun, Trygghets- och säkerhetskontoret"


def _elements(reader: pypdf.PdfReader) -> list[Any]:
    found: list[Any] = []
    stack = [reader.root_object["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not isinstance(node, pypdf.generic.DictionaryObject):
            continue
        found.append(node)
        kids = node.get("/K")
        if isinstance(kids, pypdf.generic.ArrayObject):
            stack.extend(kids)
        elif kids is not None:
            stack.append(kids)
    return found
