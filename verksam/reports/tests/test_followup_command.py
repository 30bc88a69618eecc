"""`verksam report followup`: a follow-up round as a file, with progress on stderr, and a
clear error for an unknown period, a period of another year or a year without rounds."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from docx import Document

from verksam.followup.examples import load_example_round
from verksam.followup.models import ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def april() -> ReportingPeriod:
    return load_example_round(settings.DEMO_FOLLOWUP_FILE).period


def report(*args: str) -> str:
    stderr = io.StringIO()
    call_command("report", "followup", *args, stderr=stderr)
    return stderr.getvalue()


def test_report_followup_writes_the_open_round_and_shows_progress(april, tmp_path: Path) -> None:
    output = tmp_path / "april.xlsx"
    log = report("--year", "2022", "--format", "xlsx", "-o", str(output))
    assert "Statusrapporter" in openpyxl.load_workbook(output).sheetnames
    assert "KS-2022-t1, öppen" in log
    assert "läser perioden" in log
    assert f"Skrev {output}" in log


def test_report_followup_for_one_office_and_period(april, tmp_path: Path) -> None:
    output = tmp_path / "tsk.docx"
    report(
        "--year", "2022", "--period", "KS-2022-t1", "--owner", "tsk",
        "--format", "docx", "-o", str(output),
    )  # fmt: skip
    headings = [
        p.text
        for p in Document(str(output)).paragraphs
        if p.style is not None and p.style.name == "Heading 2"
    ]
    assert any(h.startswith("TSK ") for h in headings)
    assert not any(h.startswith("KSK ") for h in headings)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2022", "--period", "KS-2022-x9"], "Ingen period KS-2022-x9"),
        (["--year", "2023", "--period", "KS-2022-t1"], "hör till år 2022, inte 2023"),
        (["--year", "2021"], "Ingen öppen eller stängd period år 2021"),
        (["--year", "2022", "--owner", "XYZ"], "XYZ har ingen plan i KS-2022"),
    ],
)
def test_report_followup_explains_what_is_wrong(
    april, tmp_path: Path, args: list[str], message: str
) -> None:
    output = tmp_path / "out.pdf"
    with pytest.raises(CommandError, match=message):
        report(*args, "--format", "pdf", "-o", str(output))
    assert not output.exists()


def test_year_without_open_or_closed_rounds_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Ingen öppen eller stängd period år 2022"):
        report("--year", "2022", "--format", "pdf", "-o", str(tmp_path / "out.pdf"))
