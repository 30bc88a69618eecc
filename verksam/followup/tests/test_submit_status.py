"""submit_status: validation in Swedish, permissions by unit, optimistic locking, history."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, transaction
from django.utils import translation

from verksam.followup import services
from verksam.followup.models import ReportingPeriod, StatusReport
from verksam.testing import deviation

pytestmark = pytest.mark.django_db


def test_a_reporter_reports_the_status_of_an_action_of_their_unit(april, reporter, stab_action):
    report = services.submit_status(
        april, stab_action, actor=reporter, expected_version=0, status="on_track", progress=40
    )
    assert (report.status, report.progress, report.version, report.author) == (
        "on_track",
        40,
        1,
        reporter,
    )


def test_reporter_cannot_report_another_units_action(april, other_reporter, stab_action):
    with pytest.raises(PermissionDenied):
        services.submit_status(
            april, stab_action, actor=other_reporter, expected_version=0, status="done"
        )
    assert not StatusReport.objects.exists()


def test_a_deviation_needs_cause_remedy_and_a_new_forecast_in_swedish(april, reporter, stab_action):
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        services.submit_status(
            april, stab_action, actor=reporter, expected_version=0, status="delayed"
        )
    assert error.value.message_dict == {
        "cause": ["Beskriv orsaken till avvikelsen."],
        "remedy": ["Beskriv vad som görs åt avvikelsen."],
        "new_forecast": ["Ange en ny prognos eller ett nytt slutdatum."],
    }
    assert not StatusReport.objects.exists()


def test_progress_is_a_percentage_and_done_means_100(april, reporter, stab_action):
    for fields in ({"status": "on_track", "progress": 120}, {"status": "done", "progress": 60}):
        with pytest.raises(ValidationError) as error:
            services.submit_status(april, stab_action, actor=reporter, expected_version=0, **fields)
        assert "progress" in error.value.message_dict


def test_the_second_of_two_people_saving_the_same_report_gets_a_conflict_with_the_first_version(
    april, reporter, controller, stab_action
):
    services.submit_status(
        april, stab_action, actor=reporter, expected_version=0, status="on_track"
    )
    services.submit_status(april, stab_action, actor=controller, expected_version=1, **deviation())
    with pytest.raises(services.EditConflict) as conflict:
        services.submit_status(
            april, stab_action, actor=reporter, expected_version=1, status="done"
        )
    assert conflict.value.current.status == "delayed"
    assert conflict.value.current.author == controller
    report = StatusReport.objects.get(action=stab_action)
    assert (report.status, report.version) == ("delayed", 2)


def test_two_people_creating_the_same_report_the_second_gets_a_conflict(
    april, reporter, controller, stab_action
):
    services.submit_status(april, stab_action, actor=reporter, expected_version=0, status="done")
    with pytest.raises(services.EditConflict) as conflict:
        services.submit_status(
            april, stab_action, actor=controller, expected_version=0, status="on_track"
        )
    assert conflict.value.current.status == "done"


def test_every_change_is_in_the_reports_history_with_who_and_what(
    april, reporter, controller, stab_action
):
    services.submit_status(
        april, stab_action, actor=reporter, expected_version=0, status="on_track"
    )
    services.submit_status(april, stab_action, actor=controller, expected_version=1, **deviation())
    report = StatusReport.objects.get(action=stab_action)
    newest, oldest = report.history.all()[:2]
    assert (oldest.status, newest.status) == ("on_track", "delayed")
    diff = newest.diff_against(oldest)
    assert {"status", "cause", "remedy"} <= set(diff.changed_fields)


def test_assignments_are_reported_by_their_offices_reporters(april, make_user, hyres, reporter):
    office = make_user("olle", reporter="KSK")
    services.submit_status(april, hyres, actor=office, expected_version=0, status="on_track")
    with pytest.raises(PermissionDenied):
        services.submit_status(april, hyres, actor=reporter, expected_version=1, status="done")


def test_a_planned_period_takes_no_reports(periods, reporter, stab_action):
    august = next(p for p in periods if p.key == "KS-2022-t2")
    with pytest.raises(services.PeriodNotOpen):
        services.submit_status(
            august, stab_action, actor=reporter, expected_version=0, status="done"
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite takes no row locks")
@pytest.mark.django_db(transaction=True)
def test_saves_in_a_round_share_its_lock_and_a_close_waits_for_them(april):
    """While a save holds the round's row (until it commits), another save in the round
    takes it too, but closing the round cannot: it waits (here: gives up after its lock
    timeout), so a report is never written into a round closed meanwhile."""
    took: dict[bool, bool] = {}

    def other(closing: bool) -> None:
        period = ReportingPeriod.objects.get(pk=april.pk)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '200ms'")
                services.require_open(period, closing=closing)
            took[closing] = True
        except OperationalError:
            took[closing] = False
        finally:
            connection.close()

    with transaction.atomic():
        services.require_open(april)
        for closing in (False, True):
            thread = threading.Thread(target=other, args=(closing,))
            thread.start()
            thread.join()
    assert took == {False: True, True: False}
