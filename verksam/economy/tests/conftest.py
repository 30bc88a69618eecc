"""A round with an outcome mapping on the seed plan: Clara controls the board (KS), Rasmus
reports for KSK's staff (stab), Sara for SBK. The mapping is the demo's
(data/examples/outcome-mapping-2022.csv): cost centres 1xx KSK, 2xx SBK, 3xx TSK; 125 is
the staff, 210 SBK's planning department; projects 9001… KSK's investments."""

from pathlib import Path

import pytest
from django.conf import settings

from verksam.economy import services
from verksam.followup import services as followup_services
from verksam.followup.models import ReportingPeriod
from verksam.plans.models import Plan
from verksam.testing import board_controller, staff_reporter

MAPPING = Path(settings.DEMO_FOLLOWUP_FILE).parent / "outcome-mapping-2022.csv"


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
def april(board, controller) -> ReportingPeriod:
    """The April interim report (as of 30 April 2022), open, with the demo's mapping."""
    followup_services.create_periods(board, actor=controller)
    period = ReportingPeriod.objects.get(key="KS-2022-t1")
    followup_services.open_period(period, actor=controller)
    services.load_mapping(board, MAPPING.name, MAPPING.read_bytes(), actor=controller)
    return period


@pytest.fixture
def sie():
    """`sie(*lines)`: a SIE 4 file of the seed's year (see `sie_file`)."""
    return sie_file


def sie_file(*lines: str, rar: str = "#RAR 0 20220101 20221231") -> bytes:
    """A SIE 4 file in code page 437 with the header, the year(s), accounts and objects the
    tests use, then `lines`."""
    head = [
        "#FLAGGA 0",
        '#PROGRAM "Testekonomi" 1.0',
        "#FORMAT PC8",
        "#SIETYP 4",
        '#FNAMN "Norrtälje kommun"',
        rar,
        '#KONTO 3010 "Försäljning"',
        '#KONTO 4010 "Inköp"',
        '#KONTO 5010 "Lokalhyra"',
        '#KONTO 7810 "Avskrivningar"',
        '#KONTO 1210 "Pågående nyanläggningar"',
        '#KONTO 1930 "Bank"',
        '#DIM 1 "Ansvar"',
        '#DIM 6 "Projekt"',
        '#OBJEKT 1 "125" "Stab"',
        '#OBJEKT 1 "210" "Planavdelning"',
        '#OBJEKT 6 "9001" "Nya utbyggnadsområden"',
    ]
    return ("\r\n".join(head + list(lines)) + "\r\n").encode("cp437")
