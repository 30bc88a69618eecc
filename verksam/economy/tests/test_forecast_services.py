"""save_forecast: the proposal or one's own figure (never neither), the comment above the
threshold, optimistic locking, the round open, and a reporter only for their units."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from verksam.budget.models import BudgetRow
from verksam.economy import services
from verksam.economy.models import CarryOver, Forecast
from verksam.followup.services import EditConflict, PeriodNotOpen
from verksam.testing import close_round

pytestmark = pytest.mark.django_db
D = Decimal

STAB_APRIL = ('#VER A 1 20220430 "Stab"', "{", '#TRANS 5010 {1 "125"} 17000000', "}")


@pytest.fixture
def stab(db) -> BudgetRow:
    """KSK-STAB's row: budget -48 634 tkr for 2022."""
    return BudgetRow.objects.get(key="ksk-2022-departments-stab")


def save(period, row, actor, **fields):
    values = {"expected_version": 0, "choice": "own", "amount": None, "comment": ""}
    return services.save_forecast(period, row, actor=actor, **(values | fields))


def test_the_accepted_proposal_is_the_outcome_plus_the_budgets_share_of_the_year_left(
    april, controller, reporter, stab, sie
):
    services.import_outcome(april, "april.se", sie(*STAB_APRIL), actor=controller)
    # -17 000 + -48 634 × 8 / 12 = -49 422,67 → -49 423; 789 tkr (1,6 %) over budget.
    with pytest.raises(ValidationError) as error:
        save(april, stab, reporter, choice="proposal")
    assert "comment" in error.value.message_dict
    forecast = save(april, stab, reporter, choice="proposal", comment="Högre hyror.")
    assert (forecast.amount, forecast.basis, forecast.version) == (D("-49423"), "proposal", 1)
    assert forecast.author == reporter


def test_an_own_figure_within_the_threshold_needs_no_comment(april, reporter, stab):
    # 1 % of 48 634 is 486,34: -49 120 deviates by 486.
    forecast = save(april, stab, reporter, amount=D("-49120"))
    assert (forecast.amount, forecast.comment) == (D("-49120"), "")


def test_the_threshold_is_a_setting(april, reporter, stab, settings):
    settings.VERKSAM_FORECAST_COMMENT_THRESHOLD = "5"
    assert save(april, stab, reporter, amount=D("-50000")).amount == D("-50000")


def test_a_forecast_is_never_saved_without_a_choice(april, reporter, stab):
    with pytest.raises(ValidationError) as error:
        save(april, stab, reporter, choice="", amount=D("-48634"))
    assert list(error.value.message_dict) == ["choice"]
    with pytest.raises(ValidationError) as error:
        save(april, stab, reporter, choice="own", amount=None)
    assert list(error.value.message_dict) == ["amount"]
    assert not Forecast.objects.exists()


def test_a_second_save_from_the_same_version_meets_the_conflict(april, reporter, stab):
    save(april, stab, reporter, amount=D("-48634"))
    with pytest.raises(EditConflict) as error:
        save(april, stab, reporter, amount=D("-48000"), comment="Vakanser.")
    assert error.value.current.amount == D("-48634")
    assert save(april, stab, reporter, expected_version=1, amount=D("-48600")).version == 2


def test_a_reporter_forecasts_only_for_their_units(april, reporter, make_user):
    planning = BudgetRow.objects.get(key="sbk-2022-departments-plan")
    with pytest.raises(PermissionDenied):
        save(april, planning, reporter, amount=D("-23714"))
    sara = make_user("sara", reporter="SBK")
    assert save(april, planning, sara, amount=D("-23714")).amount == D("-23714")
    # A row without a department of its own is the office's: KSK's reporters, not stab's.
    director = BudgetRow.objects.get(key="ksk-2022-departments-kommundirektor")
    with pytest.raises(PermissionDenied):
        save(april, director, reporter, amount=D("-5575"))
    assert not Forecast.objects.filter(row=director).exists()


def test_a_closed_round_takes_no_forecast(april, controller, stab):
    close_round(april, actor=controller)
    with pytest.raises(PeriodNotOpen):
        save(april, stab, controller, amount=D("-48634"))


def test_the_carry_over_proposal_is_the_unspent_budget_and_a_controller_decides(
    april, controller, reporter
):
    project = BudgetRow.objects.get(key="ksk-2022-investments-utbyggnad")  # budget 357 100
    save(april, project, controller, amount=D("300000"), comment="Etapp 3 senareläggs.")
    decide = services.decide_carry_over
    with pytest.raises(PermissionDenied):
        decide(april, project, actor=reporter, expected_version=0, decision="approved",
               approved=D("57100"), note="")  # fmt: skip
    with pytest.raises(ValidationError) as error:
        decide(april, project, actor=controller, expected_version=0, decision="approved",
               approved=D("60000"), note="")  # fmt: skip
    assert list(error.value.message_dict) == ["approved"]
    carry_over = decide(april, project, actor=controller, expected_version=0,
                        decision="approved", approved=D("50000"), note="KF § 12")  # fmt: skip
    assert (carry_over.proposed, carry_over.approved, carry_over.amount) == (
        D("57100"),
        D("50000"),
        D("50000"),
    )
    assert CarryOver.objects.get().decision == "approved"
