"""An indicator's figures by year as a bar chart, laid out here and drawn as SVG by a template
(`indicators/_value_chart.html`), with the same figures in a table beside it.

No chart library: a few bars with their values printed on them need only arithmetic, and
the SVG is plain markup that the browser shows and prints (the PDF draws its figures in
Typst from the same numbers). Colour is never the only cue: every bar carries its value and
the legend and the table name each series.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from verksam.indicators.models import Indicator, IndicatorValue

WIDTH = 640
HEIGHT = 280
TOP = 24  # room for the values above the highest bar
BOTTOM = 32  # room for the years
SIDE = 12
GAP = 16  # between the years' groups of bars

FOLLOWUP = "followup"
SERIES: list[tuple[str, Promise]] = [
    (IndicatorValue.Kind.BASELINE, _("Baseline")),
    (IndicatorValue.Kind.OUTCOME, _("Outcome")),
    (IndicatorValue.Kind.FORECAST, _("Forecast")),
    (IndicatorValue.Kind.TARGET, _("Target")),
    (FOLLOWUP, _("Outcome in the follow-up")),
]


@dataclass(frozen=True)
class Bar:
    series: str
    year: int
    shown: str
    x: float
    y: float
    width: float
    height: float

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2

    @property
    def label_y(self) -> float:
        return self.y - 4


@dataclass(frozen=True)
class Series:
    key: str
    label: str


@dataclass(frozen=True)
class YearRow:
    """A row of the table beside the chart: a year and its figure per series ("" if none)."""

    year: int
    x: float
    cells: list[str]


@dataclass(frozen=True)
class Chart:
    title: str
    series: list[Series]
    bars: list[Bar]
    years: list[YearRow]
    baseline_y: float
    width: int = WIDTH
    height: int = HEIGHT


def figures(
    indicator: Indicator, outcomes: list[tuple[int, Decimal | None, str]]
) -> dict[tuple[str, int], tuple[Decimal, str]]:
    """The numbers to draw: per (series, year) the first printed value of that kind, and the
    latest follow-up outcome of the year (`outcomes` is (year, number, shown), latest first)."""
    found: dict[tuple[str, int], tuple[Decimal, str]] = {}
    for value in indicator.values.all():
        if value.number is not None:
            found.setdefault((value.kind, value.year), (value.number, value.display()))
    for year, number, shown in outcomes:
        if number is not None:
            found.setdefault((FOLLOWUP, year), (number, shown))
    return found


def value_chart(
    indicator: Indicator, outcomes: list[tuple[int, Decimal | None, str]]
) -> Chart | None:
    """The chart of an indicator's numbers by year; None if it has no numbers to draw."""
    found = figures(indicator, outcomes)
    if not found:
        return None
    series = [Series(key, str(label)) for key, label in SERIES if any(k == key for k, _ in found)]
    years = sorted({year for _, year in found})
    numbers = [number for number, _ in found.values()]
    low, high = min(Decimal(0), *numbers), max(Decimal(0), *numbers)
    span = (high - low) or Decimal(1)
    plot_height = HEIGHT - TOP - BOTTOM

    def y_of(number: Decimal) -> float:
        return TOP + float((high - number) / span) * plot_height

    slot = (WIDTH - 2 * SIDE) / len(years)
    bar_width = (slot - GAP) / len(series)
    zero = y_of(Decimal(0))
    bars, rows = [], []
    for i, year in enumerate(years):
        left = SIDE + i * slot + GAP / 2
        cells = []
        for j, one in enumerate(series):
            number, shown = found.get((one.key, year), (None, ""))
            cells.append(shown)
            if number is None:
                continue
            top = y_of(max(number, Decimal(0)))
            bottom = y_of(min(number, Decimal(0)))
            bars.append(
                Bar(one.key, year, shown, left + j * bar_width, top, bar_width - 2, bottom - top)
            )
        rows.append(YearRow(year, left + (slot - GAP) / 2, cells))
    return Chart(str(indicator), series, bars, rows, zero)
