"""The overview's stacked bars: per goal area the items of one kind by status (or by
attainment), laid out here and drawn as SVG by `pages/_stacked_bars.html`, with the same
figures in a table under it.

As the indicator chart (`indicators/charts.py`), no chart library: the bars are arithmetic.
Colour is never the only cue: each status (and each attainment) has a pattern of its own in
its chart (dots, hatching one way or the other, solid, upright stripes, a line, crosses, an
empty box: `_stack_patterns.html`, in the badges' colours), the legend shows the patterns with
their words, and every segment wide enough carries its number (the table holds all of them).
"""

from dataclasses import dataclass

WIDTH = 640
SIDE = 2
LABEL = 18  # the goal area's name above its bar
BAR = 24
GAP = 12  # between one bar and the next label
# The white box a segment's number stands in: this much wide per digit (12 px bold) and
# around them; a segment narrower than its box and a margin carries no number (the table
# has it).
DIGIT = 7.5
BOX_PADDING = 6
BOX_MARGIN = 2


@dataclass(frozen=True)
class Segment:
    key: str  # the status or attainment
    count: int
    url: str
    x: float
    width: float

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2

    @property
    def box_width(self) -> float:
        """The number's box, wide enough for its digits grouped as printed ("1 234")."""
        return BOX_PADDING + DIGIT * len(f"{self.count:,}")

    @property
    def box_x(self) -> float:
        return self.label_x - self.box_width / 2

    @property
    def has_room(self) -> bool:
        return self.width >= self.box_width + BOX_MARGIN


@dataclass(frozen=True)
class StackRow:
    label: str
    total: int
    segments: list[Segment]
    y: float

    @property
    def label_y(self) -> float:
        return self.y - 5

    @property
    def bar_y(self) -> float:
        return self.y

    @property
    def number_y(self) -> float:
        return self.y + BAR / 2 + 4


@dataclass(frozen=True)
class StackChart:
    rows: list[StackRow]
    height: float
    width: int = WIDTH
    bar_height: int = BAR


def stacked_bars(rows: list[tuple[str, list[tuple[str, int, str]]]]) -> StackChart:
    """Lay out one bar per row (label, [(key, count, url), …]), all on one scale: the
    largest row fills the width."""
    largest = max((sum(n for _key, n, _url in parts) for _label, parts in rows), default=0)
    scale = (WIDTH - 2 * SIDE) / largest if largest else 0
    laid_out = []
    y = LABEL
    for label, parts in rows:
        x = float(SIDE)
        segments = []
        for key, count, url in parts:
            if not count:
                continue
            width = count * scale
            segments.append(Segment(key, count, url, x, width))
            x += width
        laid_out.append(StackRow(label, sum(n for _key, n, _url in parts), segments, y))
        y += BAR + GAP + LABEL
    return StackChart(laid_out, y - LABEL)
