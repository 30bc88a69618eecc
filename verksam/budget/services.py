"""The computed rows of a budget table: Netto, Summa, Förändring i tkr and i %.

Plans print these rows, but they follow from the others, so verksam computes them and
keeps the printed figure only to compare. The same computation serves the loader (on
the data files' items, to report disagreements before anything is written) and the
pages (on the stored rows), so it works on plain `RowInput`s rather than on models.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from verksam.core.numbers import number_text, value_text

AMOUNT = "amount"
PART = "part"
SUBTOTAL = "subtotal"
TOTAL = "total"
CHANGE = "change"
CHANGE_PERCENT = "change_percent"
HEADING = "heading"
COMPUTED_KINDS = frozenset({SUBTOTAL, TOTAL, CHANGE, CHANGE_PERCENT})
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class RowInput:
    """One row as the computation needs it: its kind, what it is part of, its printed numbers."""

    key: str
    kind: str
    part_of: str | None = None
    printed: dict[int, Decimal] = field(default_factory=dict)
    raw: dict[int, str] = field(default_factory=dict)  # the figures as printed


@dataclass(frozen=True)
class Figure:
    """One cell: the printed number (and its text as printed), and for a computed row the
    computed one."""

    printed: Decimal | None
    computed: Decimal | None
    is_computed_row: bool
    is_percent: bool = False
    raw: str = ""

    @property
    def value(self) -> Decimal | None:
        """The figure to show and to compute with: the computation where there is one."""
        return self.computed if self.computed is not None else self.printed

    @property
    def rounded(self) -> Decimal | None:
        """The computed figure with as many decimals as printed (one for a percentage)."""
        if self.computed is None:
            return None
        exponent = self.printed.as_tuple().exponent if self.printed is not None else None
        if not isinstance(exponent, int):
            exponent = -1 if self.is_percent else 0
        return self.computed.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)

    @property
    def disagrees(self) -> bool:
        """A printed figure of a computed row that differs from the computation."""
        return (
            self.printed is not None and self.rounded is not None and self.rounded != self.printed
        )

    @property
    def uncheckable(self) -> bool:
        """A printed figure of a computed row that the table's other figures cannot give."""
        return self.is_computed_row and self.printed is not None and self.computed is None

    def display(self) -> str:
        """The figure for people: a computed one in Swedish format (`-152 445`, `12,0 %`),
        a printed one as printed (`+200`)."""
        if self.computed is not None:
            return number_text(self.rounded, "%" if self.is_percent else "")
        return self.display_printed()

    def display_printed(self) -> str:
        return value_text(self.raw)


def _sum(values: Sequence[Decimal | None]) -> Decimal | None:
    """The sum, or None when there is nothing to add or a figure is missing."""
    if not values:
        return None
    total = Decimal(0)
    for value in values:
        if value is None:
            return None
        total += value
    return total


def compute_table(years: Sequence[int], rows: Sequence[RowInput]) -> dict[str, dict[int, Figure]]:
    """Every cell of a table by row key and column year (years in column order).

    - a subtotal is the sum of its parts (the "varav" rows below it);
    - a total (Netto, Summa) is the sum of the amount and subtotal rows above it that are
      not parts of another row;
    - a change is the nearest total above it minus the same total in the previous column,
      a change in % that difference divided by the previous total.

    Where a figure needed is missing the computation gives None, and the printed figure
    stands; a computed figure is always built on the computed rows above it.
    """
    value: dict[str, dict[int, Decimal | None]] = {}
    computed: dict[str, dict[int, Decimal | None]] = {}
    parts: dict[str, list[str]] = {}
    for row in rows:
        if row.part_of is not None:
            parts.setdefault(row.part_of, []).append(row.key)
        if row.kind not in COMPUTED_KINDS:
            value[row.key] = {year: row.printed.get(year) for year in years}
    for row in rows:
        if row.kind == SUBTOTAL:
            members = parts.get(row.key, [])
            computed[row.key] = {y: _sum([value[p][y] for p in members]) for y in years}
            value[row.key] = _value(row, computed[row.key], years)
    summed: list[str] = []
    total: dict[int, Decimal | None] | None = None
    for row in rows:
        if row.kind in (AMOUNT, SUBTOTAL) and row.part_of is None:
            summed.append(row.key)
        elif row.kind == TOTAL:
            computed[row.key] = {y: _sum([value[k][y] for k in summed]) for y in years}
            value[row.key] = total = _value(row, computed[row.key], years)
        elif row.kind in (CHANGE, CHANGE_PERCENT):
            computed[row.key] = _changes(years, total or {}, percent=row.kind == CHANGE_PERCENT)
    return {
        row.key: {
            year: Figure(
                printed=row.printed.get(year),
                computed=computed.get(row.key, {}).get(year),
                is_computed_row=row.kind in COMPUTED_KINDS,
                is_percent=row.kind == CHANGE_PERCENT,
                raw=row.raw.get(year, ""),
            )
            for year in years
        }
        for row in rows
    }


def _value(
    row: RowInput, computed: dict[int, Decimal | None], years: Sequence[int]
) -> dict[int, Decimal | None]:
    return {y: computed[y] if computed[y] is not None else row.printed.get(y) for y in years}


def _changes(
    years: Sequence[int], total: dict[int, Decimal | None], *, percent: bool
) -> dict[int, Decimal | None]:
    changes: dict[int, Decimal | None] = {}
    for previous, year in pairwise(years):
        before, now = total.get(previous), total.get(year)
        if before is None or now is None or (percent and before == 0):
            changes[year] = None
        else:
            changes[year] = (now - before) / before * HUNDRED if percent else now - before
    return changes
