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

# Swedish hyphenation with fragments a reader takes in at a glance: a word of fewer than
# MIN_WORD letters is never split ("ge-nom", "Ing-en"), a longer one keeps MIN_FRAGMENT
# letters either side of the hyphen, names are never split. The template hyphenates only
# the middles marked here (Typst's Swedish patterns choose where); the text itself is not
# changed, so the PDF's text is the data's.
MIN_WORD = 8
MIN_FRAGMENT = 3
LONG_WORD = re.compile(rf"[^\W\d_]{{{MIN_WORD},}}")
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
    return typst.compile(
        TEMPLATE,
        # The logo is read by its absolute path (`core.identity` checked it), so the root
        # is the file system's; the texts are never markup, so nothing else is read.
        root=Path("/") if document.get("logo") else None,
        sys_inputs={"document": json.dumps(document, ensure_ascii=False)},
        pdf_standards="ua-1",
        ignore_system_fonts=True,
        timestamp=timestamp or datetime.fromtimestamp(0, UTC),
    )


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
            block["rows"] = [[runs(cell) for cell in row] for row in block["rows"]]
        blocks.append(block)
    return {**document, "blocks": blocks}


def unprintable(text: str) -> set[str]:
    """The characters of `text` the PDF cannot show, trying the ones not tried before in
    halves (few typesettings when, as usual, nearly all print)."""
    untried = sorted({c for c in text if ord(c) > SURELY_PRINTABLE and c not in _prints})
    budget = [PROBE_BUDGET]
    _try(untried, budget)
    return {c for c in text if ord(c) > SURELY_PRINTABLE and not _prints.get(c, False)}


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
        typst.compile(
            PROBE,
            sys_inputs={"x": "x".join(["", *chars, ""])},
            pdf_standards="ua-1",
            ignore_system_fonts=True,
        )
    except typst.TypstError:
        return False
    return True
