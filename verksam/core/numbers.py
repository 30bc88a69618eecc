"""Numbers as plans print them (`7 191`, `3,0%`, `-152 445`, `10:52 min`) and back.

Indicator cells are kept as printed; this module reads the number out of them
when there is one. Two formatters serve every page, document and workbook: `value_text`
prints a value as the plan (or a reporter) wrote it, `number_text` prints a number that
verksam computed, the Swedish way.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

NBSP = "\u00a0"
MISSING = {"", "-", "–", "—", "−"}
NUMBER = r"[+\-−]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|[+\-−]?\d+(?:[,.]\d+)?"
LEADING_NUMBER = re.compile(rf"^({NUMBER})\s*(.*)$")
MINUTES_SECONDS = re.compile(r"^(\d+):([0-5]\d)\s*(min)?$")
DIGIT_GROUP_SPACE = re.compile(r"(?<=\d)[ \u202f](?=\d{3}(?!\d))")


@dataclass(frozen=True)
class ParsedValue:
    """What a cell says: a number (with what was printed after it) or a text."""

    number: Decimal | None = None
    suffix: str = ""
    text: str = ""

    @property
    def is_missing(self) -> bool:
        return self.number is None and not self.text


def to_decimal(token: str) -> Decimal:
    cleaned = re.sub(r"[ \u00a0\u202f]", "", token).replace("−", "-").replace(",", ".")
    return Decimal(cleaned)


def parse_value(raw: str) -> ParsedValue:
    """Read an indicator cell. `%` and units stay in `suffix`; words stay as `text`."""
    text = " ".join(raw.split())
    if text in MISSING:
        return ParsedValue()
    if m := MINUTES_SECONDS.match(text):
        minutes = Decimal(int(m[1])) + Decimal(int(m[2])) / Decimal(60)
        return ParsedValue(minutes.quantize(Decimal("0.0001")), "min")
    if m := LEADING_NUMBER.match(text):
        try:
            return ParsedValue(to_decimal(m[1]), m[2].strip())
        except InvalidOperation:
            pass
    return ParsedValue(text=text)


def format_number(value: Decimal | float | int | None, decimals: int | None = None) -> str:
    """Swedish format: non-breaking space between thousands, decimal comma; by default as
    many decimals as the value carries (`3,0` stays `3,0`)."""
    if value is None:
        return ""
    number = Decimal(str(value))
    if decimals is None:
        exponent = number.as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    formatted = f"{abs(number):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return ("-" if number < 0 else "") + formatted


def value_text(raw: str) -> str:
    """A value as the plan or a reporter wrote it (`10:52 min`, `+200`, `0%`, `80 %`,
    `Minskat`), runs of white space made one space and the space between a number's digit
    groups a no-break one (`7 191` stays on one line); empty where nothing was written.
    A printed value is never re-formatted: what verksam reads out of it stays beside it."""
    return DIGIT_GROUP_SPACE.sub(NBSP, " ".join(raw.split()))


def number_text(
    number: Decimal | float | int | None, suffix: str = "", decimals: int | None = None
) -> str:
    """A number verksam computed (or read out of a cell) for people: Swedish format
    (`format_number`) with what follows it, `-152 445`, `12,0 %`; empty for None."""
    if number is None:
        return ""
    return " ".join(filter(None, [format_number(number, decimals), suffix]))


AMOUNT = re.compile(r"^([+\-−]?)( ?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(\d+))?\s*(%?)$")


@dataclass(frozen=True)
class ParsedAmount:
    """A budget cell read as a number: `-152 445`, `+200`, `12,0%`.

    `spaced_sign` marks a figure printed with a space after its sign: `- 6 406`."""

    number: Decimal
    percent: bool = False
    spaced_sign: bool = False


def parse_amount(raw: str) -> ParsedAmount | None:
    """Read a budget figure (tkr or a percentage); None when the cell holds no number."""
    m = AMOUNT.match(" ".join(raw.split()))
    if m is None:
        return None
    sign = "-" if m[1] in ("-", "−") else ""
    digits = re.sub(r"[ \u00a0\u202f]", "", m[3]) + (f".{m[4]}" if m[4] else "")
    return ParsedAmount(Decimal(sign + digits), percent=bool(m[5]), spaced_sign=bool(m[2]))
