"""`verksam period …`: the April round from the command line."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from verksam.followup import reporting
from verksam.followup.models import ReportingPeriod
from verksam.testing import acknowledge_findings

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("period", *args, stdout=out)
    return out.getvalue()


def test_create_open_check_close_and_reproduce_a_round(controller, stab_action):
    assert "KS-2022-t1" in run("create", "KS-2022", "--user", "clara")
    assert "KS-2022-t1 är öppen, sista dag 2022-05-16." in run(
        "open", "KS-2022-t1", "--deadline", "2022-05-16", "--user", "clara"
    )
    assert "KSK-STRATEGISK-ANALYS" in run("board", "KS-2022-t1")
    checks = run("checks", "KS-2022-t1")
    assert f"deviation_without_analysis {stab_action.key}" in checks
    assert "[öppen]" in checks
    assert "olösta avvikelser." in checks
    with pytest.raises(CommandError, match="åtgärdas eller godtas"):
        run("close", "KS-2022-t1", "--user", "clara")
    period = ReportingPeriod.objects.get(key="KS-2022-t1")
    first = reporting.findings(period)[0]
    assert f"{first.code} {first.subject}: godtagen." in run(
        "acknowledge",
        "KS-2022-t1",
        "--check",
        first.code,
        "--item",
        first.subject,
        "--note",
        "Följs upp i augusti.",
        "--user",
        "clara",
    )
    acknowledge_findings(period, actor=controller, note="Ok.")  # the rest
    assert "KS-2022-t1 är stängd; ögonblicksbild 1 sparad." in run(
        "close", "KS-2022-t1", "--user", "clara"
    )
    frozen = json.loads(run("snapshot", "KS-2022-t1"))
    assert frozen["period"]["key"] == "KS-2022-t1"
    assert any(item["key"] == stab_action.key for item in frozen["items"])
    assert "KS-2022-t1 är öppen igen." in run(
        "reopen", "KS-2022-t1", "--reason", "Rättelse", "--user", "clara"
    )


def test_a_reporter_cannot_open_a_round(periods, reporter):
    with pytest.raises(CommandError):
        run("open", "KS-2022-t1", "--user", "rasmus")
    assert ReportingPeriod.objects.get(key="KS-2022-t1").status == "planned"


def test_the_command_speaks_english_when_asked(periods, controller, english):
    listing = run("list", "--year", "2022")
    assert "KS-2022-t1       2022-04-30 deadline" in listing
    assert "planned" in listing  # the status as its key, for scripts
    run("open", "KS-2022-t1", "--user", "clara")
    board = run("board", "KS-2022-t1")
    assert " missing " in board
    assert "overdue" in board or "submitted" in board
    assert "unresolved finding" in run("checks", "KS-2022-t1")
    with pytest.raises(CommandError, match="No reporting period KS-1999-t1"):
        run("board", "KS-1999-t1")
