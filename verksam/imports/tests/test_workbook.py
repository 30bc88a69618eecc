"""The Excel template and its import (issue 12 §5): the template opens with its
instructions and a sheet per kind; a good workbook imports all or nothing through the
loader's checks, a dry run saves nothing; a broken one is refused with every problem at its
sheet, row and column, the database unchanged; the seed plan's workbook re-imports into an
empty database to the same plan; the command and the upload page."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from verksam.core.prose import BULLET
from verksam.imports.export import export_plan
from verksam.imports.workbook import (
    SHEETS,
    WorkbookError,
    import_workbook,
    write_workbook,
)
from verksam.indicators.models import Indicator
from verksam.plans.models import Action, GoalArea, Plan
from verksam.testing import empty_database, make_admin, sv

pytestmark = pytest.mark.django_db

# The kinds the workbook holds (budget tables, risks and internal control are data files').
IN_WORKBOOK = [
    *("org_units", "strategies", "plans", "goal_areas", "objectives", "sections"),
    *("governing_documents", "assignments", "actions", "indicators", "carried_over"),
    *("budget_tables", "risk_analyses", "internal_control_areas"),
]


def small_plan() -> dict[str, Any]:
    """A new office plan of KSK for 2030 under a new board plan, in the data files' shape."""
    return {
        "org_units": [],
        "plans": [
            {"id": "KS-2030", "owner": "KS", "year": 2030, "title": "Plan 2030",
             "horizon_start": 2030, "horizon_end": 2032},
            {"id": "KSK-2030", "owner": "KSK", "year": 2030, "parent": "KS-2030",
             "title": "KSK 2030", "horizon_start": 2030, "horizon_end": 2032},
        ],
        "goal_areas": [{"id": "2030-ma1", "plan": "KS-2030", "number": "1", "title": "Ekonomi"}],
        "objectives": [
            {"id": "2030-im1.1", "goal_area": "2030-ma1", "number": "1.1", "title": "Balans"}
        ],
        "assignments": [
            {"id": "ksk-2030-u1", "plan": "KSK-2030", "goal_area": "2030-ma1",
             "objectives": ["2030-im1.1"], "kind": "council", "title": "Ny modell",
             "origin": "MoB 2030"},
        ],
        "actions": [
            {"id": "ksk-2030-u1-a1", "plan": "KSK-2030", "goal_area": "2030-ma1",
             "objective": "2030-im1.1", "assignment": "ksk-2030-u1", "text": "Ta fram",
             "responsible": {"raw": "KSK stab", "units": [{"unit": "KSK-STAB", "role": "lead"}]},
             "start": "Q1 2030", "end": "31 mars 2030"},
        ],
        "indicators": [
            {"id": "ksk-2030-i1", "plan": "KSK-2030", "goal_area": "2030-ma1",
             "objective": "2030-im1.1", "name": "Soliditet", "origin": "council", "unit": "%",
             "direction": "higher",
             "values": [
                 {"label": "Utfall 2029", "kind": "outcome", "year": 2029, "raw": "3,5"},
                 {"label": "Mål 2030", "kind": "target", "year": 2030, "raw": ""},
             ]},
        ],
        "budget_tables": [
            {"id": "ksk-2030-operating", "plan": "KSK-2030", "kind": "operating",
             "title": "Driftbudget, tkr",
             "columns": [{"label": "Budget 2029", "kind": "budget", "year": 2029},
                         {"label": "Budget 2030", "kind": "budget", "year": 2030}],
             "rows": [
                 {"id": "ksk-2030-in", "label": "Intäkter", "kind": "amount",
                  "values": {"2029": "1 000", "2030": "1 100"}},
                 {"id": "ksk-2030-out", "label": "Kostnader", "kind": "amount",
                  "values": {"2029": "-3 000", "2030": "-3 300"}},
                 {"id": "ksk-2030-net", "label": "Netto", "kind": "total",
                  "values": {"2029": "-2 000", "2030": "-2 200"}},
             ]},
        ],
        "risk_analyses": [
            {"id": "ksk-2030-risks", "plan": "KSK-2030", "heading": "Riskanalys",
             "risks": [{"id": "ksk-2030-risk1", "description": "Hög arbetsbelastning.",
                        "probability": 3, "consequence": 2}]},
        ],
        "internal_control_areas": [
            {"id": "ksk-2030-ic1", "plan": "KSK-2030", "title": "Informationssäkerhet",
             "origin": "office",
             "points": [{"id": "ksk-2030-ic1-p1", "risk": "Obehörig åtkomst",
                         "control": "Behörigheter ses över", "responsible_units": ["KSK-STAB"]}]},
        ],
    }  # fmt: skip


@pytest.fixture
def small_workbook(tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(write_workbook(small_plan()))
    return path


def edit(path: Path, sheet: str, cell: str, value: Any) -> Path:
    book = load_workbook(path)
    book[sheet][cell] = value
    book.save(path)
    return path


def snapshot() -> str:
    """The database's plans of every year, as exported (to see that nothing changed)."""
    return json.dumps(
        [export_plan(year=y) for y in sorted(set(Plan.objects.values_list("year", flat=True)))]
    )


def test_the_template_has_instructions_and_a_sheet_per_kind_with_its_columns():
    with translation.override("en"):
        book = load_workbook(io.BytesIO(write_workbook()))
    assert book.sheetnames == ["Instructions", *[s.name for s in SHEETS]]
    for sheet in SHEETS:
        header = [c.value for c in book[sheet.name][1]]
        assert header == [c.name for c in sheet.columns]
        assert book[sheet.name].max_row == 1
    guide = "\n".join(
        str(c.value) for row in book["Instructions"].iter_rows() for c in row if c.value
    )
    assert "responsible_units" in guide
    assert "indicator_values" in guide
    assert {"budget_rows", "risks", "control_points"} <= set(book.sheetnames)
    # Bullets are written as the prose reader reads them (verksam.core.prose).
    assert f"bullets starting with «{BULLET} »" in guide
    with translation.override("sv"):
        assert load_workbook(io.BytesIO(write_workbook())).sheetnames[0] == sv("Instructions")


def test_a_good_workbook_imports_all_of_it_and_a_second_import_changes_nothing(small_workbook):
    result = import_workbook(small_workbook)
    assert result.created["plans"] == 2
    assert result.created["actions"] == 1
    action = Action.objects.get(key="ksk-2030-u1-a1")
    assert (action.start_raw, action.end_date.isoformat()) == ("Q1 2030", "2030-03-31")
    assert [(r.unit.code, r.role) for r in action.responsibilities.all()] == [("KSK-STAB", "lead")]
    indicator = Indicator.objects.get(key="ksk-2030-i1")
    assert [(v.kind, v.raw, v.number) for v in indicator.values.order_by("position")] == [
        ("outcome", "3,5", 3.5), ("target", "", None)
    ]  # fmt: skip
    again = import_workbook(small_workbook)
    assert not again.changed


def test_a_dry_run_lists_what_would_be_made_and_saves_nothing(small_workbook):
    before = snapshot()
    result = import_workbook(small_workbook, dry_run=True)
    assert result.items["actions"] == {"ksk-2030-u1-a1": "created"}
    assert result.items["plans"] == {"KS-2030": "created", "KSK-2030": "created"}
    assert not Plan.objects.filter(year=2030).exists()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "where", "message"),
    [
        ("actions", "F2", None, ("actions", 2, "F", "text"), "Field required"),
        ("actions", "C2", "2030-ma9", ("actions", 2, "C", "goal_area"), "2030-ma9"),
        ("actions", "I2", "KSK-STAB:boss", ("actions", 2, "I", "responsible_units"), "lead"),
        ("indicator_values", "A3", "ksk-2030-i9", ("indicator_values", 3, "A", "indicator"),
         "indicators"),
        ("indicator_values", "C2", "tjugo", ("indicator_values", 2, "C", "year"), "integer"),
        ("indicators", "I2", "sideways", ("indicators", 2, "I", "direction"), "higher"),
        ("plans", "F3", "beslutad", ("plans", 3, "F", "status"), "draft"),
        ("budget_columns", "C2", "utfall", ("budget_columns", 2, "C", "kind"), "outcome"),
        ("budget_rows", "G3", "2029: -3 000\ntjugo: 5", ("budget_rows", 3, "G", "values"),
         "integer"),
        ("budget_rows", "A4", "ksk-2030-x", ("budget_rows", 4, "A", "table"), "budget_tables"),
        ("risks", "G2", 7, ("risks", 2, "G", "probability"), "4"),
        ("control_points", "G2", "NOPE", ("control_points", 2, "G", "responsible_units"),
         "NOPE"),
    ],
)  # fmt: skip
def test_a_broken_workbook_is_refused_at_its_sheet_row_and_column_and_saves_nothing(
    small_workbook, sheet, cell, value, where, message
):
    before = snapshot()
    edit(small_workbook, sheet, cell, value)
    with translation.override("en"), pytest.raises(WorkbookError) as refused:
        import_workbook(small_workbook)
    problems = refused.value.problems
    places = [(p.place.sheet, p.place.row, p.place.column, p.place.header) for p in problems]
    assert where in places or (not where[2] and where[:2] in [pl[:2] for pl in places]), problems
    assert any(message in p.message or message in str(p) for p in problems), problems
    assert snapshot() == before


def test_unknown_sheets_and_columns_and_a_file_that_is_not_a_workbook(small_workbook, tmp_path):
    book = load_workbook(small_workbook)
    book.create_sheet("budget")
    book["actions"]["Z1"] = "colour"
    book.save(small_workbook)
    with translation.override("en"), pytest.raises(WorkbookError) as refused:
        import_workbook(small_workbook)
    text = str(refused.value)
    assert "sheet budget: unknown sheet" in text
    assert "sheet actions, row 1, column Z (colour): unknown column" in text
    not_a_workbook = tmp_path / "plan.xlsx"
    not_a_workbook.write_text("id;title\n")
    with pytest.raises(WorkbookError, match="xlsx"):
        import_workbook(not_a_workbook)


def test_messages_are_in_swedish_for_a_swedish_user(small_workbook):
    edit(small_workbook, "actions", "C2", "2030-ma9")
    with translation.override("sv"), pytest.raises(WorkbookError) as refused:
        import_workbook(small_workbook)
    text = str(refused.value)
    assert "blad actions, rad 2, kolumn C (goal_area)" in text, text


def test_the_seed_plans_workbook_reimports_into_an_empty_database_to_the_same_plan(tmp_path):
    """Export the Norrtälje 2022 plan as a workbook, import it into an empty database,
    export again: the same data (of the kinds the workbook holds) and the same workbook."""
    before = export_plan(year=2022)
    workbook = tmp_path / "plan-2022.xlsx"
    workbook.write_bytes(write_workbook(before))
    empty_database()
    assert not GoalArea.objects.exists()
    result = import_workbook(workbook)
    assert result.created["actions"] == 101
    assert result.created["indicators"] == 60
    assert (result.created["budget_tables"], result.created["budget_rows"]) == (9, 57)
    assert (result.created["risks"], result.created["internal_control_areas"]) == (16, 3)
    after = export_plan(year=2022)
    for kind in IN_WORKBOOK:
        assert after[kind] == before[kind], kind
    assert write_workbook(after) == workbook.read_bytes()


def test_the_command_previews_imports_and_refuses(small_workbook):
    out = io.StringIO()
    with translation.override("en"):
        call_command("import-plan", str(small_workbook), "--dry-run", stdout=out)
    assert "actions: 1 created, 0 updated, 0 unchanged" in out.getvalue()
    assert "new: ksk-2030-u1-a1" in out.getvalue()
    assert not Plan.objects.filter(year=2030).exists()
    call_command("import-plan", str(small_workbook), stdout=io.StringIO())
    assert Plan.objects.filter(year=2030).count() == 2
    edit(small_workbook, "actions", "F2", None)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was saved"), translation.override("en"):
        call_command("import-plan", str(small_workbook), stderr=err)
    assert "sheet actions, row 2, column F (text)" in err.getvalue()


def test_export_plan_writes_the_template_shape(tmp_path):
    target = tmp_path / "ksk.xlsx"
    call_command("export-plan", "--year", "2022", "--owner", "KSK", "--format", "xlsx",
                 "-o", str(target), stderr=io.StringIO())  # fmt: skip
    book = load_workbook(target)
    ids = [row[0] for row in book["actions"].iter_rows(min_row=2, values_only=True)]
    assert "ksk-2022-1.1-u1-a1" in ids
    with pytest.raises(CommandError):
        call_command("export-plan", "--year", "2022", "--format", "xlsx")


# --- The upload page ---------------------------------------------------------------------


def upload(client, path: Path, action: str = "check", **headers: str):
    with path.open("rb") as file:
        return client.post("/imports/plan/", {"workbook": file, "action": action}, headers=headers)


def test_a_controller_checks_then_imports_on_the_page(client, small_workbook, make_user):
    client.force_login(make_user("clara", controller="KS"))
    page = client.get("/imports/plan/")
    assert page.status_code == 200
    assert b"/imports/plan/template.xlsx" in page.content
    checked = upload(client, small_workbook)
    assert checked.status_code == 200
    assert "ksk-2030-u1-a1" in checked.content.decode()
    assert not Plan.objects.filter(year=2030).exists()
    fragment = upload(client, small_workbook, **{"HX-Request": "true"})
    assert b'id="import-result"' in fragment.content
    assert b"<html" not in fragment.content
    imported = upload(client, small_workbook, "import")
    assert imported.status_code == 200
    assert Plan.objects.filter(year=2030).count() == 2
    assert Action.objects.get(key="ksk-2030-u1-a1").history.get().history_user.username == "clara"


def test_the_page_shows_every_error_by_sheet_row_and_column(client, small_workbook, make_user):
    client.force_login(make_user("clara", controller="KS"))
    edit(small_workbook, "actions", "C2", "2030-ma9")
    refused = upload(client, small_workbook, "import")
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "<td>actions</td><td>2</td><td>C (goal_area)</td>" in html
    assert not Plan.objects.filter(year=2030).exists()


def test_a_controller_imports_only_the_plans_they_control(client, small_workbook, make_user):
    client.force_login(make_user("karl", controller="KSK"))  # not of the board's plan KS-2030
    refused = upload(client, small_workbook, "import")
    assert refused.status_code == 403
    assert "KS-2030" in refused.content.decode()
    assert not Plan.objects.filter(year=2030).exists()


def test_new_org_units_need_a_system_administrator(client, tmp_path, make_user):
    data = small_plan() | {"org_units": [{"id": "NY", "name": "Ny nämnd", "kind": "committee",
                                          "parent": "KF"}]}  # fmt: skip
    path = tmp_path / "plan.xlsx"
    path.write_bytes(write_workbook(data))
    client.force_login(make_user("clara", controller="KS"))
    assert upload(client, path, "import").status_code == 403
    client.force_login(make_admin())
    assert upload(client, path, "import").status_code == 200
    assert Plan.objects.filter(year=2030).count() == 2


def test_readers_and_anonymous_visitors_do_not_reach_the_page(client, small_workbook, make_user):
    assert client.get("/imports/plan/").status_code == 302
    client.force_login(make_user("rut", reader="KS"))
    assert client.get("/imports/plan/").status_code == 403
    assert upload(client, small_workbook, "import").status_code == 403
    assert client.get("/imports/plan/template.xlsx").status_code == 403
    assert client.put("/imports/plan/").status_code in (403, 405)


def test_the_template_downloads_empty_or_with_a_plan_the_user_may_read(client, make_user):
    client.force_login(make_user("karl", controller="KSK"))
    empty = client.get("/imports/plan/template.xlsx")
    assert empty["Content-Type"].startswith("application/vnd.openxml")
    assert load_workbook(io.BytesIO(empty.content))["actions"].max_row == 1
    plan = client.get("/imports/plan/template.xlsx?year=2022&owner=KSK")
    assert load_workbook(io.BytesIO(plan.content))["actions"].max_row > 1
    Plan.objects.filter(key="SBK-2022").update(status="draft")
    assert client.get("/imports/plan/template.xlsx?year=2022&owner=SBK").status_code == 403
    assert client.get("/imports/plan/template.xlsx?year=1999&owner=KSK").status_code == 404


def test_the_page_refuses_a_missing_file(client, make_user):
    client.force_login(make_user("clara", controller="KS"))
    answer = client.post("/imports/plan/", {"action": "check"})
    assert answer.status_code == 400
    assert sv("Choose the workbook to import.") in answer.content.decode()


@pytest.mark.parametrize("owner", ["KS", "KSK", "SBK", "TSK"])
def test_each_decided_plans_own_workbook_with_its_budget_and_risks_imports_unchanged(
    tmp_path, owner
):
    """A plan's budget tables, risk analysis and internal control are counted per plan, in
    the seed's shared files as in a workbook."""
    workbook = tmp_path / "plan.xlsx"
    data = export_plan(year=2022, owner=owner)
    assert data["budget_tables"] or data["risk_analyses"] or data["internal_control_areas"]
    workbook.write_bytes(write_workbook(data))
    assert not import_workbook(workbook).changed


def test_a_decided_plans_own_workbook_imports_unchanged_and_a_change_is_refused(tmp_path):
    """Positions are counted per plan, as in the seed's files: the decided seed's workbook
    imports again as it is; changing an item of it is refused, pointing to amendments."""
    workbook = tmp_path / "ksk.xlsx"
    workbook.write_bytes(write_workbook(export_plan(year=2022, owner="KSK")))
    assert not import_workbook(workbook).changed
    book = load_workbook(workbook)
    sheet = book["actions"]
    text_column = [c.value for c in sheet[1]].index("text") + 1
    sheet.cell(row=2, column=text_column, value="Ändrad text")
    book.save(workbook)
    before = snapshot()
    with translation.override("en"), pytest.raises(WorkbookError) as refused:
        import_workbook(workbook)
    assert "sheet actions, row 2" in str(refused.value)
    assert "verksam plan amend" in str(refused.value)
    assert snapshot() == before
