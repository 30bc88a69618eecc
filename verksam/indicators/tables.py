"""Indicators laid out as the plan prints them: a table per printed table heading, a column
per value label, each value in Swedish format, for the plan pages."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from verksam.indicators.models import Indicator, IndicatorValue


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


@dataclass
class IndicatorTable:
    """One printed indicator table: its heading, its value columns in printed order, its rows."""

    caption: str
    columns: list[str]
    rows: list[IndicatorRow]
    split_legends: list[str] = field(default_factory=list)
    has_source: bool = False
    has_interval: bool = False


def indicator_tables(indicators: Iterable[Indicator]) -> list[IndicatorTable]:
    """Indicators as the plan prints them: a table per printed table heading, with a column
    per value label in the order the labels first appear (labels differ between tables)."""
    grouped: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        grouped.setdefault(indicator.table, []).append(indicator)
    tables = []
    for caption, members in grouped.items():
        columns: list[str] = []
        for indicator in members:
            for value in indicator.values.all():
                if value.label not in columns:
                    columns.append(value.label)
        rows = []
        for indicator in members:
            by_label = {v.label: v for v in indicator.values.all()}
            rows.append(IndicatorRow(indicator, [value_cell(by_label.get(c)) for c in columns]))
        tables.append(
            IndicatorTable(
                caption=caption or _("Indicators"),
                columns=columns,
                rows=rows,
                split_legends=sorted(
                    {str(v.split_legend) for i in members for v in i.values.all() if v.split_labels}
                ),
                has_source=any(i.source for i in members),
                has_interval=any(i.interval for i in members),
            )
        )
    return tables
