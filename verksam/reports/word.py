"""The plan document as an editable Word file: real headings, lists and tables in Word's
own styles, so that controllers can edit it before the board meeting and the headings
feed Word's navigation pane and table of contents.

python-docx writes text as text runs, never as field codes or markup, so whatever a
plan's text contains is printed as it is.
"""

import io
from datetime import UTC, datetime
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FIXED_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def render_docx(document: dict[str, Any]) -> bytes:
    """Write `document` (from plan_document) as a .docx file."""
    word = Document()
    _set_up(word, document)
    _cover(word, document)
    _table_of_contents(word, document["labels"]["contents"])
    for block in document["blocks"]:
        kind = block["type"]
        if kind == "heading":
            if block["level"] == 1:
                word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            word.add_heading(block["text"], level=min(block["level"], 9))
        elif kind == "paragraph":
            paragraph = word.add_paragraph()
            if block["label"]:
                paragraph.add_run(block["label"] + " ").bold = True
            paragraph.add_run(block["text"]).bold = block["strong"] or None
        elif kind == "list":
            for item in block["items"]:
                word.add_paragraph(item, style="List Bullet")
        elif kind == "note":
            paragraph = word.add_paragraph()
            paragraph.add_run(block["text"]).font.size = Pt(8)
        elif kind == "table":
            _table(word, block)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _set_up(word: WordDocument, document: dict[str, Any]) -> None:
    """Metadata, language, A4 page with the title as running header and page numbers."""
    props = word.core_properties
    props.title = document["title"]
    props.author = props.last_modified_by = document["author"]
    props.language = document["lang"]
    # A fixed date keeps the file's metadata the same for the same data.
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    styles = word.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10.5)
    for style in styles:
        if style.type == 1:  # paragraph styles: Swedish spelling and hyphenation.
            _language(style.element.get_or_add_rPr(), document["lang"])
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = document["title"]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(document["labels"]["page"] + " ")
    _field(footer, "PAGE")


def _language(run_properties: Any, lang: str) -> None:
    element = run_properties.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        run_properties.append(element)
    element.set(qn("w:val"), lang)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (page number, table of contents) that Word fills in when it opens."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _cover(word: WordDocument, document: dict[str, Any]) -> None:
    word.add_paragraph(document["title"], style="Title")
    facts = word.add_table(rows=0, cols=2)
    for label, value in document["facts"]:
        cells = facts.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value


def _table_of_contents(word: WordDocument, title: str) -> None:
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    word.add_paragraph(title, style="TOC Heading" if "TOC Heading" in word.styles else "Title")
    # Word fills in the table of contents from the headings when the reader updates fields.
    _field(word.add_paragraph(), r'TOC \o "1-2" \h \z \u')
    settings = word.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _table(word: WordDocument, block: dict[str, Any]) -> None:
    word.add_paragraph(block["caption"], style="Caption")
    columns = block["columns"]
    table = word.add_table(rows=1, cols=len(columns))
    table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    # Repeat the header row on every page, and mark it as the header for screen readers.
    header_properties = header._tr.get_or_add_trPr()
    header_flag = OxmlElement("w:tblHeader")
    header_flag.set(qn("w:val"), "true")
    header_properties.append(header_flag)
    for cell, label in zip(header.cells, columns, strict=True):
        cell.paragraphs[0].add_run(label).bold = True
    total = sum(block["widths"])
    width = Cm(16.6)
    for row in block["rows"]:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            if block["numeric"][index]:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for index, column in enumerate(table.columns):
        column.width = int(width * block["widths"][index] / total)
        for cell in column.cells:
            cell.width = column.width
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8.5)
