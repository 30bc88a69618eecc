"""The follow-up API: periods, status reports, submitting with permission and version."""

import pytest

from verksam.followup import services

pytestmark = pytest.mark.django_db

PUT = "/api/followup/periods/KS-2022-t1/action/ksk-2022-1.2-u3-a1/status"


def test_anonymous_clients_list_only_closed_periods(client, april):
    assert client.get("/api/followup/periods").json() == []


def test_a_logged_in_user_lists_periods_and_reports(client, april, reporter, stab_action):
    services.submit_status(april, stab_action, actor=reporter, expected_version=0, status="done")
    client.force_login(reporter)
    periods = client.get("/api/followup/periods?year=2022").json()
    assert ("KS-2022-t1", "open") in {(p["id"], p["status"]) for p in periods}
    reports = client.get("/api/followup/periods/KS-2022-t1/status-reports").json()
    assert [(r["item"], r["status"], r["late"]) for r in reports] == [
        (stab_action.key, "done", False)
    ]


def test_submitting_a_status_checks_permission_validation_and_version(
    client, april, reporter, other_reporter
):
    client.force_login(other_reporter)
    body = {"version": 0, "status": "on_track"}
    assert client.put(PUT, body, content_type="application/json").status_code == 403
    client.force_login(reporter)
    bad = client.put(PUT, {"version": 0, "status": "delayed"}, content_type="application/json")
    assert bad.status_code == 422
    assert "cause" in bad.json()["errors"]
    ok = client.put(PUT, body, content_type="application/json")
    assert (ok.status_code, ok.json()["version"]) == (200, 1)
    stale = client.put(PUT, {"version": 0, "status": "done"}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["current"]["status"] == "on_track"


def test_submitting_needs_a_login(client, april):
    response = client.put(PUT, {"version": 0, "status": "done"}, content_type="application/json")
    assert response.status_code == 401
