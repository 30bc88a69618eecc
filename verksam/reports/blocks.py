"""The vocabulary of verksam's documents: blocks that every writer renders, and the cells
of a workbook.

A document is plain JSON-able data: a cover and a flat list of blocks (`heading`,
`paragraph`, `list`, `note`, `table`; the follow-up report adds `chart`). A workbook is a
list of sheets whose columns say how to store a cell (`text`, `int`, `number`, `date`).
The plan document (`plan_document.py`, `plan_workbook.py`) and the follow-up report
(`followup_document.py`) are built from these; the PDF, Word and Excel writers render
them. Everything is text as stored: the writers never interpret it as markup.
"""

import re
from datetime import date
from typing import Any

from verksam.budget.services import Figure
from verksam.core.dates import Precision
from verksam.core.identity import contrast_ratio, identity
from verksam.core.numbers import parse_value

FORMAT = "verksam-plan-document"
VERSION = 1
LANGUAGE = "sv"
LANGUAGE_TAG = "sv-SE"  # what the document declares (the PDF template sets the same)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
BULLET = "•"
# WCAG 2.x: normal text needs 4.5:1 against its background (the accent as a text colour).
MIN_TEXT_CONTRAST = 4.5
# A footnote kept in a text's body as the seed printed it: `[Fotnot 5] Exempel på …`.
FOOTNOTE = re.compile(r"^\[Fotnot \d+\]\s*")
# A figure's minus: a hyphen-minus before a digit prints as the minus sign U+2212.
MINUS = re.compile(r"^-(?=\s?\d)")

Block = dict[str, Any]


# --- The municipality ---------------------------------------------------------------------


def identity_fields(municipalities: list[str]) -> dict[str, Any]:
    """What every document carries of the municipality (`core.identity`, the same as the
    web pages): its name (the configured one, else the municipality's org unit), logo and
    accent colour, the words of its name that are names (never hyphenated: "Norrtälje"),
    and the identity's version, so that a cached document changes with it."""
    site = identity()
    name = site.name if site.configured else next(iter(municipalities), "")
    words = {w for n in [name, *municipalities] for w in n.split() if w[:1].isupper()}
    accent_readable = contrast_ratio(site.accent, "#ffffff") >= MIN_TEXT_CONTRAST
    return {
        "organisation": name,
        "logo": str(site.logo_path) if site.logo_path else "",
        "accent": site.accent if accent_readable else "",
        "names": sorted(words),
        "identity": site.version,
    }


# --- Cell texts ---------------------------------------------------------------------------


def date_text(raw: str, value: date | None, precision: str) -> str:
    """A clean date in ISO form (to the day or month it names), otherwise the cell as printed."""
    if value is not None and precision == Precision.DAY:
        return value.isoformat()
    if value is not None and precision == Precision.MONTH:
        return value.isoformat()[:7]
    return raw.strip()


# --- Blocks -------------------------------------------------------------------------------


def heading(level: int, text: str) -> Block:
    return {"type": "heading", "level": level, "text": text}


def paragraph(
    text: str,
    label: str = "",
    *,
    strong: bool = False,
    after: str = "",
    footnotes: list[str] | None = None,
) -> Block:
    """A paragraph; `label` is printed in bold before the text ("Uppdrag från KF:"),
    `after` plain after it ("(kvarstår från tidigare år)"); `footnotes` are numbered and
    marked at its end (`number_footnotes`)."""
    block: Block = {"type": "paragraph", "label": label, "text": text, "strong": strong}
    if after:
        block["after"] = after
    if footnotes:
        block["footnotes"] = [footnote(0, 0, text) for text in footnotes]
    return block


def note(text: str) -> Block:
    """A remark, printed small under what it belongs to."""
    return {"type": "note", "text": text}


def footnote(row: int, column: int, text: str) -> dict[str, Any]:
    """A footnote of a table's cell (a paragraph's is row 0, column 0), numbered later."""
    return {"row": row, "column": column, "text": text}


def figure(text: str) -> str:
    """A figure as printed with a real minus sign (U+2212) for its hyphen-minus."""
    return MINUS.sub("\u2212", text)


def table(caption: str, columns: list[str], rows: list[list[str]], **layout: Any) -> Block:
    """A table with one header row. `numeric` marks right-aligned columns (figures: a
    minus prints as U+2212); `widths` are relative column widths; `strong` the indexes
    of rows that stand out (totals); `footnotes` (`footnote`) are numbered and marked in
    their cells by `number_footnotes`; `row_headers` says that each row's first cell names
    the row (a budget row's label), which the PDF tags as a row header."""
    numeric = layout.get("numeric", [False] * len(columns))
    rows = [[figure(c) if numeric[i] else c for i, c in enumerate(row)] for row in rows]
    block = {
        "type": "table",
        "caption": caption,
        "columns": columns,
        "rows": rows,
        "numeric": numeric,
        "widths": layout.get("widths", [1] * len(columns)),
        "strong": layout.get("strong", []),
    }
    if layout.get("footnotes"):
        block["footnotes"] = layout["footnotes"]
    if layout.get("row_headers"):
        block["row_headers"] = True
    return block


def number_footnotes(blocks: list[Block]) -> list[Block]:
    """Number the footnotes of the document in order, as the seed does: each table's or
    paragraph's footnotes get the next numbers (a text several rows share, once), their
    cells carry the numbers as marks, and the notes follow the block, each with its number.
    A footnote kept in a text (`[Fotnot 5] …`) gets the next number too."""
    numbered: list[Block] = []
    counter = 0
    for block in blocks:
        if block["type"] == "note" and block.get("footnote"):
            counter += 1
            numbered.append({**block, "number": counter})
            continue
        if not block.get("footnotes"):
            numbered.append(block)
            continue
        numbers: dict[str, int] = {}
        marks: dict[tuple[int, int], list[int]] = {}
        for entry in block["footnotes"]:
            if entry["text"] not in numbers:
                counter += 1
                numbers[entry["text"]] = counter
            cell = marks.setdefault((entry["row"], entry["column"]), [])
            if numbers[entry["text"]] not in cell:
                cell.append(numbers[entry["text"]])
        numbered.append(
            {
                **block,
                "footnotes": [
                    {"row": row, "column": column, "numbers": found}
                    for (row, column), found in marks.items()
                ],
            }
        )
        numbered += [
            {"type": "note", "text": text, "footnote": True, "number": number}
            for text, number in numbers.items()
        ]
    return numbered


def prose(text: str) -> list[Block]:
    """A stored text as paragraphs and lists (paragraphs are separated by an empty line,
    bullet items start with `• `)."""
    blocks: list[Block] = []
    for chunk in PARAGRAPH_BREAK.split(text.strip()):
        for line in (line.strip() for line in chunk.splitlines()):
            if not line:
                continue
            if FOOTNOTE.match(line):
                blocks.append({"type": "note", "text": FOOTNOTE.sub("", line), "footnote": True})
            elif line.startswith(BULLET):
                item = line.removeprefix(BULLET).strip()
                if blocks and blocks[-1]["type"] == "list":
                    blocks[-1]["items"].append(item)
                else:
                    blocks.append({"type": "list", "items": [item]})
            else:
                blocks.append(paragraph(line))
    return blocks


def labelled(text: str, label: str) -> list[Block]:
    """A stored text as `prose` with `label` in bold before its first paragraph."""
    blocks = prose(text)
    if blocks and blocks[0]["type"] == "paragraph":
        blocks[0]["label"] = label
    elif label:
        blocks.insert(0, paragraph("", label))
    return blocks


# --- Workbook cells -----------------------------------------------------------------------


def number(raw: str) -> dict[str, str] | None:
    """The number in a printed cell for a `number` column: the decimal as a string (no
    float rounding, the printed decimals kept) and `%` where it is a percentage."""
    parsed = parse_value(raw)
    if parsed.number is None:
        return None
    return {"value": format(parsed.number, "f"), "unit": "%" if parsed.suffix == "%" else ""}


def figure_number(figure: Figure) -> dict[str, str] | None:
    """A computed figure for a `number` column, with as many decimals as printed."""
    if figure.rounded is None:
        return None
    return {"value": format(figure.rounded, "f"), "unit": "%" if figure.is_percent else ""}


def column(label: str, kind: str = "text", width: int = 14) -> dict[str, Any]:
    """A workbook column: its heading, how its cells are stored and its width."""
    return {"label": label, "kind": kind, "width": width}
