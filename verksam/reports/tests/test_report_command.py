"""`verksam report plan`: the plan as a file, with progress on stderr."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from verksam.organisation.models import OrgUnit
from verksam.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_report_plan_writes_the_file_and_shows_progress(tmp_path: Path) -> None:
    output = tmp_path / "plan.xlsx"
    stderr = io.StringIO()
    call_command(
        "report", "plan", "--year", "2022", "--format", "xlsx", "-o", str(output), stderr=stderr
    )
    book = openpyxl.load_workbook(output)
    assert "Åtgärder" in book.sheetnames
    assert "läser planen" in stderr.getvalue()
    assert f"Skrev {output}" in stderr.getvalue()


def test_report_plan_for_one_office(tmp_path: Path) -> None:
    output = tmp_path / "ksk.pdf"
    call_command(
        "report",
        "plan",
        "--year",
        "2022",
        "--owner",
        "KSK",
        "--format",
        "pdf",
        "-o",
        str(output),
        stderr=io.StringIO(),
    )
    assert output.read_bytes().startswith(b"%PDF")


def test_unknown_owner_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Ingen plan för XYZ år 2022"):
        call_command(
            "report",
            "plan",
            "--year",
            "2022",
            "--owner",
            "XYZ",
            "--format",
            "pdf",
            "-o",
            str(tmp_path / "x.pdf"),
        )


def test_two_board_plans_need_an_owner(tmp_path: Path) -> None:
    board = Plan.objects.get(key="KS-2022")
    Plan.objects.create(
        key="KF-2022",
        owner=OrgUnit.objects.get(children=board.owner),
        year=2022,
        title="KF",
        horizon_start=2022,
        horizon_end=2024,
    )
    with pytest.raises(CommandError, match="Ange --owner: år 2022 har planer för"):
        call_command(
            "report", "plan", "--year", "2022", "--format", "pdf", "-o", str(tmp_path / "x.pdf")
        )


def test_report_without_a_known_report_fails() -> None:
    with pytest.raises(CommandError, match="invalid choice: 'minutes'"):
        call_command("report", "minutes", "--year", "2022")


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("/no/such/dir/x.pdf", "-o /no/such/dir/x.pdf: mappen /no/such/dir finns inte"),
        ("{tmp}", "-o {tmp}: en mapp; ange en fil i den"),
    ],
)
def test_an_output_that_cannot_be_written_is_refused_before_rendering(
    output: str, message: str, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(
        "verksam.reports.management.commands.report.plan_report",
        lambda *args, **kwargs: pytest.fail("rendered before checking the output"),
    )
    output, message = output.format(tmp=tmp_path), message.format(tmp=tmp_path)
    for report in (["plan"], ["followup"]):
        with pytest.raises(CommandError) as refused:
            call_command(*["report", *report], "--year", "2022", "--format", "pdf", "-o", output)
        assert message in str(refused.value)


def test_a_failed_write_is_a_message(tmp_path: Path, monkeypatch) -> None:
    def full(self: Path, content: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(CommandError, match="kunde inte skriva: No space left on device"):
        call_command(
            "report", "plan", "--year", "2022", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx"),
            stderr=io.StringIO(),
        )  # fmt: skip
