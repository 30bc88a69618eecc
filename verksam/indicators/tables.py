"""Indicators laid out as the plan prints them, for the plan pages and the documents alike:
a table per printed table heading, its value columns in one fixed order, each value as
printed (`value_text`).

- **Columns.** A column per printed label, ordered baseline, then outcomes and forecasts by
  year, then targets by year (labels differ between tables: `Utfall 2021 (jan-nov)`,
  `Mål 2021`, `Målvärde 2022`). A column the plan prints empty is kept: its cells are
  values with nothing written, so the table has the seed's columns.
- **Who, source, interval.** An office's tables share one layout: Responsible always, Source
  and Measurement interval where any of the office's indicators (`office_indicators`) has
  one, even in a table whose own rows leave them empty.
- **Notes.** A note on one indicator stays with its row; a note several indicators of a table
  share (one merged cell in the seed) is the table's, printed once.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from verksam.indicators.models import Indicator, IndicatorValue

# Baseline first, then outcomes and forecasts, then targets (within each, by year).
KIND_ORDER: dict[str, int] = {
    IndicatorValue.Kind.BASELINE: 0,
    IndicatorValue.Kind.OUTCOME: 1,
    IndicatorValue.Kind.FORECAST: 1,
    IndicatorValue.Kind.TARGET: 2,
}
# In one year an outcome comes before the forecast (`Utfall 2021 jan-nov`, `Prognos 2021`).
SAME_YEAR_ORDER: dict[str, int] = {IndicatorValue.Kind.OUTCOME: 0, IndicatorValue.Kind.FORECAST: 1}


@dataclass(frozen=True)
class ValueCell:
    text: str
    is_number: bool = False


def value_cell(value: IndicatorValue | None) -> ValueCell | None:
    if value is None:
        return None
    return ValueCell(value.display(), is_number=value.number is not None)


@dataclass
class IndicatorRow:
    indicator: Indicator
    cells: list[ValueCell | None]
    notes: list[str] = field(default_factory=list)  # the indicator's own notes

    @property
    def texts(self) -> list[str]:
        """The value cells as text, an empty cell empty."""
        return [cell.text if cell else "" for cell in self.cells]


@dataclass
class IndicatorTable:
    """One printed indicator table: its caption, its value columns in the fixed order, its
    rows, and what prints under it."""

    caption: str
    columns: list[str]
    rows: list[IndicatorRow]
    notes: list[str] = field(default_factory=list)  # shared by several rows: printed once
    split_legends: list[str] = field(default_factory=list)
    has_source: bool = False
    has_interval: bool = False

    @property
    def all_notes(self) -> list[str]:
        """Every note of the table once, in the order of its rows (for print, where notes
        stand under the table)."""
        notes = list(self.notes)
        for row in self.rows:
            notes += [n for n in row.notes if n not in notes]
        return notes


def column_order(values: Iterable[IndicatorValue]) -> list[str]:
    """The value columns of a table: each printed label once, baseline, outcomes and
    forecasts, targets, by year; labels of the same kind and year in printed order."""
    first: dict[str, tuple[int, int, int, int]] = {}
    for index, value in enumerate(values):
        key = (KIND_ORDER[value.kind], value.year, SAME_YEAR_ORDER.get(value.kind, 0), index)
        first.setdefault(value.label, key)
    return sorted(first, key=first.__getitem__)


def indicator_tables(
    indicators: Iterable[Indicator], office_indicators: Iterable[Indicator] | None = None
) -> list[IndicatorTable]:
    """`indicators` as the plan prints them, a table per printed table heading (uses
    prefetched values; no queries). `office_indicators` are all indicators of the same
    office, whose columns the tables share (default: `indicators`)."""
    indicators = list(indicators)
    office = list(office_indicators) if office_indicators is not None else indicators
    has_source = any(i.source for i in office)
    has_interval = any(i.interval for i in office)
    grouped: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        grouped.setdefault(indicator.table, []).append(indicator)
    tables = []
    for caption, members in grouped.items():
        columns = column_order(v for i in members for v in i.values.all())
        counts: dict[str, int] = {}
        for indicator in members:
            for note in dict.fromkeys(indicator.notes):
                counts[note] = counts.get(note, 0) + 1
        shared = [note for note, count in counts.items() if count > 1]
        rows = []
        for indicator in members:
            by_label = {v.label: v for v in indicator.values.all()}
            cells = [value_cell(by_label.get(c)) for c in columns]
            own = [n for n in dict.fromkeys(indicator.notes) if n not in shared]
            rows.append(IndicatorRow(indicator, cells, own))
        tables.append(
            IndicatorTable(
                caption=caption or _("Indicators"),
                columns=columns,
                rows=rows,
                notes=shared,
                split_legends=sorted(
                    {str(v.split_legend) for i in members for v in i.values.all() if v.split_labels}
                ),
                has_source=has_source,
                has_interval=has_interval,
            )
        )
    return tables


def under_headings(
    tables: Iterable[IndicatorTable], headings: Iterable[str]
) -> tuple[dict[str, list[IndicatorTable]], list[IndicatorTable]]:
    """Plan-wide tables by the heading of the text they print under (a table captioned like a
    text's heading belongs to it, e.g. "Attraktiv arbetsgivare"), and the tables of no text."""
    known = set(headings)
    attached: dict[str, list[IndicatorTable]] = {}
    loose = []
    for table in tables:
        if table.caption in known:
            attached.setdefault(table.caption, []).append(table)
        else:
            loose.append(table)
    return attached, loose
