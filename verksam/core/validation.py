"""One set of input rules for every entrance: the loader, forms, the API and commands.

Each rule is a plain function that returns the cleaned value or raises `ValueError`
with a message in the active language (gettext: Swedish by default), so that a Django form
can turn it into a field error and pydantic into a located validation error; and, for
pydantic schemas, an `Annotated` type that applies it. The rules, and why
(docs/data-format.md, "Input rules"):

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
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Annotated, Any, TypeVar

from annotated_types import GroupedMetadata
from django import forms
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
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
# Every refused character (`_refused`) as one class, for finding them in one pass: the
# controls (Cc) but tab and line feed, the surrogates (Cs) and the non-characters.
REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What Word puts in copied text for a manual line break and a page break.
WORD_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def is_key(value: str) -> bool:
    """Whether `value` matches the key pattern (a lookup by anything else finds nothing)."""
    return len(value) <= KEY_MAX_LENGTH and KEY_PATTERN.fullmatch(value) is not None


def clean_key(value: str, *, max_length: int = KEY_MAX_LENGTH) -> str:
    """An id as given, or ValueError when it does not match the key pattern."""
    if len(value) > max_length or not KEY_PATTERN.fullmatch(value):
        raise ValueError(
            _(
                "«%(value)s» is not a valid id: letters A–Z and a–z, digits, '.' and '-', "
                "starting with a letter or digit, at most %(limit)s characters"
            )
            % {"value": _shown(value), "limit": max_length}
        )
    return value


def clean_text(value: str, *, max_length: int, multiline: bool = True) -> str:
    """The text with its line ends normalised to `\\n`; ValueError when it holds a
    character that is refused, a line break where one line is expected, or is too long."""
    text = check_characters(value, multiline=multiline)
    if len(text) > max_length:
        raise ValueError(
            _("too long: %(length)s characters, at most %(limit)s")
            % {"length": len(text), "limit": max_length}
        )
    return text


def check_characters(value: str, *, multiline: bool = True) -> str:
    """The text with its line ends normalised to `\\n`; ValueError when it holds a
    refused character, or a line break where one line is expected (any length)."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    for position, char in enumerate(text, start=1):
        if _refused(char):
            raise ValueError(
                _("the character %(char)s at position %(position)s is not allowed")
                % {"char": _codepoint(char), "position": position}
            )
    if not multiline and "\n" in text:
        raise ValueError(_("must be one line, without a line break"))
    return text


def without_refused(value: str) -> str:
    """The text with every refused character left out: for writing stored text that an
    older version let in where it would break the output (PDF, Word, Excel)."""
    return REFUSED.sub("", value)


def printable(data: Any) -> Any:
    """`data` (a document's JSON-able dicts, lists and values) with the refused characters
    left out of every text: the writers of PDF, Word and Excel apply it, so a value an older
    version stored (NUL, a vertical tab) never breaks a document."""
    if isinstance(data, str):
        return without_refused(data) if REFUSED.search(data) else data
    if isinstance(data, dict):
        return {key: printable(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return type(data)(printable(value) for value in data)
    return data


def clean_number(value: Decimal) -> Decimal:
    """A number that both databases store exactly, or ValueError."""
    if not value.is_finite():
        raise ValueError(_("«%(value)s» is not a number") % {"value": value})
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if abs(value) >= NUMBER_LIMIT or decimals > NUMBER_DECIMAL_PLACES:
        raise ValueError(
            _(
                "the number %(value)s does not fit: at most %(before)s digits before the "
                "decimal separator and %(after)s after"
            )
            % {"value": value, "before": NUMBER_INTEGER_DIGITS, "after": NUMBER_DECIMAL_PLACES}
        )
    return value


def clean_year(value: int) -> int:
    """A year in the range plans and their follow-up use, or ValueError."""
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise ValueError(
            _("the year %(year)s is outside %(min)s–%(max)s")
            % {"year": value, "min": YEAR_MIN, "max": YEAR_MAX}
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
            else _("«%(text)s» is not a year") % {"text": text}
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


@dataclass(frozen=True)
class TextRule(GroupedMetadata):
    """`Annotated[str, TextRule(…)]`: a stripped text of at most `max_length` characters
    under the text rules (pydantic unpacks the group into its two checks)."""

    max_length: int
    multiline: bool = True
    required: bool = False

    def __iter__(self) -> Iterator[object]:
        yield StringConstraints(strip_whitespace=True, min_length=1 if self.required else 0)
        yield AfterValidator(
            partial(clean_text, max_length=self.max_length, multiline=self.multiline)
        )


ShortText = Annotated[str, TextRule(SHORT_TEXT_MAX, multiline=False)]
Title = Annotated[str, TextRule(TITLE_MAX)]
RequiredTitle = Annotated[str, TextRule(TITLE_MAX, required=True)]
LongText = Annotated[str, TextRule(LONG_TEXT_MAX)]


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
        text: str = super().to_python(value) or ""
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
