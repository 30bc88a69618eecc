from datetime import date

import pytest

from verksam.core.dates import Precision, normalise_date


@pytest.mark.parametrize(
    ("raw", "expected", "precision"),
    [
        ("2022-12-31", date(2022, 12, 31), Precision.DAY),
        ("2022-01", date(2022, 1, 1), Precision.MONTH),
        ("2022", date(2022, 1, 1), Precision.YEAR),
        ("31 mars", date(2022, 3, 31), Precision.DAY),
        ("1 jan", date(2022, 1, 1), Precision.DAY),
        ("31 dec", date(2022, 12, 31), Precision.DAY),
        ("20 juni 2022 (KF)", date(2022, 6, 20), Precision.DAY),
        ("2022-02-23 (SBU)", date(2022, 2, 23), Precision.DAY),
        ("KF februari 2023", date(2023, 2, 1), Precision.MONTH),
        ("Q1 2022 (ej politiskt beslut)", date(2022, 1, 1), Precision.QUARTER),
        ("Prioritering genomförd 2022-03-31", date(2022, 3, 31), Precision.DAY),
        ("22-01-01", date(2022, 1, 1), Precision.DAY),
        ("Påbörjat 2021", date(2021, 1, 1), Precision.YEAR),
        ("2202-12-31", date(2202, 12, 31), Precision.DAY),
    ],
)
def test_every_date_form_in_the_seed_is_normalised_with_its_precision(raw, expected, precision):
    partial = normalise_date(raw, plan_year=2022)
    assert (partial.value, partial.precision) == (expected, precision)


@pytest.mark.parametrize("raw", ["Pågår", "pågår", "Pågående"])
def test_ongoing_is_a_precision_without_a_date(raw):
    partial = normalise_date(raw, plan_year=2022)
    assert partial.value is None
    assert partial.precision == Precision.ONGOING
    assert partial.anomalies


@pytest.mark.parametrize(
    "raw",
    [
        "Enligt kommunstyrelsens verksamhetsplan",
        "Våren 2022",
        "Uppdrag från 2021 avslutade 30 juni Nya insatser är implementerade senast 30 aug",
        "32 mars",
        "2022-13-01",
    ],
)
def test_text_that_is_no_single_date_is_kept_unnormalised_and_reported(raw):
    partial = normalise_date(raw, plan_year=2022)
    assert partial.value is None
    assert partial.precision == Precision.NONE
    assert "kan inte tolkas" in partial.anomalies[0]


def test_an_empty_cell_is_no_date_and_no_anomaly():
    assert normalise_date("  ", plan_year=2022) == normalise_date("", plan_year=2022)
    assert normalise_date("", plan_year=2022).anomalies == ()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2202-12-31", "orimligt"),
        ("31 mars", "saknar år"),
        ("Påbörjat 2021", "påbörjades"),
        ("22-01-01", "tvåsiffrigt"),
        ("20 juni 2022 (KF)", "(KF)"),
    ],
)
def test_odd_dates_are_reported(raw, message):
    assert message in " ".join(normalise_date(raw, plan_year=2022).anomalies)


def test_a_well_formed_date_in_the_plan_horizon_is_not_reported():
    assert normalise_date("2022-09-30", plan_year=2022).anomalies == ()


@pytest.mark.parametrize(
    ("raw", "last_day"),
    [
        ("2022-04-15", date(2022, 4, 15)),
        ("2022-04", date(2022, 4, 30)),
        ("2024-02", date(2024, 2, 29)),
        ("Q1 2022", date(2022, 3, 31)),
        ("Q4 2022", date(2022, 12, 31)),
        ("2022", date(2022, 12, 31)),
        ("Pågår", None),
    ],
)
def test_the_last_day_follows_the_precision(raw, last_day):
    assert normalise_date(raw, plan_year=2022).last_day == last_day
