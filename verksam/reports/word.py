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
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph

from verksam.core.validation import printable
from verksam.reports.ooxml import FIXED_TIME, reproducible

TABLE_STYLE = "Table Text"
NOTE_STYLE = "Note"
MARGIN = Cm(2.2)
TEXT_WIDTH = Emu(Cm(21) - 2 * MARGIN)  # A4
# Headings, the title and captions: a dark blue with 10:1 against white (Word's own
# #4F81BD reaches 4.03:1, under WCAG's 4.5:1).
HEADING_COLOUR = "1F3A5F"
# The table of contents lists headings down to this level.
TOC_DEPTH = 2


def render_docx(document: dict[str, Any]) -> bytes:
    """Write `document` (from plan_document or followup_document) as a .docx file."""
    document = printable(document)
    word = Document()
    _set_up(word, document)
    _cover(word, document)
    headings = [
        (index, block["level"], block["text"])
        for index, block in enumerate(document["blocks"])
        if block["type"] == "heading" and block["level"] <= TOC_DEPTH
    ]
    _table_of_contents(word, document["labels"]["contents"], headings)
    bookmarks = {index: number for number, (index, _l, _t) in enumerate(headings)}
    body = _Body(word)
    for index, block in enumerate(document["blocks"]):
        kind = block["type"]
        if kind == "heading":
            if block["level"] == 1:
                body.paragraph().add_run().add_break(WD_BREAK.PAGE)
            heading = body.paragraph(block["text"], f"Heading {min(block['level'], 9)}")
            if index in bookmarks:
                _bookmark(heading, bookmarks[index])
        elif kind == "paragraph":
            paragraph = body.paragraph()
            if block["label"]:
                paragraph.add_run(block["label"] + " ").bold = True
            paragraph.add_run(block["text"]).bold = block["strong"] or None
            if block.get("after"):
                paragraph.add_run(" " + block["after"])
            _marks(paragraph, block, 0, 0)
        elif kind == "list":
            for row, item in enumerate(block["items"]):
                _marks(body.paragraph(item, "List Bullet"), block, row, 0)
        elif kind == "note":
            paragraph = body.paragraph("", NOTE_STYLE)
            if "number" in block:
                paragraph.add_run(str(block["number"])).font.superscript = True
                paragraph.add_run("\u00a0")
            paragraph.add_run(block["text"])
        elif kind == "chart":
            # The figures are in the table that follows; Word gets no drawing.
            body.paragraph(block["note"], NOTE_STYLE)
        elif kind == "table":
            body.table(block)
    out = io.BytesIO()
    word.save(out)
    return reproducible(out.getvalue())


class _Body:
    """Adds paragraphs and tables to the document's body in linear time.

    python-docx appends to the body by searching it for its end, and looks a style up anew
    for every paragraph given a style name, so a long plan would take quadratic time.
    Here every block goes in before one empty last paragraph, and styles are looked up once.
    """

    def __init__(self, word: WordDocument) -> None:
        self.word = word
        self.end = word.add_paragraph()
        self.style_ids = {style.name: style.style_id for style in word.styles}

    def paragraph(self, text: str = "", style: str = "") -> Paragraph:
        paragraph = self.end.insert_paragraph_before(text)
        if style:
            self.apply(paragraph, style)
        return paragraph

    def apply(self, paragraph: Paragraph, style: str) -> None:
        paragraph._p.style = self.style_ids[style]

    def table(self, block: dict[str, Any]) -> None:
        """A table with a caption and a header row that repeats on every page."""
        self.paragraph(block["caption"], "Caption")
        columns = block["columns"]
        # All rows at once, so python-docx builds the table's XML in one go; through the
        # body itself, since Document.add_table searches the whole document for the page
        # width every time.
        table = self.word._body.add_table(1 + len(block["rows"]), len(columns), TEXT_WIDTH)
        self.end._p.addprevious(table._tbl)
        table._tbl.tblStyle_val = self.style_ids["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        total = sum(block["widths"])
        widths = [int(TEXT_WIDTH * width / total) for width in block["widths"]]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        rows = iter(table.rows)
        header = next(rows)
        # Marks the row as the table's header: repeated on each page, read as headers.
        header_flag = OxmlElement("w:tblHeader")
        header_flag.set(qn("w:val"), "true")
        header._tr.get_or_add_trPr().append(header_flag)
        for cell, label, width in zip(header.cells, columns, widths, strict=True):
            cell.width = width
            self.apply(cell.paragraphs[0], TABLE_STYLE)
            cell.paragraphs[0].add_run(label).bold = True
        strong = set(block.get("strong", []))
        for y, (row, texts) in enumerate(zip(rows, block["rows"], strict=True)):
            for x, (cell, text, width, numeric) in enumerate(
                zip(row.cells, texts, widths, block["numeric"], strict=True)
            ):
                cell.width = width
                paragraph = cell.paragraphs[0]
                self.apply(paragraph, TABLE_STYLE)
                paragraph.add_run(text).bold = y in strong or None
                _marks(paragraph, block, y, x)
                if numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _set_up(word: WordDocument, document: dict[str, Any]) -> None:
    """Metadata, language, A4 page with the title as running header and page numbers."""
    props = word.core_properties
    props.title = document["title"]
    props.author = props.last_modified_by = document["author"]
    props.subject = document.get("subject", "")
    props.comments = ""
    props.language = document["lang"]
    # The data's date (a plan's decision, a round's date) keeps the file the same for the
    # same data; a draft has none, so it keeps a fixed one.
    day = document.get("date")
    stamp = datetime.fromisoformat(day).replace(tzinfo=UTC) if day else FIXED_TIME
    props.created = props.modified = stamp
    props.revision = 1
    styles = word.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10.5)
    for style in styles:
        if style.type == WD_STYLE_TYPE.PARAGRAPH and (
            style.name.startswith("Heading") or style.name in ("Title", "Caption")
        ):
            style.font.color.rgb = RGBColor.from_string(_heading_colour(document))
    # A caption stays on the page of its table, a heading with what follows it.
    styles["Caption"].paragraph_format.keep_with_next = True
    styles["Caption"].font.size = Pt(9.5)
    # The document's language (Swedish spelling and hyphenation) for every style.
    default_language = styles.element.find(f"{qn('w:docDefaults')}//{qn('w:lang')}")
    default_language.set(qn("w:val"), document["lang"])
    for name, size in ((TABLE_STYLE, 8.5), (NOTE_STYLE, 8)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.size = Pt(size)
        style.paragraph_format.space_after = Pt(2)
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = MARGIN
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = document["title"]
    if document.get("draft_mark"):
        # A plan that is not decided says so on every page, the cover too.
        section.header.paragraphs[0].text += f" ({document['draft_mark']})"
        section.first_page_header.paragraphs[0].text = document["draft_mark"].upper()
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(document["labels"]["page"] + " ")
    _field(footer, "PAGE")


def _field_part(paragraph: Paragraph, kind: str | None, instruction: str = "") -> None:
    """One part of a field: its `begin`, `separate` or `end` mark, or (None) its code."""
    run = paragraph.add_run()
    if kind:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
    else:
        element = OxmlElement("w:instrText")
        element.set(qn("xml:space"), "preserve")
        element.text = instruction
    run._r.append(element)


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
    """The municipality (its logo where Word can show it, PNG or JPEG, and its name), the
    title and the facts."""
    logo = document.get("logo", "")
    if logo.lower().endswith((".png", ".jpg", ".jpeg")):
        word.add_paragraph().add_run().add_picture(logo, height=Cm(1.8))
        # The picture's alternative text: the municipality's name.
        for properties in word.element.body.iter(qn("wp:docPr")):
            properties.set("descr", document.get("organisation", ""))
    if document.get("organisation"):
        name = word.add_paragraph().add_run(document["organisation"])
        name.bold = True
        name.font.size = Pt(13)
        name.font.color.rgb = RGBColor.from_string(_heading_colour(document))
    word.add_paragraph(document["title"], style="Title")
    facts = word.add_table(rows=0, cols=2)
    for label, value in document["facts"]:
        cells = facts.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value


def _heading_colour(document: dict[str, Any]) -> str:
    """The municipality's accent colour where it reads on white (4.5:1), else dark blue."""
    return (document.get("accent") or f"#{HEADING_COLOUR}").removeprefix("#").upper()


def _marks(paragraph: Paragraph, block: dict[str, Any], row: int, column: int) -> None:
    """A footnote's number, raised, at the end of its cell or paragraph."""
    for entry in block.get("footnotes", []):
        if entry["row"] == row and entry["column"] == column:
            paragraph.add_run(",".join(map(str, entry["numbers"]))).font.superscript = True


def _bookmark(paragraph: Paragraph, number: int) -> None:
    """A bookmark around a heading, that its table-of-contents entry links to."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), f"_Toc{number:06d}")
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _table_of_contents(
    word: WordDocument, title: str, headings: list[tuple[int, int, str]]
) -> None:
    """The table of contents as a TOC field whose result is already written: an entry per
    heading (levels 1–2), each a link to its heading, so that every reader shows it (Word
    Online, LibreOffice and previews do not update fields). Word adds the page numbers when
    the reader updates fields."""
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    word.add_paragraph(title, style="TOC Heading")
    styles = {style.name for style in word.styles}
    for level in range(1, TOC_DEPTH + 1):
        if f"TOC {level}" not in styles:
            style = word.styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = word.styles["Normal"]
            style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            style.paragraph_format.space_after = Pt(2)
    first = word.add_paragraph()
    _field_part(first, "begin")
    _field_part(first, None, r'TOC \o "1-2" \h \z \u')
    _field_part(first, "separate")
    paragraph = first
    for number, (_index, level, text) in enumerate(headings):
        if number:
            paragraph = word.add_paragraph()
        paragraph.style = word.styles[f"TOC {level}"]
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), f"_Toc{number:06d}")
        link.set(qn("w:history"), "1")
        run = OxmlElement("w:r")
        run_text = OxmlElement("w:t")
        run_text.set(qn("xml:space"), "preserve")
        run_text.text = text
        run.append(run_text)
        link.append(run)
        paragraph._p.append(link)
    _field_part(paragraph, "end")
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    # Word insists on the schema's order of settings: updateFields comes before these.
    word.settings.element.insert_element_before(
        update, "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:rsids"
    )
