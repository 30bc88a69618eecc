"""load-plan: validation before writing, idempotency, updates by stable id, the seed's size."""

import json
import shutil
import sys
from pathlib import Path
from unittest import mock

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from verksam.__main__ import command_language, main
from verksam.imports.export import export_plan
from verksam.imports.services import load_plan
from verksam.imports.sources import DataError
from verksam.indicators.models import Indicator, IndicatorValue
from verksam.plans.models import Action, Assignment, CarriedOverAssignment, Plan
from verksam.testing import multiply_seed, run_verksam

# These tests set up their cases by editing the decided seed directly.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_editable")]

SEED = settings.DEMO_PLAN_DIR


def snapshot() -> dict[str, list]:
    """Everything a load could change, for comparing before and after."""
    return {
        "plans": list(Plan.objects.values().order_by("key")),
        "assignments": list(Assignment.objects.values().order_by("key")),
        "actions": list(Action.objects.values().order_by("key")),
        "indicators": list(Indicator.objects.values().order_by("key")),
        "values": list(IndicatorValue.objects.values().order_by("id")),
    }


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(SEED, folder)
    return folder


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


# The seed, counted by hand in shared/seed (see docs/data-format.md for what counts as what).
SEED_COUNTS = {
    # plan: (assignments, actions, indicators)
    "KS-2022": (0, 0, 3),
    "KSK-2022": (34, 34, 28),
    "SBK-2022": (18, 24, 4),
    "TSK-2022": (13, 43, 25),
}


@pytest.mark.parametrize(("plan", "counts"), SEED_COUNTS.items())
def test_the_seed_has_every_assignment_action_and_indicator_of_each_office(plan, counts):
    assert (
        Assignment.objects.filter(plan__key=plan).count(),
        Action.objects.filter(plan__key=plan).count(),
        Indicator.objects.filter(plan__key=plan).count(),
    ) == counts


def test_the_seed_has_all_23_rows_of_bilaga_1():
    assert CarriedOverAssignment.objects.filter(plan__key="KS-2022").count() == 23


def test_seed_values_keep_the_printed_text_and_their_number():
    value = IndicatorValue.objects.get(
        indicator__name="Låneskuld (i kommun), kr per invånare", label="Prognos 2021"
    )
    assert value.raw == "7 191"
    assert value.number == 7191
    assert value.display() == "7\u00a0191"


def test_seed_keeps_messy_dates_raw_next_to_their_normalised_form():
    action = Action.objects.get(key="ksk-2022-1.2-u2-a1")
    assert action.end_raw == "2202-12-31"
    assert action.end_date.year == 2202
    ongoing = Action.objects.get(key="ksk-2022-1.2-u1-a1")
    assert (ongoing.start_raw, ongoing.start_precision) == ("Pågår", "ongoing")


def test_an_action_keeps_several_responsible_units_with_their_roles():
    action = Action.objects.get(key="ksk-2022-1.1-u1-a1")
    roles = {(r.unit.code, r.role) for r in action.responsibilities.select_related("unit")}
    assert roles == {("KSK-STAB", "contributing"), ("TKN", "lead")}


def test_loading_the_seed_again_changes_nothing():
    before = snapshot()
    result = load_plan([SEED])
    assert not result.changed
    assert sum(result.unchanged.values()) > 300
    assert snapshot() == before


def reload_queries(folder: Path) -> int:
    """The queries of loading the 2022 plans' export a second time (the first may renumber
    positions: the export lists each kind as one list, the seed per file)."""
    path = folder / "plan.json"
    path.write_text(json.dumps(export_plan(year=2022), ensure_ascii=False), encoding="utf-8")
    load_plan([path])
    with CaptureQueriesContext(connection) as queries:
        result = load_plan([path])
    assert not result.changed
    return len(queries)


def test_a_reload_that_changes_nothing_runs_the_same_queries_whatever_the_size(tmp_path):
    # The checks: per kind, the keys (and plans) of the items loaded and of those the files
    # refer to (34 queries). The writer: per kind, its rows by id (17: units, strategies,
    # focus areas, plans, goal areas, objectives, sections, governing documents, assignments,
    # actions, indicators, carried-over assignments, budget tables and rows, risk analyses,
    # risks, control areas; the seed has no control points); per relation, its links or
    # child rows (9: assignments' objectives and focus areas, actions' focus areas and units,
    # indicators' units and values, budget columns, cells, columns by year); the plans'
    # stored statuses (1: a decided plan is read-only); the savepoint and its release (2).
    # 63 at 1× and at 3×: none per item.
    seed = reload_queries(tmp_path)
    multiply_seed(3)
    assert Action.objects.count() == 3 * 101
    assert (seed, reload_queries(tmp_path)) == (63, 63)


def test_the_seed_anomalies_are_reported_with_file_item_and_field():
    messages = [str(p) for p in load_plan([SEED]).anomalies]
    assert any(
        "ksk.yaml" in m and "ksk-2022-1.2-u2-a1" in m and "«end»" in m and "2202" in m
        for m in messages
    )
    assert any("ksk-2022-1.1-i3" in m and "inga värden" in m for m in messages)
    assert not any("Pågår" in m or "saknar år" in m for m in messages)


def test_an_edited_item_is_updated_in_place_by_its_id(seed_copy):
    pk = Action.objects.get(key="sbk-2022-1.2-u1-a1").pk

    def change(data):
        action = next(a for a in data["actions"] if a["id"] == "sbk-2022-1.2-u1-a1")
        action["text"] = "Ny text"
        action["end"] = "2022-11"

    edit(seed_copy / "sbk.yaml", change)
    result = load_plan([seed_copy])
    assert result.updated["actions"] == 1
    action = Action.objects.get(key="sbk-2022-1.2-u1-a1")
    assert (action.pk, action.text, action.end_precision) == (pk, "Ny text", "month")


def test_changed_indicator_values_replace_the_old_ones(seed_copy):
    def change(data):
        indicator = data["indicators"][0]
        indicator["values"] = [{"label": "Mål 2022", "kind": "target", "year": 2022, "raw": "5 %"}]

    edit(seed_copy / "sbk.yaml", change)
    load_plan([seed_copy])
    first = yaml.safe_load((seed_copy / "sbk.yaml").read_text())["indicators"][0]["id"]
    assert list(
        IndicatorValue.objects.filter(indicator__key=first).values_list("raw", "number")
    ) == [("5 %", 5)]


def test_one_office_file_loads_alone_against_the_plan_already_loaded():
    result = load_plan([SEED / "sbk.yaml"])
    assert not result.changed


BAD_FILES = {
    "unknown_reference": (
        lambda d: d["actions"][0].update(assignment="sbk-2022-9.9-u1"),
        ["actions «sbk-2022-1.2-u1-a1»", "«assignment»", "okänd referens", "sbk-2022-9.9-u1"],
    ),
    "duplicate_id": (
        lambda d: d["actions"].append(dict(d["actions"][0])),
        ["dubblett", "sbk-2022-1.2-u1-a1"],
    ),
    "wrong_type": (
        lambda d: d["indicators"][0]["values"][0].update(year="tjugotjugotvå"),
        ["«values.0.year»", "valid integer"],
    ),
    "unknown_enum": (
        lambda d: d["assignments"][0].update(kind="wish"),
        ["«kind»", "council"],
    ),
    "missing_field": (
        lambda d: d["actions"][0].pop("text"),
        ["«text»", "Field required"],
    ),
    "unknown_field": (
        lambda d: d["actions"][0].update(colour="red"),
        ["«colour»", "Extra inputs"],
    ),
    "objective_outside_goal_area": (
        lambda d: d["actions"][0].update(objective="2022-7.1"),
        ["«objective»", "hör inte till målområdet"],
    ),
    "too_long_for_its_column": (
        lambda d: d["indicators"][0].update(unit="procent" * 10),
        ["«unit»", "för lång: 70 tecken, högst 40"],
    ),
    "unknown_kind": (
        lambda d: d.update(budgets=[]),
        ["budgets", "okänd typ"],
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_stops_the_load_with_a_located_message_and_changes_nothing(seed_copy, case):
    change, expected = BAD_FILES[case]

    def change_and_touch(data):
        data["actions"][1]["text"] = "Denna ändring får inte sparas"
        change(data)

    edit(seed_copy / "sbk.yaml", change_and_touch)
    before = snapshot()
    with pytest.raises(DataError) as error:
        load_plan([seed_copy])
    message = str(error.value)
    assert "sbk.yaml" in message
    for part in expected:
        assert part in message
    assert snapshot() == before


def test_a_focus_area_id_used_twice_is_refused(seed_copy):
    def change(data):
        data["strategies"][1]["focus_areas"][0]["id"] = "tss-fo1"

    edit(seed_copy / "plan.yaml", change)
    with pytest.raises(DataError, match=r"strategies «hp», fält «focus_areas».*«tss-fo1»"):
        load_plan([seed_copy])


def test_unreadable_yaml_is_reported_with_its_line(seed_copy):
    (seed_copy / "sbk.yaml").write_text(
        "actions:\n  - id: x\n    text: [unclosed\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"sbk\.yaml:4: ogiltig YAML: while parsing"):
        load_plan([seed_copy])


def test_a_missing_path_is_reported(tmp_path):
    with pytest.raises(DataError, match="kan inte läsas"):
        load_plan([tmp_path / "finns-inte.yaml"])


def test_a_failed_write_rolls_back_everything(seed_copy, monkeypatch):
    """Should the database refuse a row after validation, nothing is half-written."""
    from verksam.imports import services

    def change(data):
        data["actions"][0]["text"] = "Ändrad före felet"

    edit(seed_copy / "sbk.yaml", change)
    before = snapshot()
    monkeypatch.setattr(services.Writer, "write_indicators", lambda self: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        load_plan([seed_copy])
    assert snapshot() == before


def test_the_command_prints_errors_and_fails(seed_copy, capsys):
    edit(seed_copy / "sbk.yaml", lambda d: d["actions"][0].update(plan="XYZ-2022"))
    with pytest.raises(CommandError, match="inget har sparats"):
        call_command("load-plan", str(seed_copy))
    assert "okänd referens: plans «XYZ-2022»" in capsys.readouterr().err


def test_the_command_reports_what_it_did(capsys):
    call_command("load-plan", str(SEED), "--quiet-anomalies")
    out = capsys.readouterr().out
    assert "actions: 0 nya, 0 ändrade, 101 oförändrade" in out
    assert "inget ändrat" in out


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ({}, "sv"),
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8", "LANGUAGE": "en_US:sv"}, "en"),
        ({"LC_ALL": "de_DE.UTF-8"}, "sv"),
    ],
)
def test_commands_speak_the_language_the_locale_asks_for(locale, language):
    assert command_language(locale) == language


def test_the_command_speaks_english_when_the_locale_asks_for_it(tmp_path):
    """The installed command as a person runs it (the language is chosen as it starts)."""
    result = run_verksam(
        "load-plan", str(tmp_path), env={"VERKSAM_ENV": "development", "LANG": "en_GB.UTF-8"}
    )
    assert result.returncode == 1
    assert f"{tmp_path}: no data files" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_command_speaks_swedish_unless_the_locale_asks_for_english(
    tmp_path, monkeypatch, capsys
):
    """The same start (`verksam.__main__.main`) in this process, without a locale: Django is
    set up already (the subprocess above sets it up), and the test's database stays open."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "argv", ["verksam", "load-plan", str(tmp_path)])
    with (
        translation.override(translation.get_language()),
        mock.patch("django.setup"),
        mock.patch.object(connections, "close_all"),
        pytest.raises(SystemExit) as exit_,
    ):
        main()
    assert exit_.value.code == 1
    stderr = capsys.readouterr().err
    assert f"{tmp_path}: inga datafiler" in stderr
    assert "Traceback" not in stderr
