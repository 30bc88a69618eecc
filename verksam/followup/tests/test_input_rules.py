"""Every entrance of follow-up data applies the input rules (verksam.core.validation): the
reporting forms, the API, the addresses and the commands. Regression tests of issue 10 §2."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pytest_django.asserts import assertContains

from verksam.followup import services
from verksam.followup.models import IndicatorOutcome, StatusReport
from verksam.indicators.models import Indicator

pytestmark = pytest.mark.django_db

PUT = "/api/followup/periods/KS-2022-t1/action/ksk-2022-1.2-u3-a1/status"


def edit_url(kind: str, key: str) -> str:
    return reverse("followup:report_edit", args=["KS-2022-t1", kind, key])


@pytest.fixture
def indicator(db) -> Indicator:
    """An indicator of KSK's staff, so Rasmus reports it."""
    return next(i for i in Indicator.objects.all() if i.unit_ids() and i.plan.key == "KSK-2022")


def test_an_outcome_too_large_for_the_database_is_refused_with_a_message(
    client, april, controller, indicator
):
    client.force_login(controller)
    response = client.post(
        edit_url("indicator", indicator.key), {"version": "0", "raw": "123456789012345"}
    )
    assert response.status_code == 200
    assertContains(response, "får inte plats")
    assert not IndicatorOutcome.objects.filter(indicator=indicator).exists()


def test_a_gender_split_too_large_is_refused(client, april, controller, indicator):
    client.force_login(controller)
    response = client.post(
        edit_url("indicator", indicator.key),
        {"version": "0", "raw": "12", "women": "123456789012345"},
    )
    assert response.status_code == 200
    assert not IndicatorOutcome.objects.filter(indicator=indicator).exists()


def test_the_service_refuses_a_number_that_does_not_fit_whoever_calls_it(
    april, controller, indicator
):
    with pytest.raises(services.ValidationError) as error:
        services.record_outcome(
            april, indicator, actor=controller, expected_version=0, raw="123456789012345 kr"
        )
    assert "raw" in error.value.message_dict


def test_a_nul_in_a_comment_is_refused_with_its_position(client, april, reporter, stab_action):
    client.force_login(reporter)
    response = client.post(
        edit_url("action", stab_action.key),
        {"version": "0", "status": "done", "comment": "Klart\x00nu"},
    )
    assertContains(response, "U+0000")
    assert not StatusReport.objects.filter(action=stab_action).exists()


def test_word_line_and_page_breaks_in_a_pasted_comment_become_line_breaks(
    client, april, reporter, stab_action
):
    client.force_login(reporter)
    client.post(
        edit_url("action", stab_action.key),
        {"version": "0", "status": "done", "comment": "Rad ett\x0bRad två\x0cSida två\r\nSlut"},
    )
    report = StatusReport.objects.get(action=stab_action)
    assert report.comment == "Rad ett\nRad två\nSida två\nSlut"


def test_a_comment_longer_than_the_limit_is_refused(client, april, reporter, stab_action):
    client.force_login(reporter)
    response = client.post(
        edit_url("action", stab_action.key),
        {"version": "0", "status": "done", "comment": "x" * 20_001},
    )
    assert response.status_code == 200
    assert not StatusReport.objects.filter(action=stab_action).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("comment", "NUL\x00"),
        ("comment", "lone \ud800 surrogate"),
        ("cause", "tab\x0bvertical"),
        ("comment", "x" * 20_001),
        ("new_forecast", "two\nlines"),
    ],
)
def test_the_api_refuses_refused_characters_and_long_texts(client, april, reporter, field, value):
    client.force_login(reporter)
    body = {"version": 0, "status": "on_track", field: value}
    response = client.put(PUT, body, content_type="application/json")
    assert response.status_code == 422
    assert any(field in name for name in response.json()["errors"])
    assert not StatusReport.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/followup/periods/KS-2022-t1%00/",
        "/actions/ksk-2022-1.2-u3-a1%00/",
        "/plans/KS-2022%00/",
        "/indicators/h-%3Cscript%3E/",
        "/api/plans/KS-2022%00",
        "/api/budget/KS-2022%00",
        "/api/risks/KS-2022%00",
        "/api/followup/periods/KS-2022-t1%00/status-reports",
    ],
)
def test_a_key_that_breaks_the_key_pattern_in_an_address_is_not_found(client, april, path):
    assert client.get(path).status_code == 404


def test_a_nul_in_an_api_item_key_is_not_found(client, april, reporter):
    client.force_login(reporter)
    body = {"version": 0, "status": "done"}
    path = PUT.replace("a1/status", "a1%00/status")
    assert client.put(path, body, content_type="application/json").status_code == 404


def test_an_api_year_outside_the_range_is_refused(client):
    response = client.get("/api/plans/?year=123456789012345")
    assert response.status_code == 422
    assert "1900–2100" in str(response.json()["errors"])


@pytest.mark.parametrize(
    "args",
    [
        ["carry-over", "--from", "2022", "--to", "40000", "--user", "clara"],
        ["carry-over", "--from", "-5", "--to", "2023", "--user", "clara"],
        ["period", "list", "--year", "99999999999999999999"],
        ["export-plan", "--year", "0"],
        ["report", "plan", "--year", "40000", "--format", "pdf", "-o", "/tmp/x.pdf"],
    ],
)
def test_commands_refuse_a_year_outside_the_range(controller, args):
    with pytest.raises(CommandError, match="1900–2100"):
        call_command(*args)


def test_carry_over_into_a_year_outside_the_range_is_refused(board, controller):
    from verksam.followup import carry_over

    with pytest.raises(services.ValidationError, match="1900–2100"):
        carry_over.carry_over_plan(board, actor=controller, to_year=40000)
