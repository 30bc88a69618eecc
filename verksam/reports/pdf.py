"""The plan and follow-up documents as a tagged PDF (PDF/UA-1), typeset by Typst.

The document goes to the template as JSON in `sys.inputs`, never as Typst markup, so no
text in a plan can change how the document is built. Only the fonts that come with
Typst are used (no system fonts), so the same data gives the same PDF on every machine.

PDF/UA refuses a character that no font can show (an emoji, Chinese) or that it does not
allow (U+FEFF): such a character prints as U+FFFD (�), so that a pasted emoji never takes
the document down. Which characters the fonts show is found out by typesetting them alone,
once per process (`unprintable`).
"""

import json
import re
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
    return pdf


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
