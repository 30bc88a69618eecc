"""load-plan refuses bad input with a located message, never a traceback, and writes nothing.

Each case changes one file of the seed (or adds one) and loads it against the seed already
in the database: the load stops with a DataError whose message names the file (and the
line, item and field where there is one), and the database is exactly as before.
"""

import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from verksam.budget.models import BudgetCell, BudgetRow
from verksam.imports import services, sources
from verksam.imports.services import load_plan
from verksam.imports.sources import DataError
from verksam.indicators.models import Indicator, IndicatorValue
from verksam.organisation.models import OrgUnit
from verksam.plans.models import Action, Assignment, GoalArea, Plan, PlanSection

# These tests set up their cases by editing the decided seed directly.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_editable")]

SEED = settings.DEMO_PLAN_DIR
MODELS = [
    OrgUnit,
    Plan,
    GoalArea,
    PlanSection,
    Assignment,
    Action,
    Indicator,
    IndicatorValue,
    BudgetRow,
    BudgetCell,
]


def snapshot() -> dict[str, list]:
    """Every row a load could write, for comparing before and after."""
    return {
        model.__name__: list(model._default_manager.values().order_by("pk")) for model in MODELS
    }


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(SEED, folder)
    return folder


def replace(path: Path, old: str, new: str, count: int = 1) -> None:
    """Change the file's text (not through a YAML round trip, so the hostile text stays)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def refused(*paths: Path) -> str:
    """The message of a load that must fail, after checking it changed nothing."""
    before = snapshot()
    with pytest.raises(DataError) as error:
        load_plan(list(paths))
    assert snapshot() == before
    return str(error.value)


# --- Parsing ------------------------------------------------------------------------------


def test_a_key_written_twice_in_yaml_is_refused_at_its_line(seed_copy):
    sbk = seed_copy / "sbk.yaml"
    replace(sbk, "    text: Uppdatera markanvisningspolicyn\n", "    text: A\n    text: B\n")
    line = line_of(sbk, "    text: B")
    message = refused(sbk)
    assert f"sbk.yaml:{line}: ogiltig YAML: nyckeln «text» finns två gånger" in (message)
    assert f"nyckeln «text» finns två gånger, först på rad {line - 1}" in message


def test_a_key_written_twice_in_json_is_refused(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text('{"plans": [], "plans": []}', encoding="utf-8")
    assert "plan.json: ogiltig JSON: nyckeln «plans» finns två gånger" in (refused(path))


def test_an_unquoted_iso_date_loads_as_the_text_it_is(seed_copy):
    sbk = seed_copy / "sbk.yaml"
    replace(sbk, '    end: "2022-06-20"\n', "    end: 2022-09-30\n")
    load_plan([sbk])
    action = Action.objects.get(key="sbk-2022-1.2-u6-a1")
    assert (action.end_raw, str(action.end_date), action.end_precision) == (
        "2022-09-30",
        "2022-09-30",
        "day",
    )


def test_a_number_where_text_is_due_says_how_to_quote_it(seed_copy):
    sbk = seed_copy / "sbk.yaml"
    replace(sbk, 'raw: "11"', "raw: 11")
    message = refused(sbk)
    assert "«values.0.raw»: Input should be a valid string: skriv texten inom citattecken" in (
        message
    )
    assert 'skriv texten inom citattecken, t.ex. "11"' in message


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * sources.MAX_FILE_BYTES)
    monkeypatch.setattr(sources, "_parse", lambda *args: pytest.fail("parsed"))
    message = refused(path)
    assert f"huge.yaml: för stor: {sources.MAX_FILE_BYTES + 2} byte" in message
    assert f"högst {sources.MAX_FILE_BYTES}" in message


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.json", '{"plans": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        ("deep.yaml", "plans: " + "[" * 100_000 + "]" * 100_000),
        (
            "laughs.yaml",
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n"
                for i in range(8)
            ),
        ),
        ("recursive.yaml", "a: &a [*a]\n"),
    ],
)
def test_deep_nesting_and_expanding_aliases_are_refused(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert f"{name}: för djupt nästlad eller för många element" in refused(path)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("nul.yaml", "plans:\n  - id: x\x00\n", "nul.yaml:2: otillåtet tecken U+0000"),
        ("raw.json", '{"plans": [{"id": "a\x01"}]}', "raw.json:1: ogiltig JSON"),
        ("latin1.yaml", "plans: []\n# \xe5", "kan inte läsas"),
    ],
)
def test_unreadable_characters_in_the_file_are_refused_at_their_line(
    tmp_path, name, text, expected
):
    path = tmp_path / name
    path.write_bytes(text.encode("latin-1" if "latin1" in name else "utf-8"))
    assert expected in refused(path)


def test_an_integer_of_thousands_of_digits_is_refused(tmp_path):
    path = tmp_path / "big.json"
    path.write_text('{"plans": [{"id": "a", "year": ' + "9" * 5000 + "}]}", encoding="utf-8")
    assert "big.json: ogiltig JSON: Exceeds the limit" in refused(path)


# --- Values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("escaped", "shown"),
    [("\\0", "U+0000"), ("\\v", "U+000B"), ("\\e", "U+001B"), ("\\x85", "U+0085")],
)
def test_control_characters_in_a_text_are_refused_at_their_field(seed_copy, escaped, shown):
    sbk = seed_copy / "sbk.yaml"
    replace(sbk, "    text: Uppdatera markanvisningspolicyn\n", f'    text: "Upp{escaped}datera"\n')
    line = line_of(sbk, "id: sbk-2022-1.2-u5-a1")
    message = refused(sbk)
    assert f"sbk.yaml:{line}: actions «sbk-2022-1.2-u5-a1», fält «text»:" in message
    assert f"otillåtet tecken {shown} på plats 4" in message


def test_nul_and_a_lone_surrogate_in_json_are_refused(tmp_path):
    path = tmp_path / "plan.json"
    sections = [
        {"id": "s1", "plan": "KS-2022", "kind": "other", "body": "a\u0000b"},
        {"id": "s2", "plan": "KS-2022", "kind": "other", "body": "a\ud800b"},
    ]
    path.write_text(json.dumps({"sections": sections}), encoding="utf-8")
    message = refused(path)
    assert "sections «s1», fält «body»: otillåtet tecken U+0000 på plats 2" in message
    assert "sections «s2», fält «body»: texten innehåller ett ensamt surrogattecken" in message


def test_a_text_longer_than_its_kind_allows_is_refused(seed_copy):
    sbk = seed_copy / "sbk.yaml"
    replace(sbk, "    text: Uppdatera markanvisningspolicyn\n", f"    text: {'x' * 1001}\n")
    assert "«text»: för lång: 1001 tecken, högst 1000" in refused(sbk)


def test_a_line_break_in_a_one_line_field_is_refused(seed_copy):
    sbk = seed_copy / "sbk.yaml"
    replace(sbk, "    start: pågår\n    end: 2022-06-20 (KF)", '    start: "på\\ngår"\n    end: x')
    assert "«start»: ska vara en rad, utan radbrytning" in refused(sbk)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('raw: "11"', 'raw: "123456789012345"', "«values.0»: talet 123456789012345 får inte plats"),
        ('raw: "11"', 'raw: "1,23456"', "talet 1.23456 får inte plats"),
        ('year: 2020, raw: "11"', 'year: 40000, raw: "11"', "året 40000 ligger utanför 1900–2100"),
    ],
)
def test_a_number_or_year_the_database_cannot_hold_is_refused(seed_copy, old, new, expected):
    sbk = seed_copy / "sbk.yaml"
    replace(sbk, old, new)
    message = refused(sbk)
    assert "indicators «sbk-2022-1.2-i1»" in message
    assert expected in message


def test_a_budget_figure_the_database_cannot_hold_is_refused_at_its_row(seed_copy):
    budget = seed_copy / "budget.yaml"
    replace(budget, '2020: "83 174"', '2020: "999 999 999 999 999"')
    line = line_of(budget, "id: ksk-2022-operating-income")
    message = refused(budget)
    assert (
        f"budget.yaml:{line}: budget_tables «ksk-2022-operating-income», fält "
        "«values.2020»: talet 999999999999999 får inte plats"
    ) in message


@pytest.mark.parametrize("key", ["h-<script>alert(1)</script>", "sbk/2022", "a..b/../c", "å"])
def test_an_item_id_outside_the_key_pattern_is_refused(seed_copy, key):
    sbk = seed_copy / "sbk.yaml"
    replace(sbk, "  - id: sbk-2022-1.2-u5-a1\n", f"  - id: '{key}'\n")
    line = line_of(sbk, f"  - id: '{key}'")
    assert f"sbk.yaml:{line}: actions «{key}», fält «id»: «{key}» är inget giltigt id" in (
        refused(sbk)
    )


def test_a_reference_or_unit_code_outside_the_key_pattern_is_refused(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text(
        "org_units:\n  - {id: 'A%00B', name: Enhet, kind: unit, parent: 'KS/KSK'}\n",
        encoding="utf-8",
    )
    message = refused(path)
    assert "units.yaml:2: org_units «A%00B», fält «id»: «A%00B» är inget giltigt id" in message
    assert "fält «parent»: «KS/KSK» är inget giltigt id" in message


# --- Against what is loaded ------------------------------------------------------------------


def test_an_item_that_would_move_to_another_plan_is_refused_at_its_plan(seed_copy):
    sbk = seed_copy / "sbk.yaml"
    text = sbk.read_text()
    start = text.index("  - id: sbk-2022-1.2-i1")
    sbk.write_text(text[:start] + text[start:].replace("plan: SBK-2022", "plan: KSK-2022", 1))
    line = line_of(sbk, "  - id: sbk-2022-1.2-i1")
    assert (
        f"sbk.yaml:{line}: indicators «sbk-2022-1.2-i1», fält «plan»: "
        "«sbk-2022-1.2-i1» finns redan i planen «SBK-2022» och flyttas inte till «KSK-2022»"
    ) in refused(sbk)


def test_a_budget_row_that_would_move_to_another_plan_is_refused(tmp_path):
    path = tmp_path / "budget.yaml"
    path.write_text(
        "budget_tables:\n"
        "  - id: sbk-2022-extra\n"
        "    plan: SBK-2022\n"
        "    kind: changes\n"
        "    title: Extra\n"
        "    columns: [{label: Budget 2022, kind: budget, year: 2022}]\n"
        "    rows:\n"
        "      - {id: ksk-2022-operating-income, label: Intäkter, kind: amount}\n",
        encoding="utf-8",
    )
    message = refused(path)
    assert "budget.yaml:8: budget_tables «sbk-2022-extra», fält «rows.0.id»" in message
    assert "«ksk-2022-operating-income» finns redan i planen «KSK-2022»" in message


def test_a_plan_that_would_change_its_year_is_refused(seed_copy):
    plan = seed_copy / "plan.yaml"
    text = plan.read_text()
    start = text.index("  - id: SBK-2022")
    plan.write_text(text[:start] + text[start:].replace("year: 2022", "year: 2023", 1))
    assert (
        "plans «SBK-2022», fält «owner»: planen «SBK-2022» är redan SBK:s plan för 2022"
    ) in refused(plan)


def test_a_second_plan_for_an_owner_and_year_already_loaded_is_refused(tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text(
        "plans:\n  - {id: SBK-2022-b, owner: SBK, year: 2022, title: Ny, "
        "horizon_start: 2022, horizon_end: 2024}\n",
        encoding="utf-8",
    )
    assert (
        "other.yaml:2: plans «SBK-2022-b», fält «owner»: ägaren har redan en plan för året: "
        "«SBK-2022»"
    ) in refused(path)


def test_a_goal_area_number_already_taken_is_refused(tmp_path):
    path = tmp_path / "area.yaml"
    path.write_text(
        "goal_areas:\n  - {id: 2022-ma8, plan: KS-2022, number: '1', title: Ett till}\n",
        encoding="utf-8",
    )
    assert "goal_areas «2022-ma8», fält «number»: numret «1» har redan «2022-ma1»" in (
        refused(path)
    )


def test_a_responsible_unit_named_twice_is_refused(seed_copy):
    sbk = seed_copy / "sbk.yaml"
    replace(
        sbk,
        "units: [{unit: SBK-MEX, role: responsible}]}\n    start: pågår\n    end: 2022-06-20 (KF)",
        "units: [{unit: SBK-MEX}, {unit: SBK-MEX, role: lead}]}\n    start: pågår\n"
        "    end: 2022-06-20 (KF)",
    )
    assert (
        "actions «sbk-2022-1.2-u5-a1», fält «responsible.units.1.unit»: enheten «SBK-MEX» "
        "står redan bland de ansvariga"
    ) in refused(sbk)


def test_a_column_given_twice_in_an_indicator_is_refused(seed_copy):
    sbk = seed_copy / "sbk.yaml"
    replace(
        sbk,
        'label: Utfall 2021, kind: outcome, year: 2021, raw: "12"',
        'label: Utfall 2020, kind: outcome, year: 2021, raw: "12"',
    )
    assert "«values.1.label»: kolumnen «Utfall 2020» har redan ett värde" in refused(sbk)


def test_a_split_value_without_its_labels_is_refused(seed_copy):
    tsk = seed_copy / "tsk.yaml"
    replace(tsk, 'raw: "F 54 %\\nP 61 %", split_labels: F/P,', 'raw: "F 54 %\\nP 61 %",')
    assert "«values.0»: ett värde uppdelat på kön anger delarna" in refused(tsk)


def test_a_split_value_with_separators_the_plan_did_not_print_is_refused(seed_copy):
    tsk = seed_copy / "tsk.yaml"
    replace(tsk, 'raw: "F 54 %\\nP 61 %"', 'raw: "F 54 %, P 61 %"')
    assert "raw ska vara delarna som de är tryckta, en per rad" in refused(tsk)


# --- The last guard and the command -----------------------------------------------------------


def test_a_row_the_database_refuses_after_the_checks_is_reported_where_it_was_written(
    seed_copy, monkeypatch
):
    sbk = seed_copy / "sbk.yaml"
    replace(sbk, "    text: Uppdatera markanvisningspolicyn\n", "    text: Ändrad\n")

    def refuse(self):
        self.current = ("indicators", "sbk-2022-1.2-i1")
        raise IntegrityError("CHECK constraint failed")

    monkeypatch.setattr(services.Writer, "write_indicators", refuse)
    line = line_of(sbk, "  - id: sbk-2022-1.2-i1")
    assert (
        f"sbk.yaml:{line}: indicators «sbk-2022-1.2-i1»: databasen vägrade: CHECK constraint failed"
    ) in refused(sbk)


def test_the_command_prints_located_messages_and_no_traceback(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("plans:\n  - id: a\n    id: b\n", encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError, match="1 fel, inget har sparats"):
        call_command("load-plan", str(path))
    err = capsys.readouterr().err
    assert f"{path}:3: ogiltig YAML: nyckeln «id» finns två gånger" in err
    assert "Traceback" not in err
    assert snapshot() == before
