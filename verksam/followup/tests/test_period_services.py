"""Periods: the year's rounds, opening, closing with checks and a frozen snapshot, reopening."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from verksam.followup import services
from verksam.followup.models import ReportingPeriod, Snapshot, StatusReport
from verksam.followup.reporting import CHECK_DEVIATION_WITHOUT_ANALYSIS
from verksam.plans.models import Plan
from verksam.testing import acknowledge_findings

# These tests set up their cases by editing the decided seed directly.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_editable")]


def test_a_year_has_monthly_reports_two_interim_reports_and_an_annual_report(periods):
    kinds = [(p.kind, p.as_of) for p in periods]
    assert ("interim_april", date(2022, 4, 30)) in kinds
    assert ("interim_august", date(2022, 8, 31)) in kinds
    assert ("annual", date(2022, 12, 31)) in kinds
    assert sum(1 for kind, _ in kinds if kind == "monthly") == 7
    assert all((p.deadline - p.as_of).days == 10 for p in periods)
    assert ReportingPeriod.objects.get(key="KS-2022-t1").deadline == date(2022, 5, 10)


def test_creating_the_periods_again_duplicates_nothing(board, controller, periods):
    services.create_periods(board, actor=controller)
    assert ReportingPeriod.objects.filter(plan=board).count() == len(periods) == 10


def test_a_reporter_cannot_create_or_open_periods(board, reporter, periods):
    with pytest.raises(PermissionDenied):
        services.create_periods(board, actor=reporter)
    with pytest.raises(PermissionDenied):
        services.open_period(periods[0], actor=reporter)


def test_periods_belong_to_the_boards_plan_not_a_part(controller):
    with pytest.raises(ValidationError):
        services.create_periods(Plan.objects.get(key="KSK-2022"), actor=controller)


def test_only_one_period_of_a_plan_is_open_at_a_time(april, controller):
    august = ReportingPeriod.objects.get(key="KS-2022-t2")
    with pytest.raises(ValidationError, match="En annan period"):
        services.open_period(august, actor=controller)


def test_opening_can_move_the_deadline_but_not_before_the_as_of_date(periods, controller):
    period = ReportingPeriod.objects.get(key="KS-2022-t1")
    with pytest.raises(ValidationError):
        services.open_period(period, actor=controller, deadline=date(2022, 4, 1))
    services.open_period(period, actor=controller, deadline=date(2022, 5, 16))
    period.refresh_from_db()
    assert (period.status, period.deadline) == ("open", date(2022, 5, 16))


def test_closing_stores_a_snapshot_that_later_edits_cannot_change(
    april, controller, reporter, stab_action
):
    services.submit_status(
        april, stab_action, actor=reporter, expected_version=0, status="done", progress=100
    )
    acknowledge_findings(april, actor=controller)
    snapshot = services.close_period(april, actor=controller)
    april.refresh_from_db()
    assert april.status == "closed"
    frozen = next(i for i in snapshot.data["items"] if i["key"] == stab_action.key)
    assert frozen["report"]["status"] == "done"
    assert frozen["title"] == stab_action.text
    assert all(a["note"] == "Godtas." for a in snapshot.data["acknowledged"])

    stab_action.text = "Changed afterwards"
    stab_action.save()
    StatusReport.objects.filter(action=stab_action).update(status="delayed")
    snapshot.refresh_from_db()
    frozen = next(i for i in snapshot.data["items"] if i["key"] == stab_action.key)
    assert (frozen["title"], frozen["report"]["status"]) != ("Changed afterwards", "delayed")
    with pytest.raises(ValueError, match="cannot be changed"):
        snapshot.save()


def test_a_closed_period_is_read_only(april, controller, reporter, stab_action):
    acknowledge_findings(april, actor=controller)
    services.close_period(april, actor=controller)
    with pytest.raises(services.PeriodNotOpen):
        services.submit_status(
            april, stab_action, actor=reporter, expected_version=0, status="on_track"
        )
    assert not StatusReport.objects.filter(action=stab_action).exists()


def test_closing_is_blocked_by_unacknowledged_findings(april, controller, stab_action):
    with pytest.raises(services.ClosingBlocked) as blocked:
        services.close_period(april, actor=controller)
    assert (CHECK_DEVIATION_WITHOUT_ANALYSIS, stab_action.key) in {
        (f.code, f.subject) for f in blocked.value.findings
    }
    april.refresh_from_db()
    assert april.status == "open"
    assert not Snapshot.objects.exists()


def test_reopening_needs_a_reason_and_keeps_the_old_snapshot(april, controller, reporter):
    acknowledge_findings(april, actor=controller)
    services.close_period(april, actor=controller)
    with pytest.raises(ValidationError):
        services.reopen_period(april, actor=controller, reason="  ")
    with pytest.raises(PermissionDenied):
        services.reopen_period(april, actor=reporter, reason="Fel i rapporten")
    services.reopen_period(april, actor=controller, reason="Fel i rapporten")
    april.refresh_from_db()
    assert (april.status, april.reopen_reason) == ("open", "Fel i rapporten")
    assert april.history.first().history_change_reason == "Fel i rapporten"
    services.close_period(april, actor=controller)
    assert list(april.snapshots.values_list("number", flat=True)) == [1, 2]
