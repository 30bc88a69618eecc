"""The economy's arithmetic against hand-computed figures: signs, deviation, proposal,
the comment threshold and rounding."""

from decimal import Decimal

from verksam.economy import figures
from verksam.economy.figures import Sign, Verdict

D = Decimal


def test_a_ledger_amount_becomes_tkr_with_the_tables_sign():
    # Income is a credit (negative) in the ledger and positive in a net table.
    assert figures.tkr_from_ledger(D("-1234567"), Sign.NET) == D("1234.567")
    # A cost is a debit (positive) and negative in a net table.
    assert figures.tkr_from_ledger(D("250000"), Sign.NET) == D("-250")
    # An investment's expenditure is a debit and positive in the investment table.
    assert figures.tkr_from_ledger(D("250000"), Sign.EXPENDITURE) == D("250")
    # Öre: tkr are stored to four decimals (0,1 kr), half away from zero.
    assert figures.tkr_from_ledger(D("7561377.48"), Sign.NET) == D("-7561.3775")
    assert figures.tkr_from_ledger(D("0.04"), Sign.NET) == D("0")


def test_lower_net_costs_than_budget_are_a_positive_deviation():
    # Stab: budget -48 634, forecast -47 000: 1 634 tkr better, 1 634 / 48 634 = 3,36 %.
    result = figures.deviation(D("-48634"), D("-47000"), Sign.NET)
    assert (result.tkr, result.percent, result.verdict) == (D("1634"), D("3.4"), Verdict.BETTER)


def test_higher_net_costs_than_budget_are_a_negative_deviation():
    result = figures.deviation(D("-5575"), D("-6000"), Sign.NET)
    # -425 / 5 575 = -7,62 %
    assert (result.tkr, result.percent, result.verdict) == (D("-425"), D("-7.6"), Verdict.WORSE)


def test_an_investment_spending_less_than_budget_is_a_positive_deviation():
    result = figures.deviation(D("357100"), D("300000"), Sign.EXPENDITURE)
    # 57 100 / 357 100 = 15,99 %
    assert (result.tkr, result.percent, result.verdict) == (D("57100"), D("16.0"), Verdict.BETTER)
    assert figures.unspent(D("357100"), D("300000")) == D("57100")
    assert figures.unspent(D("200"), D("260")) == 0


def test_a_deviation_under_half_a_tkr_is_as_budgeted_and_a_zero_budget_has_no_percent():
    assert figures.deviation(D("-100"), D("-100.4"), Sign.NET).verdict == Verdict.AS_BUDGETED
    assert figures.deviation(D("0"), D("-10"), Sign.NET).percent is None


def test_the_proposal_is_the_outcome_plus_the_budgets_share_of_the_months_left():
    # Budget -48 634, outcome to April -17 000: -17 000 + -48 634 × 8/12 = -49 422,67 → -49 423
    assert figures.proposal(D("-48634"), D("-17000"), 4) == D("-49423")
    # December: the outcome is the forecast.
    assert figures.proposal(D("-48634"), D("-50001.5"), 12) == D("-50002")


def test_a_comment_is_needed_above_the_threshold_only():
    # 1 % of 48 634 is 486,34.
    assert not figures.needs_comment(D("-48634"), D("-49120"), D("1"))
    assert figures.needs_comment(D("-48634"), D("-49121"), D("1"))
    assert figures.needs_comment(D("0"), D("1"), D("1"))
    assert not figures.needs_comment(D("0"), D("0"), D("1"))


def test_whole_tkr_round_half_away_from_zero():
    assert figures.round_tkr(D("2.5")) == 3
    assert figures.round_tkr(D("-2.5")) == -3
    assert figures.round_tkr(D("-2.4999")) == -2
