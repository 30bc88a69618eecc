"""Personas and a follow-up round on the seed plan: Clara is a controller at the board
(KS, so of every office below it), Rasmus a reporter at KSK's staff department (stab and
its units), Erik a reporter at KSK's finance department, Sara a reporter at SBK."""

import pytest

from verksam.followup import services
from verksam.followup.models import ReportingPeriod
from verksam.plans.models import Action, Assignment, Plan
from verksam.testing import board_controller, staff_reporter


@pytest.fixture
def board(db) -> Plan:
    return Plan.objects.get(key="KS-2022")


@pytest.fixture
def controller(db):
    return board_controller()


@pytest.fixture
def reporter(db):
    return staff_reporter()


@pytest.fixture
def other_reporter(make_user):
    return make_user("sara", reporter="SBK")


@pytest.fixture
def periods(board, controller) -> list[ReportingPeriod]:
    return services.create_periods(board, actor=controller)


@pytest.fixture
def april(periods, controller) -> ReportingPeriod:
    """The April interim report, open."""
    period = ReportingPeriod.objects.get(key="KS-2022-t1")
    services.open_period(period, actor=controller)
    return period


@pytest.fixture
def stab_action(db) -> Action:
    """An action of KSK's staff (stab), ending 31 March 2022: late in April unless done."""
    return Action.objects.get(key="ksk-2022-1.2-u3-a1")


@pytest.fixture
def hyres(db) -> Assignment:
    """An assignment of KSK with one action (KSK stab contributes, TKN leads)."""
    return Assignment.objects.get(key="ksk-2022-1.1-u1")
