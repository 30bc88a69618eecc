"""Consistency checks before closing, acknowledgements and unit submissions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from verksam.followup import services
from verksam.followup.reporting import (
    CHECK_DEVIATION_WITHOUT_ANALYSIS,
    CHECK_DONE_WITH_OPEN_ACTION,
    CHECK_MET_BUT_MISSES_TARGET,
    CHECK_NEEDS_MANUAL_ASSESSMENT,
    findings,
)
from verksam.indicators.models import Indicator
from verksam.testing import deviation

pytestmark = pytest.mark.django_db


def found(period) -> set[tuple[str, str]]:
    return {(f.code, f.subject) for f in findings(period)}


def test_an_assignment_done_with_an_open_action_is_found(april, controller, hyres):
    services.submit_status(april, hyres, actor=controller, expected_version=0, status="done")
    assert (CHECK_DONE_WITH_OPEN_ACTION, hyres.key) in found(april)
    action = hyres.actions.get()
    services.submit_status(april, action, actor=controller, expected_version=0, status="done")
    assert (CHECK_DONE_WITH_OPEN_ACTION, hyres.key) not in found(april)


def test_an_indicator_assessed_met_whose_outcome_misses_its_target_is_found(april, controller):
    indicator = Indicator.objects.get(key="ksk-2022-1.1-i4")
    outcome = services.record_outcome(
        april, indicator, actor=controller, expected_version=0, raw="2,4 %"
    )
    assert (CHECK_MET_BUT_MISSES_TARGET, indicator.key) not in found(april)
    services.assess_outcome(
        outcome, actor=controller, expected_version=1, attainment="met", motivation="Bra år."
    )
    assert (CHECK_MET_BUT_MISSES_TARGET, indicator.key) in found(april)


def test_a_late_item_without_analysis_is_found_until_it_has_one(april, reporter, stab_action):
    assert (CHECK_DEVIATION_WITHOUT_ANALYSIS, stab_action.key) in found(april)
    services.submit_status(april, stab_action, actor=reporter, expected_version=0, **deviation())
    assert (CHECK_DEVIATION_WITHOUT_ANALYSIS, stab_action.key) not in found(april)


def test_an_acknowledgement_needs_a_note_a_controller_and_a_real_finding(
    april, controller, reporter, stab_action
):
    args = {"code": CHECK_DEVIATION_WITHOUT_ANALYSIS, "subject": stab_action.key}
    with pytest.raises(ValidationError):
        services.acknowledge_finding(april, actor=controller, note="", **args)
    with pytest.raises(PermissionDenied):
        services.acknowledge_finding(april, actor=reporter, note="Ok", **args)
    with pytest.raises(ValidationError):
        services.acknowledge_finding(
            april, actor=controller, code="nothing", subject="x", note="Ok"
        )
    services.acknowledge_finding(april, actor=controller, note="Följs upp i augusti.", **args)
    finding = next(f for f in findings(april) if f.subject == stab_action.key)
    assert finding.acknowledgement.note == "Följs upp i augusti."


def test_a_unit_submits_only_when_everything_it_must_report_is_reported(
    april, make_user, controller
):
    from verksam.followup.reporting import rows_for
    from verksam.organisation.models import OrgUnit

    unit = OrgUnit.objects.get(code="KSK-JURIDIK")
    lawyer = make_user("jonna", reporter="KSK-JURIDIK")
    rows = [r for r in rows_for(april) if r.unit == unit]
    assert rows
    with pytest.raises(ValidationError, match="1 post är inte rapporterad än"):
        services.submit_unit_report(april, unit, actor=lawyer)
    for row in rows:
        if row.kind == "indicator":
            services.record_outcome(april, row.item, actor=lawyer, expected_version=0, raw="1")
        else:
            services.submit_status(april, row.item, actor=lawyer, expected_version=0, **deviation())
    with pytest.raises(PermissionDenied):
        services.submit_unit_report(april, unit, actor=make_user("sara", reporter="SBK"))
    submission = services.submit_unit_report(april, unit, actor=lawyer)
    assert (submission.unit, submission.submitted_by) == (unit, lawyer)


def test_an_outcome_the_rule_cannot_assess_is_found_until_assessed_by_hand(april, controller):
    indicator = Indicator.objects.get(key="tsk-2022-5.2-i1")  # target "Minskat"
    outcome = services.record_outcome(
        april, indicator, actor=controller, expected_version=0, raw="Minskat"
    )
    assert (CHECK_NEEDS_MANUAL_ASSESSMENT, indicator.key) in found(april)
    services.assess_outcome(
        outcome, actor=controller, expected_version=1, attainment="met", motivation="Färre fall."
    )
    assert (CHECK_NEEDS_MANUAL_ASSESSMENT, indicator.key) not in found(april)


# A refused submission: 1 the round's status (locked), 2 units and 3 memberships for the
# reporter's role scopes; then per kind the unit's items not reported counted and, for the
# first kind with any, the first of them by title: 4 the assignments (none), 5–6 the actions,
# 7 the indicators (only counted).
REFUSED_SUBMISSION_QUERIES = 7


def test_a_refused_submission_names_the_first_missing_item_with_the_same_queries_at_ten_times(
    april, make_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from verksam.followup.reporting import rows_for
    from verksam.organisation.models import OrgUnit
    from verksam.testing import multiply_seed

    unit = OrgUnit.objects.get(code="KSK-STAB")
    reporter = make_user("rasmus", reporter="KSK-STAB")

    def refused() -> tuple[str, int]:
        actor = type(reporter).objects.get(pk=reporter.pk)  # its role scopes not read yet
        with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as error:
            services.submit_unit_report(april, unit, actor=actor)
        control = ("SAVEPOINT", "RELEASE", "ROLLBACK")
        return error.value.messages[0], len(
            [q for q in queries if not q["sql"].startswith(control)]
        )

    for factor in (1, 10):
        if factor == 10:
            multiply_seed(10)
        missing = [r for r in rows_for(april) if r.unit == unit and not r.is_reported]
        message, queries = refused()
        first = missing[0].label
        assert message == f"{len(missing)} poster är inte rapporterade än, t.ex. {first}."
        assert queries == REFUSED_SUBMISSION_QUERIES
