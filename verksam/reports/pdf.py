"""The plan and follow-up documents as a tagged PDF (PDF/UA-1), typeset by Typst.

The document goes to the template as JSON in `sys.inputs`, never as Typst markup, so no
text in a plan can change how the document is built. Only the fonts that come with
Typst are used (no system fonts), so the same data gives the same PDF on every machine.

PDF/UA refuses a character that no font can show (an emoji, Chinese) or that it does not
allow (U+FEFF): such a character prints as U+FFFD (�), so that a pasted emoji never takes
the document down. Which characters the fonts show is found out by typesetting them alone,
once per process (`unprintable`).

A budget row's label is a row header (TH with scope Row), which Typst tags only with
`pdf.header-cell`, a feature the Python binding does not switch on: `row_headers` retags
the typeset PDF's structure tree instead.
"""

import hashlib
import io
import json
import re
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pikepdf
import typst

from verksam.core.validation import printable

TEMPLATE = Path(__file__).parent / "typst" / "plan.typ"
# A page that shows `sys.inputs.x` in the template's font, to try characters on.
PROBE = (
    b'#set document(title: "verksam")\n#set text(font: "Libertinus Serif", lang: "sv")\n'
    b'#sys.inputs.at("x")'
)
REPLACEMENT = "\ufffd"
# Latin with its accents, which the template's font shows, needs no trying.
SURELY_PRINTABLE = 0x17F
# The most characters tried in one document; any left untried print as REPLACEMENT.
PROBE_BUDGET = 64
_prints: dict[str, bool] = {}
# The structure elements that hold the template's tables (`_tables`).
GROUPS = {pikepdf.Name.Document, pikepdf.Name.Div}
# Anything beyond SURELY_PRINTABLE, found in one pass over the document's JSON.
BEYOND_LATIN = re.compile(f"[^\\x00-{chr(SURELY_PRINTABLE)}]")

# The fonts that come with Typst, found once per process and shared by every compiler;
# each thread keeps its own compiler (a compiler typesets one document at a time), which
# keeps the parsed template, the loaded fonts and Typst's memory of laid-out text from one
# document to the next.
_fonts: typst.Fonts | None = None
_local = threading.local()
_fonts_lock = threading.Lock()


def compiler() -> typst.Compiler:
    """This thread's Typst compiler, with only Typst's own fonts."""
    global _fonts
    found: typst.Compiler | None = getattr(_local, "compiler", None)
    if found is None:
        with _fonts_lock:
            if _fonts is None:
                _fonts = typst.Fonts(include_system_fonts=False)
        found = _local.compiler = typst.Compiler(font_paths=_fonts)
    return found


# Swedish hyphenation with fragments a reader takes in at a glance: a word of fewer than
# MIN_WORD letters is never split ("ge-nom", "Ing-en"), a longer one keeps MIN_FRAGMENT
# letters either side of the hyphen, names are never split. The template hyphenates only
# the middles marked here (Typst's Swedish patterns choose where); the text itself is not
# changed, so the PDF's text is the data's.
MIN_WORD = 8
MIN_FRAGMENT = 3
LONG_WORD = re.compile(rf"[^\W\d_]{{{MIN_WORD},}}")
# A table row that may be taller than a page may break across pages; every other row is
# kept whole. Whether it may is estimated from its longest cell: its characters at
# CHAR_WIDTH each in its column's share of the text width (the template: A4, 2.2 cm
# margins, 8.5 pt table text, 4 pt inset), LINE_HEIGHT a line, against the page's text
# height. The estimate errs long (wide letters, tall lines), and a row of half a page is
# already let break, so no row taller than a page is ever kept whole.
TEXT_WIDTH = 470.0  # pt
PAGE_HEIGHT = 700.0  # pt
CELL_INSET = 8.0  # pt, both sides
CHAR_WIDTH = 4.5  # pt
LINE_HEIGHT = 12.0  # pt
TALL = PAGE_HEIGHT / 2
# The texts of a block that the template prints as body text (headings are never split).
HYPHENATED = {"paragraph": ("text", "label"), "note": ("text",), "table": ("caption",)}


def render_pdf(document: dict[str, Any], *, timestamp: datetime | None = None) -> bytes:
    """Typeset `document` (from plan_document or followup_document). `timestamp` is the
    PDF's creation date; the default is the data's date (`document["date"]`: a plan's
    decision, a round's date), which keeps the output the same for the same data; a
    document without one (a draft) is dated the epoch, as Typst needs a date."""
    if timestamp is None and document.get("date"):
        timestamp = datetime.fromisoformat(document["date"]).replace(tzinfo=UTC)
    document = printable(document)
    text = json.dumps(document, ensure_ascii=False)
    missing = unprintable(text)
    if missing:
        document = json.loads(text.translate(dict.fromkeys(map(ord, missing), REPLACEMENT)))
    document = hyphenation(document)
    pdf = compiler().compile(
        TEMPLATE,
        # The logo is read by its absolute path (`core.identity` checked it), so the root
        # is the file system's; the texts are never markup, so nothing else is read.
        root=Path("/") if document.get("logo") else TEMPLATE.parent,
        sys_inputs={"document": json.dumps(document, ensure_ascii=False)},
        pdf_standards="ua-1",
        timestamp=timestamp or datetime.fromtimestamp(0, UTC),
    )
    assert isinstance(pdf, bytes)
    return row_headers(pdf, [b for b in document["blocks"] if b["type"] == "table"])


def row_headers(pdf: bytes, tables: list[dict[str, Any]]) -> bytes:
    """`pdf` with the first cell of each body row of the `tables` marked `row_headers` a
    row header: a TH with scope Row, whose ID the row's other cells name among their
    headers (as they name Typst's column headers). Typst tags the document's tables in
    order after the cover's, so the last len(tables) Table elements are the blocks'; a
    table to change must have its block's rows and columns. The changed elements are
    appended to Typst's file as an incremental update."""
    marked = [index for index, table in enumerate(tables) if table.get("row_headers")]
    if not marked:
        return pdf
    with pikepdf.open(io.BytesIO(pdf)) as found:
        tree = found.Root.StructTreeRoot
        elements = _tables(tree)[-len(tables) :]
        if len(elements) != len(tables):
            raise ValueError("the PDF has fewer tables than the document")
        ids = dict(pikepdf.NameTree(tree.IDTree).items())
        changed = [tree]
        for index in marked:
            header, body = _table_rows(elements[index], tables[index])
            for y, (label, *cells) in enumerate(body):
                row_id = f"{header[0].ID}-row{y}"
                assert row_id not in ids, row_id
                ids[row_id] = label
                label.S = pikepdf.Name.TH
                label.ID = pikepdf.String(row_id)
                _table_attributes(label).Scope = pikepdf.Name.Row
                for cell in cells:
                    _table_attributes(cell).Headers.append(pikepdf.String(row_id))
                changed += [label, *cells]
        # A name tree's keys are sorted (by bytes; the IDs are ASCII).
        names = [item for key in sorted(ids) for item in (pikepdf.String(key), ids[key])]
        tree.IDTree = pikepdf.Dictionary(Names=pikepdf.Array(names))
        return _updated(pdf, found, changed)


def _updated(pdf: bytes, found: pikepdf.Pdf, changed: list[pikepdf.Object]) -> bytes:
    """`pdf` with the `changed` objects of `found` (its parse) appended as an incremental
    update: Typst's bytes stay as they are, which costs a fraction of writing the whole
    file again. The ID's second half is the update's digest, so the same data gives the
    same bytes (the document cache relies on it)."""
    out = bytearray(pdf)
    offsets: dict[int, int] = {}
    for element in sorted(changed, key=lambda e: e.objgen):
        number, generation = element.objgen
        offsets[number] = len(out)
        out += b"%d %d obj\n%s\nendobj\n" % (number, generation, element.unparse(resolved=True))
    digest = hashlib.md5(out[len(pdf) :], usedforsecurity=False).hexdigest()
    xref = len(out)
    out += b"xref\n"
    for number, offset in offsets.items():
        out += b"%d 1\n%010d 00000 n\r\n" % (number, offset)
    previous = int(pdf[pdf.rindex(b"startxref") + len(b"startxref") : pdf.rindex(b"%%EOF")])
    trailer = pikepdf.Dictionary({k: found.trailer[k] for k in ("/Size", "/Root", "/Info")})
    trailer.ID = pikepdf.Array([found.trailer.ID[0], pikepdf.String(digest)])
    trailer.Prev = previous
    out += b"trailer\n%s\nstartxref\n%d\n%%%%EOF\n" % (trailer.unparse(), xref)
    return bytes(out)


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    """The structure elements directly under `element` (not its marked content)."""
    kids = element.get("/K")
    found = kids if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in found if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _tables(tree: pikepdf.Object) -> list[pikepdf.Object]:
    """The Table elements of the structure tree in reading order: the template puts them
    in the document or a division, never in a paragraph, a list or another table, so
    only those are searched (reading every element of the plan costs twice as much)."""
    found, stack = [], [tree]
    while stack:
        element = stack.pop()
        kind = element.get("/S")
        if kind == pikepdf.Name.Table:
            found.append(element)
        elif kind is None or kind in GROUPS:
            stack.extend(reversed(_kids(element)))
    return found


def _table_rows(
    element: pikepdf.Object, table: dict[str, Any]
) -> tuple[list[pikepdf.Object], list[list[pikepdf.Object]]]:
    """The header cells and the body's rows of cells of a Table element, which must have
    the rows and columns of the `table` block it was typeset from."""
    parts = {part.S: _kids(part) for part in _kids(element)}
    header = [cell for row in parts[pikepdf.Name.THead] for cell in _kids(row)]
    body = [_kids(row) for row in parts.get(pikepdf.Name.TBody, [])]
    width = len(table["columns"])
    if len(header) != width or [len(r) for r in body] != [width] * len(table["rows"]):
        raise ValueError(f"the PDF's table does not match its block: {table['caption']!r}")
    return header, body


def _table_attributes(cell: pikepdf.Object) -> pikepdf.Object:
    """A table cell's attributes of the Table owner (Typst writes one per cell)."""
    attributes = cell.A if isinstance(cell.A, pikepdf.Array) else [cell.A]
    return next(a for a in attributes if a.get("/O") == pikepdf.Name.Table)


def hyphenation(document: dict[str, Any]) -> dict[str, Any]:
    """The document with the body's texts as runs: a list of plain strings and, as a
    one-item list, the middle of each long word, where the template lets Typst hyphenate
    (`MIN_WORD`, `MIN_FRAGMENT`; names never). Headings, the cover and the running header
    keep their plain strings and are never hyphenated."""
    names = tuple(document.get("names", ()))

    def runs(text: str) -> str | list[Any]:
        found: list[Any] = []
        start = 0
        for word in LONG_WORD.finditer(text):
            if names and word.group().startswith(names):
                continue
            middle = (word.start() + MIN_FRAGMENT, word.end() - MIN_FRAGMENT)
            found += [text[start : middle[0]], [text[middle[0] : middle[1]]]]
            start = middle[1]
        return [*found, text[start:]] if found else text

    blocks = []
    for block in document["blocks"]:
        block = dict(block)
        for field in HYPHENATED.get(block["type"], ()):
            block[field] = runs(block[field])
        if block["type"] == "list":
            block["items"] = [runs(item) for item in block["items"]]
        elif block["type"] == "table":
            block["tall"] = tall_rows(block)
            block["rows"] = [[runs(cell) for cell in row] for row in block["rows"]]
        blocks.append(block)
    return {**document, "blocks": blocks}


def tall_rows(table: dict[str, Any]) -> list[int]:
    """The indexes of the rows of `table` that may be taller than half a page (`TALL`)."""
    widths = table["widths"]
    columns = [TEXT_WIDTH * width / sum(widths) - CELL_INSET for width in widths]
    per_line = [max(1, int(width / CHAR_WIDTH)) for width in columns]
    tall = []
    for index, row in enumerate(table["rows"]):
        lines = max(
            sum(-(-len(line) // chars) or 1 for line in cell.split("\n"))
            for cell, chars in zip(row, per_line, strict=True)
        )
        if lines * LINE_HEIGHT > TALL:
            tall.append(index)
    return tall


def unprintable(text: str) -> set[str]:
    """The characters of `text` the PDF cannot show, trying the ones not tried before in
    halves (few typesettings when, as usual, nearly all print)."""
    beyond = set(BEYOND_LATIN.findall(text))
    untried = sorted(beyond.difference(_prints))
    budget = [PROBE_BUDGET]
    _try(untried, budget)
    return {c for c in beyond if not _prints.get(c, False)}


def _try(chars: list[str], budget: list[int]) -> None:
    if not chars or budget[0] <= 0:
        return
    budget[0] -= 1
    if _typesets(chars):
        _prints.update(dict.fromkeys(chars, True))
    elif len(chars) == 1:
        _prints[chars[0]] = False
    else:
        half = len(chars) // 2
        _try(chars[:half], budget)
        _try(chars[half:], budget)


def _typesets(chars: Iterable[str]) -> bool:
    try:
        compiler().compile(
            PROBE, sys_inputs={"x": "x".join(["", *chars, ""])}, pdf_standards="ua-1"
        )
    except typst.TypstError:
        return False
    return True
