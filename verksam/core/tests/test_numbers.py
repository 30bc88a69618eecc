from decimal import Decimal

import pytest

from verksam.core.numbers import (
    format_number,
    number_text,
    parse_amount,
    parse_value,
    value_text,
)


@pytest.mark.parametrize(
    ("raw", "number", "suffix"),
    [
        ("7 191", Decimal("7191"), ""),
        ("35 398", Decimal("35398"), ""),
        ("0,0%", Decimal("0.0"), "%"),
        ("3,0 %", Decimal("3.0"), "%"),
        ("-152 445", Decimal("-152445"), ""),
        ("−4,5", Decimal("-4.5"), ""),
        ("32.3", Decimal("32.3"), ""),
        ("169", Decimal("169"), ""),
        ("14 min", Decimal("14"), "min"),
        ("10:52 min", Decimal("10.8667"), "min"),
        ("8,2 (noll-mätning)", Decimal("8.2"), "(noll-mätning)"),
    ],
)
def test_numbers_are_read_as_printed(raw, number, suffix):
    parsed = parse_value(raw)
    assert (parsed.number, parsed.suffix, parsed.text) == (number, suffix, "")


@pytest.mark.parametrize(
    "raw", ["Minskande", "Minskat", "Basvärde tas fram", "ej aktuellt", "Ökad"]
)
def test_words_are_qualitative_values(raw):
    parsed = parse_value(raw)
    assert parsed.number is None
    assert parsed.text == raw


@pytest.mark.parametrize("raw", ["", "-", "–", " — "])
def test_dashes_and_empty_cells_are_missing(raw):
    assert parse_value(raw).is_missing


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("7191"), None, "7\u00a0191"),
        (Decimal("-152445"), None, "-152\u00a0445"),
        (Decimal("3.0"), None, "3,0"),
        (Decimal("1234567.891"), 1, "1\u00a0234\u00a0567,9"),
        (0, None, "0"),
        (None, None, ""),
    ],
)
def test_numbers_are_formatted_the_swedish_way(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("raw", "number", "percent", "spaced_sign"),
    [
        ("-152 445", Decimal("-152445"), False, False),
        ("83 174", Decimal("83174"), False, False),
        ("+200", Decimal("200"), False, False),
        ("- 6 406", Decimal("-6406"), False, True),
        ("12,0%", Decimal("12.0"), True, False),
        ("-33,6%", Decimal("-33.6"), True, False),
        ("5,27%", Decimal("5.27"), True, False),
    ],
)
def test_budget_figures_are_read_as_printed(raw, number, percent, spaced_sign):
    parsed = parse_amount(raw)
    assert parsed is not None
    assert (parsed.number, parsed.percent, parsed.spaced_sign) == (number, percent, spaced_sign)
    assert parsed.number.as_tuple().exponent == number.as_tuple().exponent


@pytest.mark.parametrize("raw", ["", "-", "tkr", "1 2", "12,0 procent"])
def test_a_budget_cell_without_a_number_reads_as_none(raw):
    assert parse_amount(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10:52 min", "10:52 min"),  # minutes and seconds, not 10,8667 min
        ("+200", "+200"),  # the sign as printed
        ("0%", "0%"),  # the percent sign as printed, without a space added
        ("80 %", "80 %"),
        ("Minskat", "Minskat"),
        ("  7 191\n", "7\u00a0191"),  # digit groups kept together
        ("-", "-"),  # a printed dash is what the plan printed
        ("", ""),
    ],
)
def test_a_value_is_printed_as_the_plan_wrote_it(raw, expected):
    assert value_text(raw) == expected


def test_a_computed_number_is_printed_in_swedish_format_with_its_suffix():
    assert number_text(Decimal("-152445")) == "-152\u00a0445"
    assert number_text(Decimal("12.0"), "%") == "12,0 %"
    assert number_text(Decimal("10"), "%", 0) == "10 %"
    assert number_text(None, "%") == ""
