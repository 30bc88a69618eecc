"""The input rules every entrance shares (verksam.core.validation)."""

import sys
from decimal import Decimal

import pytest
from django.utils import translation
from pydantic import BaseModel, ValidationError

from verksam.core.validation import (
    LONG_TEXT_MAX,
    REFUSED,
    Key,
    ShortText,
    Year,
    _refused,
    clean_key,
    clean_number,
    clean_text,
    clean_year,
    printable,
)

# The rules' messages in English; the last tests check the Swedish default.
pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(
    "key", ["KSK", "KSK-STAB", "2022-1.1", "ksk-2022-1.1-u1-a1", "ks-2022-b1-01", "a" * 80]
)
def test_every_kind_of_id_in_the_data_is_a_valid_key(key):
    assert clean_key(key) == key


@pytest.mark.parametrize(
    "key",
    [
        "",
        "h-<script>alert(1)</script>",
        "ksk/2022",
        "-leading-dash",
        ".hidden",
        "with space",
        "ksk_2022",
        "nul\x00",
        "å-key",
        "a" * 81,
    ],
)
def test_a_key_outside_the_pattern_is_refused_with_the_rule(key):
    with pytest.raises(ValueError, match=r"not a valid id"):
        clean_key(key)


def test_an_org_unit_code_has_its_own_maximum():
    assert clean_key("A" * 40, max_length=40)
    with pytest.raises(ValueError, match="at most 40 characters"):
        clean_key("A" * 41, max_length=40)


def test_a_refused_key_is_shown_without_its_invisible_characters():
    with pytest.raises(ValueError, match="not a valid id") as error:
        clean_key("a\x00b")
    assert "aU+0000b" in str(error.value)
    assert "\x00" not in str(error.value)


@pytest.mark.parametrize(
    "text",
    [
        "Personalomsättning 8,2 %",
        "tab\tand\nnewline",
        "no-break\u00a0space and narrow\u202fone",
        "soft\u00adhyphen",
        "”Nutid och framtid” – § 1 • ✓",
    ],
)
def test_text_from_the_seed_or_pasted_from_word_is_kept_exactly(text):
    assert clean_text(text, max_length=100) == text


def test_line_ends_are_normalised_to_a_line_feed():
    assert clean_text("a\r\nb\rc", max_length=10) == "a\nb\nc"


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\x00", "U+0000"),
        ("\x0b", "U+000B"),
        ("\x1b", "U+001B"),
        ("\x7f", "U+007F"),
        ("\x85", "U+0085"),
        ("\ud800", "U+D800"),
        ("\udfff", "U+DFFF"),
        ("\uffff", "U+FFFF"),
    ],
)
def test_control_characters_lone_surrogates_and_non_characters_are_refused(char, shown):
    with pytest.raises(ValueError, match="is not allowed") as error:
        clean_text(f"abc{char}def", max_length=100)
    assert f"character {shown} at position 4 is not allowed" in str(error.value)


def test_a_one_line_text_refuses_a_line_break():
    assert clean_text("one line", max_length=20, multiline=False) == "one line"
    with pytest.raises(ValueError, match="must be one line"):
        clean_text("two\nlines", max_length=20, multiline=False)


def test_a_text_longer_than_its_maximum_is_refused_with_both_lengths():
    assert clean_text("x" * LONG_TEXT_MAX, max_length=LONG_TEXT_MAX)
    with pytest.raises(ValueError, match=f"too long: {LONG_TEXT_MAX + 1} characters, at most"):
        clean_text("x" * (LONG_TEXT_MAX + 1), max_length=LONG_TEXT_MAX)


@pytest.mark.parametrize(
    "number",
    ["0", "7191", "-152445", "3.0", "99999999999.9999", "-99999999999.9999", "1E+5", "10.8667"],
)
def test_numbers_both_databases_store_exactly_are_accepted(number):
    assert clean_number(Decimal(number)) == Decimal(number)


@pytest.mark.parametrize(
    "number", ["100000000000", "123456789012345", "1.23456", "1E+20", "NaN", "Infinity"]
)
def test_numbers_a_database_cannot_hold_exactly_are_refused(number):
    with pytest.raises(ValueError, match=r"does not fit|is not a number"):
        clean_number(Decimal(number))


@pytest.mark.parametrize("year", [1900, 2022, 2100])
def test_years_in_the_range_are_accepted(year):
    assert clean_year(year) == year


@pytest.mark.parametrize("year", [0, 1899, 2101, 40000, -2022])
def test_years_outside_the_range_are_refused(year):
    with pytest.raises(ValueError, match=f"the year {year} is outside 1900–2100"):
        clean_year(year)


class Example(BaseModel):
    key: Key
    name: ShortText = ""
    year: Year = 2022


def test_the_pydantic_types_strip_and_apply_the_rules():
    assert Example(key=" KSK ", name=" Namn ").model_dump() == {
        "key": "KSK",
        "name": "Namn",
        "year": 2022,
    }


def test_the_pydantic_types_report_each_refusal_at_its_field():
    with pytest.raises(ValidationError) as error:
        Example(key="a/b", name="två\nrader", year=3000)
    by_field = {e["loc"][0]: str(e["ctx"]["error"]) for e in error.value.errors()}
    assert set(by_field) == {"key", "name", "year"}
    assert "not a valid id" in by_field["key"]
    assert "must be one line" in by_field["name"]
    assert "outside 1900–2100" in by_field["year"]


def test_messages_are_swedish_unless_english_is_chosen():
    with (
        translation.override("sv"),
        pytest.raises(ValueError, match=r"^otillåtet tecken U\+0000 på plats 2$"),
    ):
        clean_text("a\x00b", max_length=10)
    with (
        translation.override("sv"),
        pytest.raises(ValueError, match="«ksk/2022» är inget giltigt id"),
    ):
        clean_key("ksk/2022")


def test_the_refused_pattern_finds_exactly_the_refused_characters():
    """`printable` finds refused characters with one pattern: it must agree with the rule
    (`_refused`) on every code point."""
    for point in range(sys.maxunicode + 1):
        char = chr(point)
        assert bool(REFUSED.match(char)) == _refused(char), hex(point)
    assert printable({"a": ["x\x00y\ud800", ("\ufffe",)], "b": 1}) == {"a": ["xy", ("",)], "b": 1}
