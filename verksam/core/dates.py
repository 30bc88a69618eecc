"""Dates as plans write them: `2022-12-31`, `2022-01`, `31 mars`, `Påbörjat 2021`, `Pågår`.

A plan's date cell is kept as printed; this module turns it into a date with
the precision it was given, so that "late" can be judged fairly (an end of
`2022-04` is not passed until April is over), and says what is odd about it.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")
    ONGOING = "ongoing", _("ongoing")
    NONE = "", _("not given")


MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "mars": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "maj": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augusti": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
ONGOING_WORDS = {"pågår", "pågående", "löpande", "kontinuerligt", "kontinuerlig"}

ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
YEAR = re.compile(r"^(\d{4})$")
DAY_MONTH = re.compile(r"^(\d{1,2})\s+([a-zåäö]+)\.?(?:\s+(\d{4}))?$")
MONTH_YEAR = re.compile(r"^([a-zåäö]+)\.?\s+(\d{4})$")
SHORT_YEAR_DAY = re.compile(r"^(\d{2})-(\d{2})-(\d{2})$")
QUARTER = re.compile(r"^q([1-4])\s+(\d{4})$")
TRAILING_NOTE = re.compile(r"^(.*?)\s*\(([^()]*)\)$")
LEADING_BODY = re.compile(r"^([A-ZÅÄÖ]{2,5})\s+(.+)$")  # "KF februari 2023": the deciding body
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
EMBEDDED = re.compile(
    rf"\d{{4}}-\d{{1,2}}-\d{{1,2}}|\b(?:\d{{1,2}}\s+)?(?:{_MONTH_NAMES})\s+\d{{4}}"
)
STARTED = re.compile(r"^(?:påbörja[dt]|startad|startat)\s+(?:(\S+)\s+)?(\d{4})$")
PLAUSIBLE_YEARS = range(-5, 11)  # relative to the plan's year


@dataclass(frozen=True)
class PartialDate:
    """A normalised date cell: the first day of the period it names, and its precision.

    `anomalies` are remarks on how the cell was read (shown beside the date);
    `from_text` says the date was picked out of a longer text."""

    value: date | None
    precision: str
    anomalies: tuple[str, ...] = field(default=())
    from_text: bool = False

    @property
    def last_day(self) -> date | None:
        """The last day the cell covers: the day itself, the month's or the year's last day."""
        if self.value is None:
            return None
        if self.precision == Precision.MONTH:
            last = calendar.monthrange(self.value.year, self.value.month)[1]
            return self.value.replace(day=last)
        if self.precision == Precision.QUARTER:
            end_month = self.value.month + 2
            return date(
                self.value.year, end_month, calendar.monthrange(self.value.year, end_month)[1]
            )
        if self.precision == Precision.YEAR:
            return self.value.replace(month=12, day=31)
        return self.value


def normalise_date(raw: str, *, plan_year: int) -> PartialDate:
    """Read a date cell as printed in a plan; `plan_year` supplies a missing year."""
    text = " ".join(raw.split()).strip().lower().rstrip(".")
    if not text:
        return PartialDate(None, Precision.NONE)
    if text in ONGOING_WORDS:
        return PartialDate(
            None, Precision.ONGOING, (f"«{raw}» är ingen tidpunkt: tolkas som pågående",)
        )
    if parsed := _parse(text, plan_year):
        value, precision, anomalies = parsed
        from_text = False
    elif worded := _parse_with_words(text, raw, plan_year):
        value, precision, anomalies, from_text = worded
    else:
        return PartialDate(None, Precision.NONE, (f"«{raw}» kan inte tolkas som ett datum",))
    if value.year - plan_year not in PLAUSIBLE_YEARS:
        anomalies = (
            *anomalies,
            f"«{raw}»: året {value.year} är orimligt för en plan för {plan_year}",
        )
    return PartialDate(value, precision, anomalies, from_text)


def _parse_with_words(
    text: str, raw: str, plan_year: int
) -> tuple[date, str, tuple[str, ...], bool] | None:
    """A date with a note before or after it ("KF februari 2023", "20 juni 2022 (KF)") or
    inside a sentence: read the one date; the last says whether it came from a sentence."""
    if (m := TRAILING_NOTE.match(text)) and (parsed := _parse(m[1], plan_year)):
        value, precision, anomalies = parsed
        note = raw.strip()[len(m[1]) :].strip()
        return (
            value,
            precision,
            (*anomalies, f"«{raw}»: tillägget «{note}» finns bara i texten"),
            False,
        )
    if (m := LEADING_BODY.match(" ".join(raw.split()))) and (
        parsed := _parse(m[2].lower().rstrip("."), plan_year)
    ):
        value, precision, anomalies = parsed
        return value, precision, (*anomalies, f"«{raw}»: «{m[1]}» finns bara i texten"), False
    found = [p for m in EMBEDDED.finditer(text) if (p := _parse(m[0], plan_year))]
    if len(found) == 1:
        value, precision, anomalies = found[0]
        return (
            value,
            precision,
            (*anomalies, f"«{raw}»: datumet är hämtat ur en längre text"),
            True,
        )
    return None


def _parse(text: str, plan_year: int) -> tuple[date, str, tuple[str, ...]] | None:
    try:
        if m := ISO_DAY.match(text):
            return date(int(m[1]), int(m[2]), int(m[3])), Precision.DAY, ()
        if m := ISO_MONTH.match(text):
            return date(int(m[1]), int(m[2]), 1), Precision.MONTH, ()
        if m := SHORT_YEAR_DAY.match(text):
            note = f"«{text}» har tvåsiffrigt år: 20{m[1]} antas"
            return date(2000 + int(m[1]), int(m[2]), int(m[3])), Precision.DAY, (note,)
        if m := QUARTER.match(text):
            return date(int(m[2]), 3 * int(m[1]) - 2, 1), Precision.QUARTER, ()
        if m := YEAR.match(text):
            return date(int(m[1]), 1, 1), Precision.YEAR, ()
        if (m := DAY_MONTH.match(text)) and m[2] in MONTHS:
            year = int(m[3]) if m[3] else plan_year
            anomalies = () if m[3] else (f"«{text}» saknar år: {plan_year} antas",)
            return date(year, MONTHS[m[2]], int(m[1])), Precision.DAY, anomalies
        if (m := MONTH_YEAR.match(text)) and m[1] in MONTHS:
            return date(int(m[2]), MONTHS[m[1]], 1), Precision.MONTH, ()
        if m := STARTED.match(text):
            month = MONTHS.get(m[1] or "")
            if m[1] and month is None:
                return None
            precision = Precision.MONTH if month else Precision.YEAR
            note = f"«{text}» anger när arbetet påbörjades, inte ett planerat datum"
            return date(int(m[2]), month or 1, 1), precision, (note,)
    except ValueError:
        return None
    return None
