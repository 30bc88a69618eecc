"""export-plan: the documented JSON, stable, and a lossless round trip through load-plan."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from verksam.imports.export import export_plan
from verksam.imports.services import load_plan
from verksam.plans.models import (
    Action,
)
from verksam.testing import empty_database

pytestmark = pytest.mark.django_db

TOP_LEVEL = [
    "format",
    "version",
    "org_units",
    "strategies",
    "plans",
    "goal_areas",
    "objectives",
    "sections",
    "governing_documents",
    "assignments",
    "actions",
    "indicators",
    "carried_over",
    "budget_tables",
    "economy",
    "risk_analyses",
    "internal_control_areas",
]


def test_the_export_has_one_array_per_kind_with_stable_ids():
    data = export_plan(year=2022)
    assert list(data) == TOP_LEVEL
    assert (data["format"], data["version"]) == ("verksam-plan", 1)
    assert len(data["assignments"]) == 65
    assert len(data["actions"]) == 101
    assert len(data["indicators"]) == 60
    assert len(data["carried_over"]) == 23
    action = next(a for a in data["actions"] if a["id"] == "ksk-2022-1.1-u1-a1")
    assert action["plan"] == "KSK-2022"
    assert action["assignment"] == "ksk-2022-1.1-u1"
    assert action["start"] == "Påbörjat 2021"
    assert action["normalised"]["start"] == {"date": "2021-01-01", "precision": "year"}


def test_indicator_values_carry_year_kind_text_and_number():
    data = export_plan(year=2022)
    debt = next(i for i in data["indicators"] if i["name"].startswith("Låneskuld (i kommun)"))
    forecast = next(v for v in debt["values"] if v["label"] == "Prognos 2021")
    assert forecast["kind"] == "forecast"
    assert forecast["year"] == 2021
    assert forecast["raw"] == "7 191"
    assert forecast["normalised"]["number"] == "7191"


def test_export_load_into_an_empty_database_export_is_identical(tmp_path: Path):
    """The JSON backup of docs/operations.md, with its commands: export, restore into an
    empty database, export again: the same bytes."""
    backup, again = tmp_path / "plan-2022.json", tmp_path / "again.json"
    call_command("export-plan", "--year", "2022", "-o", str(backup), stderr=io.StringIO())
    empty_database()
    assert not Action.objects.exists()
    loaded = io.StringIO()
    call_command("load-plan", str(backup), stdout=loaded)
    assert "actions: 101 nya" in loaded.getvalue()
    call_command("export-plan", "--year", "2022", "-o", str(again), stderr=io.StringIO())
    assert again.read_bytes() == backup.read_bytes()


def test_an_owner_export_holds_that_office_and_what_it_refers_to(tmp_path: Path):
    data = export_plan(year=2022, owner="SBK")
    assert [p["id"] for p in data["plans"]] == ["KS-2022", "SBK-2022"]
    assert {a["plan"] for a in data["assignments"]} == {"SBK-2022"}
    assert len(data["actions"]) == 24
    assert len(data["goal_areas"]) == 7
    path = tmp_path / "sbk.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    empty_database()
    load_plan([path])
    assert export_plan(year=2022, owner="SBK") == data


def test_the_export_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    # 1 the year's plans, 2 units, 3 strategies, 4 focus areas, 5 goal areas, 6 objectives,
    # 7 sections, 8 governing documents, 9 assignments, 10 their objectives, 11 their focus
    # areas, 12 actions, 13 their units, 14 their focus areas, 15 indicators, 16 their units,
    # 17 their values, 18 carried-over assignments, 19-22 budget tables, columns, rows, cells,
    # 23-24 the rounds' outcomes and forecasts, 25-28 risk analyses, risks, internal-control
    # areas, points.
    with django_assert_max_num_queries(28):
        export_plan(year=2022)


def test_the_command_writes_json_to_a_file(tmp_path: Path):
    out = tmp_path / "ksk.json"
    call_command(
        "export-plan", "--year", "2022", "--owner", "KSK", "--format", "json", "-o", str(out)
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {a["plan"] for a in data["actions"]} == {"KSK-2022"}


def test_the_command_says_when_there_is_no_such_plan():
    with pytest.raises(CommandError, match="Ingen plan för XYZ år 2022"):
        call_command("export-plan", "--year", "2022", "--owner", "XYZ")
    with pytest.raises(CommandError, match="Ingen plan för år 1999"):
        call_command("export-plan", "--year", "1999")


def test_the_command_refuses_an_output_it_cannot_write_before_exporting(
    tmp_path: Path, monkeypatch
):
    monkeypatch.setattr(
        "verksam.imports.management.commands.export-plan.export_plan",
        lambda **kwargs: pytest.fail("exported before checking the output"),
        raising=True,
    )
    with pytest.raises(CommandError, match="mappen /no/such/dir finns inte"):
        call_command("export-plan", "--year", "2022", "-o", "/no/such/dir/plan.json")
    with pytest.raises(CommandError, match="en mapp; ange en fil i den"):
        call_command("export-plan", "--year", "2022", "-o", str(tmp_path))
