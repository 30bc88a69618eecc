"""A stored long text as paragraphs and lists, for the pages to print as real HTML lists."""

import re
from dataclasses import dataclass

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
BULLET = "•"
# A text that points at a figure printed after it ("vilket illustreras i grafen nedan").
# verksam keeps a plan's texts, tables and values, not its pictures: such a figure is not
# in the data, so the documents say so and the loader reports it as an anomaly.
FIGURE_BELOW = re.compile(
    r"\b(?:grafen|diagrammet|figuren|bilden|kartan|illustrationen)\s+nedan\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Block:
    """A paragraph, or a bullet list (the data format starts bullet lines with `• `)."""

    lines: list[str]
    bullets: bool = False


def prose(text: str) -> list[Block]:
    """A long text as paragraphs and real lists, so that screen readers announce the lists."""
    blocks: list[Block] = []
    for paragraph in PARAGRAPH_BREAK.split(text.strip()):
        for line in (line.strip() for line in paragraph.splitlines()):
            if not line:
                continue
            bullet = line.startswith(BULLET)
            content = line.removeprefix(BULLET).strip() if bullet else line
            if bullet and blocks and blocks[-1].bullets:
                blocks[-1].lines.append(content)
            else:
                blocks.append(Block([content], bullet))
    return blocks


def figure_below(text: str) -> str | None:
    """The words by which `text` points at a figure after it (`grafen nedan`), if any."""
    found = FIGURE_BELOW.search(text)
    return found[0] if found else None
