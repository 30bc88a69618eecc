"""The economy's arithmetic, with no database: signs, deviation, the forecast proposal and
rounding. The rules are stated in docs/economy.md and on the economy page.

Signs. Operating budgets print net figures: income positive, costs negative (Intäkter
92 746, Kostnader -245 191, Netto -152 445). Investment budgets print expenditure positive
(Nya utbyggnadsområden 357 100). The ledger (SIE, CSV, XLSX) records debit positive and
credit negative, in kronor. So an operating figure in tkr is `-ledger / 1000` and an
investment figure `+ledger / 1000`.

Deviation (avvikelse) follows the Swedish convention: positive is better than budget. For a
net figure that is `forecast - budget` (more income or lower costs); for expenditure it is
`budget - forecast` (money left unspent).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

THOUSAND = Decimal(1000)
WHOLE = Decimal(1)
ONE_DECIMAL = Decimal("0.1")
STORED = Decimal("0.0001")
MONTHS = 12


class Sign(StrEnum):
    """How a table prints its figures."""

    NET = "net"  # income positive, costs negative (operating, per department)
    EXPENDITURE = "expenditure"  # spending positive (investments)


def sign_of(table_kind: str) -> Sign:
    return Sign.EXPENDITURE if table_kind == "investments" else Sign.NET


def as_printed(amount: Decimal, sign: Sign) -> Decimal:
    """A ledger amount (debit positive) with the sign the table prints it with."""
    return amount if sign is Sign.EXPENDITURE else -amount


def tkr(kronor: Decimal) -> Decimal:
    """Kronor in tkr to four decimals (0,1 kr), the storage's precision (core.validation);
    a row's lines are added in kronor first, so this rounds once per row."""
    return (kronor / THOUSAND).quantize(STORED, rounding=ROUND_HALF_UP)


def tkr_from_ledger(amount_kr: Decimal, sign: Sign) -> Decimal:
    """A ledger amount in kronor (debit positive) as the table prints it, in tkr."""
    return tkr(as_printed(amount_kr, sign))


def round_tkr(value: Decimal) -> Decimal:
    """Whole tkr, half away from zero (how reports print amounts; sums are taken first)."""
    return value.quantize(WHOLE, rounding=ROUND_HALF_UP)


class Verdict(StrEnum):
    BETTER = "better"
    AS_BUDGETED = "as_budgeted"
    WORSE = "worse"


@dataclass(frozen=True)
class Deviation:
    """Forecast against budget: tkr and % (positive is better), and the verdict."""

    tkr: Decimal
    percent: Decimal | None  # None when the budget is zero

    @property
    def verdict(self) -> Verdict:
        rounded = round_tkr(self.tkr)
        if rounded > 0:
            return Verdict.BETTER
        if rounded < 0:
            return Verdict.WORSE
        return Verdict.AS_BUDGETED


def deviation(budget: Decimal, forecast: Decimal, sign: Sign) -> Deviation:
    """The deviation of `forecast` from `budget` by the Swedish convention (see the module);
    the percentage is of the budget's absolute value, to one decimal."""
    tkr = forecast - budget if sign is Sign.NET else budget - forecast
    percent = (
        None if budget == 0 else (tkr * 100 / abs(budget)).quantize(ONE_DECIMAL, ROUND_HALF_UP)
    )
    return Deviation(tkr, percent)


def proposal(budget: Decimal, outcome: Decimal, month: int) -> Decimal:
    """The automatic forecast: the outcome to the end of `month`, plus the budget's share of
    the months left (the rest of the year is assumed to run as budgeted), in whole tkr.

    prognos = utfall t.o.m. månad m + budget × (12 − m) / 12"""
    return round_tkr(outcome + budget * (MONTHS - month) / MONTHS)


def needs_comment(budget: Decimal, forecast: Decimal, threshold_percent: Decimal) -> bool:
    """A forecast deviating from the budget by more than `threshold_percent` of the budget
    (any deviation when the budget is zero) must be explained."""
    difference = abs(forecast - budget)
    if budget == 0:
        return difference != 0
    return difference * 100 > threshold_percent * abs(budget)


def unspent(budget: Decimal, forecast: Decimal) -> Decimal:
    """Investment funds the forecast leaves unspent (never negative): the amount proposed
    for carry-over to next year (ombudgetering)."""
    return max(budget - forecast, Decimal(0))
