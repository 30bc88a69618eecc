"""record_outcome and assess_outcome: values, gender split, conflicts, manual assessment."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from verksam.followup import services
from verksam.followup.models import IndicatorOutcome
from verksam.followup.reporting import outcome_assessment
from verksam.indicators.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def result_indicator(db) -> Indicator:
    """Årets resultat som andel av skatt (KSK ekonomi), target 3,0 % in 2022."""
    return Indicator.objects.get(key="ksk-2022-1.1-i4")


@pytest.fixture
def finance(make_user):
    return make_user("erik", reporter="KSK-EKONOMI")


def test_an_outcome_is_read_as_a_number_with_its_gender_split(april, finance, result_indicator):
    outcome = services.record_outcome(
        april,
        result_indicator,
        actor=finance,
        expected_version=0,
        raw="2,4 %",
        women=Decimal("2.1"),
        men=Decimal("2.6"),
        source="Delårsbokslut",
    )
    assert (outcome.number, outcome.text, outcome.display()) == (Decimal("2.4"), "", "2,4 %")
    assert outcome.is_split_by_gender
    assessment = outcome_assessment(result_indicator, outcome, 2022)
    assert assessment.attainment == "not_met"


def test_a_qualitative_outcome_is_kept_as_text(april, make_user):
    indicator = Indicator.objects.get(key="tsk-2022-5.2-i1")
    tsk = make_user("tove", reporter="TSK")
    outcome = services.record_outcome(
        april, indicator, actor=tsk, expected_version=0, raw="Minskat jämfört med 2021"
    )
    assert (outcome.number, outcome.text) == (None, "Minskat jämfört med 2021")


def test_an_empty_outcome_is_refused(april, finance, result_indicator):
    with pytest.raises(ValidationError):
        services.record_outcome(april, result_indicator, actor=finance, expected_version=0, raw=" ")
    assert not IndicatorOutcome.objects.exists()


def test_a_stale_outcome_edit_gets_a_conflict(april, finance, controller, result_indicator):
    services.record_outcome(april, result_indicator, actor=finance, expected_version=0, raw="2,4 %")
    services.record_outcome(
        april, result_indicator, actor=controller, expected_version=1, raw="2,6 %"
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.record_outcome(
            april, result_indicator, actor=finance, expected_version=1, raw="3,1 %"
        )
    assert conflict.value.current.raw == "2,6 %"


def test_a_manual_assessment_needs_a_controller_and_a_motivation(
    april, finance, controller, result_indicator
):
    outcome = services.record_outcome(
        april, result_indicator, actor=finance, expected_version=0, raw="2,4 %"
    )
    with pytest.raises(PermissionDenied):
        services.assess_outcome(
            outcome, actor=finance, expected_version=1, attainment="met", motivation="x"
        )
    with pytest.raises(ValidationError):
        services.assess_outcome(
            outcome, actor=controller, expected_version=1, attainment="partly", motivation=""
        )
    assessed = services.assess_outcome(
        outcome,
        actor=controller,
        expected_version=1,
        attainment="partly",
        motivation="Engångskostnader i april.",
    )
    assessment = outcome_assessment(result_indicator, assessed, 2022)
    assert assessment.attainment == "partly"
    assert "Engångskostnader i april." in assessment.rule
