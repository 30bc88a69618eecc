"""One set of input rules for every entrance: the loader, forms, the API and commands.

Each rule is a plain function that returns the cleaned value or raises `ValueError`
with a Swedish / English message (so a Django form can turn it into a field error and
pydantic into a located validation error), and, for pydantic schemas, an `Annotated`
type that applies it. The rules, and why (docs/data-format.md, "Input rules"):

- **Keys** (the stable ids of items and org units): ASCII letters, digits, `.` and `-`,
  starting with a letter or digit, at most 80 characters (org unit codes 40). This is
  what every id in `data/` uses (`KSK-STAB`, `2022-1.1`, `ksk-2022-1.1-u1-a1`), and it
  is safe in a URL path segment, a file name and an HTML id.
- **Texts**: line ends are normalised to `\\n`; control characters other than tab and
  line feed, lone surrogates and the non-characters U+FFFE/U+FFFF are refused (they
  break PDF, Word, Excel and PostgreSQL). Everything else is kept as given, including
  what Word pastes (no-break spaces, soft hyphens), so the seed stays exact.
  Maximum lengths by kind: `SHORT_TEXT_MAX` for names, labels and cells (one line
  unless stated), `TITLE_MAX` for titles, headings, notes and action texts,
  `LONG_TEXT_MAX` for bodies and descriptions. Forms (`FormText`) turn what Word puts
  in pasted text for a manual line break (U+000B) or a page break (U+000C) into a line
  break before checking; the API and the loader refuse them like any control character.
- **Numbers**: at most 11 digits before the decimal separator and 4 after, so that a
  value is stored exactly in `DecimalField(max_digits=16, decimal_places=4)` on
  PostgreSQL and in SQLite (whose decimals are 64-bit floating point: 15 digits).
- **Years**: 1900–2100.
"""

import argparse
import re
import unicodedata
from decimal import Decimal
from functools import partial
from typing import Annotated, Any, TypeVar

from django import forms
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from pydantic import AfterValidator, Field, StringConstraints

KEY_MAX_LENGTH = 80
CODE_MAX_LENGTH = 40  # OrgUnit.code
KEY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]*")

SHORT_TEXT_MAX = 200
TITLE_MAX = 1_000
LONG_TEXT_MAX = 20_000

NUMBER_INTEGER_DIGITS = 11
NUMBER_DECIMAL_PLACES = 4
NUMBER_LIMIT = Decimal(10) ** NUMBER_INTEGER_DIGITS

YEAR_MIN = 1900
YEAR_MAX = 2100

M = TypeVar("M", bound=Model)

ALLOWED_CONTROLS = {"\t", "\n"}
NON_CHARACTERS = {"\ufffe", "\uffff"}
# What Word puts in copied text for a manual line break and a page break.
WORD_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def is_key(value: str) -> bool:
    """Whether `value` matches the key pattern (a lookup by anything else finds nothing)."""
    return len(value) <= KEY_MAX_LENGTH and KEY_PATTERN.fullmatch(value) is not None


def clean_key(value: str, *, max_length: int = KEY_MAX_LENGTH) -> str:
    """An id as given, or ValueError when it does not match the key pattern."""
    if len(value) > max_length or not KEY_PATTERN.fullmatch(value):
        raise ValueError(
            f"«{_shown(value)}» är inget giltigt id: bokstäverna A–Z och a–z, siffror, punkt "
            f"och bindestreck, först en bokstav eller siffra, högst {max_length} tecken / "
            f"not a valid id: letters A–Z and a–z, digits, '.' and '-', starting with a "
            f"letter or digit, at most {max_length} characters"
        )
    return value


def clean_text(value: str, *, max_length: int, multiline: bool = True) -> str:
    """The text with its line ends normalised to `\\n`; ValueError when it holds a
    character that is refused, a line break where one line is expected, or is too long."""
    text = check_characters(value, multiline=multiline)
    if len(text) > max_length:
        raise ValueError(
            f"för lång: {len(text)} tecken, högst {max_length} / "
            f"too long: {len(text)} characters, at most {max_length}"
        )
    return text


def check_characters(value: str, *, multiline: bool = True) -> str:
    """The text with its line ends normalised to `\\n`; ValueError when it holds a
    refused character, or a line break where one line is expected (any length)."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    for position, char in enumerate(text, start=1):
        if _refused(char):
            raise ValueError(
                f"otillåtet tecken {_codepoint(char)} på plats {position} / "
                f"character {_codepoint(char)} at position {position} is not allowed"
            )
    if not multiline and "\n" in text:
        raise ValueError("ska vara en rad, utan radbrytning / must be one line, no line break")
    return text


def without_refused(value: str) -> str:
    """The text with every refused character left out: for writing stored text that an
    older version let in where it would break the output (PDF, Word, Excel)."""
    return "".join(c for c in value if not _refused(c))


def printable(data: Any) -> Any:
    """`data` (a document's JSON-able dicts, lists and values) with the refused characters
    left out of every text: the writers of PDF, Word and Excel apply it, so a value an older
    version stored (NUL, a vertical tab) never breaks a document."""
    if isinstance(data, str):
        return without_refused(data) if any(map(_refused, data)) else data
    if isinstance(data, dict):
        return {key: printable(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return type(data)(printable(value) for value in data)
    return data


def clean_number(value: Decimal) -> Decimal:
    """A number that both databases store exactly, or ValueError."""
    if not value.is_finite():
        raise ValueError(f"«{value}» är inget tal / is not a number")
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if abs(value) >= NUMBER_LIMIT or decimals > NUMBER_DECIMAL_PLACES:
        raise ValueError(
            f"talet {value} får inte plats: högst {NUMBER_INTEGER_DIGITS} siffror före "
            f"decimaltecknet och {NUMBER_DECIMAL_PLACES} efter / the number {value} does not "
            f"fit: at most {NUMBER_INTEGER_DIGITS} digits before the decimal separator and "
            f"{NUMBER_DECIMAL_PLACES} after"
        )
    return value


def clean_year(value: int) -> int:
    """A year in the range plans and their follow-up use, or ValueError."""
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise ValueError(
            f"året {value} ligger utanför {YEAR_MIN}–{YEAR_MAX} / "
            f"the year {value} is outside {YEAR_MIN}–{YEAR_MAX}"
        )
    return value


def year_argument(text: str) -> int:
    """A command's year option (`type=year_argument`): an integer within the year range."""
    try:
        return clean_year(int(text))
    except ValueError as error:
        message = (
            str(error)
            if text.strip().lstrip("-").isdigit()
            else f"«{text}» är inget år / is not a year"
        )
        raise argparse.ArgumentTypeError(message) from None


def _refused(char: str) -> bool:
    category = unicodedata.category(char)
    return (
        (category == "Cc" and char not in ALLOWED_CONTROLS)
        or category == "Cs"
        or char in NON_CHARACTERS
    )


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def _shown(value: str) -> str:
    """A refused value, short and with its invisible characters made visible."""
    shown = "".join(_codepoint(c) if _refused(c) else c for c in value[:40])
    return shown + ("…" if len(value) > 40 else "")


# --- pydantic types -------------------------------------------------------------------

Stripped = StringConstraints(strip_whitespace=True)

Key = Annotated[str, Stripped, AfterValidator(clean_key)]
Code = Annotated[str, Stripped, AfterValidator(partial(clean_key, max_length=CODE_MAX_LENGTH))]
# The range is in the JSON schema too (the API's OpenAPI document).
Year = Annotated[
    int,
    AfterValidator(clean_year),
    Field(json_schema_extra={"minimum": YEAR_MIN, "maximum": YEAR_MAX}),
]


def text_type(max_length: int, *, multiline: bool = True, required: bool = False) -> type:
    """A stripped text of at most `max_length` characters under the text rules."""
    constraints = StringConstraints(strip_whitespace=True, min_length=1 if required else 0)
    check = partial(clean_text, max_length=max_length, multiline=multiline)
    return Annotated[str, constraints, AfterValidator(check)]  # type: ignore[return-value]


ShortText = text_type(SHORT_TEXT_MAX, multiline=False)
Title = text_type(TITLE_MAX)
RequiredTitle = text_type(TITLE_MAX, required=True)
LongText = text_type(LONG_TEXT_MAX)


# --- Django -------------------------------------------------------------------------------


class FormText(forms.CharField):
    """A form's text under the text rules: line ends normalised, Word's line and page
    breaks made line breaks, other refused characters an error, at most `max_length`
    characters (also the input's `maxlength`), one line unless `multiline`."""

    def __init__(self, *, max_length: int = LONG_TEXT_MAX, multiline: bool = True, **kwargs: Any):
        if multiline:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(max_length=max_length, **kwargs)
        self.multiline = multiline

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n").translate(WORD_BREAKS)

    def validate(self, value: str) -> None:
        super().validate(value)
        try:
            check_characters(value, multiline=self.multiline)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class FormNumber(forms.DecimalField):
    """A form's number that both databases store exactly (11 digits before the decimal
    comma, 4 after), in Swedish format."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("localize", True)
        super().__init__(
            max_digits=NUMBER_INTEGER_DIGITS + NUMBER_DECIMAL_PLACES,
            decimal_places=NUMBER_DECIMAL_PLACES,
            **kwargs,
        )


class KeyConverter:
    """A key in an address (`<key:key>`): an address whose key does not match the key
    pattern is not found (404), before any database sees it (PostgreSQL refuses NUL).
    Reversing takes a stored key as it is."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        if not is_key(value):
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return value


def get_by_key(rows: QuerySet[M], key: str, **lookups: Any) -> M:
    """The row of `rows` with `key`, or 404; a key that does not match the key pattern is
    not looked up (PostgreSQL refuses NUL in a query)."""
    if not is_key(key):
        raise Http404
    return get_object_or_404(rows, key=key, **lookups)
