"""A plan as an Excel workbook: the template to onboard a municipality without YAML, its
import (`verksam import-plan`, the upload page) and the export of a plan in its shape.

The workbook is one sheet per kind of the data format (docs/data-format.md), one row per
item, one column per field, headed by the field's name; an instructions sheet comes first.
Reading converts the sheets into the data files' shape (kind → list of items) and hands it to
the loader's own validation (`imports.sources.validate_data`, `checks.check_dataset`) and
writer (`services.load_dataset`): there is no second validator. Each item is located by a
line number that encodes its sheet and row (`SHEET_STRIDE`), so that every problem the
loader reports can be said as sheet, row, column, item and why.

Cell conventions: lists of ids (`objectives`, `focus_areas`) are separated by commas or line
breaks; notes are one per line; responsible units are `CODE:role` (role `lead`,
`contributing` or `responsible`, the default), separated by commas or line breaks; an
indicator's values are rows of the `indicator_values` sheet naming their indicator.
"""

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from verksam.core.validation import printable
from verksam.imports.services import LoadResult, load_dataset
from verksam.imports.sources import MAX_FILE_BYTES, DataError, Dataset, Problem, validate_data
from verksam.reports.ooxml import FIXED_TIME, reproducible

# A problem's line is sheet number × SHEET_STRIDE + row: the loader carries lines through
# every check, and this turns them back into a sheet and a row.
SHEET_STRIDE = 1_000_000
MAX_ROWS = 100_000  # rows in one sheet
TEXT = "@"  # Excel's text number format: what is typed stays the text it is

LIST, LINES, UNITS, YEARS = "list", "lines", "units", "years"


@dataclass(frozen=True)
class Column:
    """A column: the field of the data format it holds, how a cell maps to it, and what
    to write in it (for the instructions sheet)."""

    name: str
    help: Any  # a lazily translated text
    form: str = ""  # "", LIST (ids), LINES (notes), UNITS (CODE:role), YEARS (YEAR: value)
    required: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str  # the kind in the data format (docs/data-format.md)
    columns: tuple[Column, ...]
    help: Any
    nested_in: str = ""  # the kind whose items hold these rows (values, focus areas)
    parent_column: str = ""  # the column naming that item
    nested_field: str = ""  # the field of that item that lists them

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def C(name: str, help: Any, form: str = "", required: bool = False) -> Column:
    return Column(name, help, form, required)


ID = C(
    "id", gettext_lazy("A stable id, unique within the sheet, e.g. ksk-2023-1.1-u1."), required=True
)
PLAN = C("plan", gettext_lazy("The id of the plan it belongs to (sheet plans)."), required=True)
GOAL_AREA = C("goal_area", gettext_lazy("The id of its goal area (sheet goal_areas)."))
OBJECTIVE = C("objective", gettext_lazy("The id of its objective (sheet objectives), if any."))
NOTES = C("notes", gettext_lazy("Footnotes, one per line."), LINES)
RESPONSIBLE = C(
    "responsible",
    gettext_lazy("Responsibility as printed, e.g. «KSK stab bidrar, TKN huvudansvarig»."),
)
RESPONSIBLE_UNITS = C(
    "responsible_units",
    gettext_lazy(
        "Responsible units as CODE:role (lead, contributing or responsible), separated by commas."
    ),
    UNITS,
)
FOCUS_AREAS = C(
    "focus_areas",
    gettext_lazy("Ids of focus areas (sheet focus_areas), separated by commas."),
    LIST,
)

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "org_units",
        (
            C("id", gettext_lazy("The unit's code, e.g. KSK."), required=True),
            C("name", gettext_lazy("Its name."), required=True),
            C("short_name", gettext_lazy("A short name, e.g. KSK.")),
            C(
                "kind",
                gettext_lazy(
                    "municipality, council, board, committee, office, department, unit or external."
                ),
                required=True,
            ),
            C("parent", gettext_lazy("The code of the unit above it.")),
        ),
        gettext_lazy("The organisation: one row per unit."),
    ),
    Sheet(
        "strategies",
        (
            ID,
            C("title", gettext_lazy("Its title."), required=True),
            C("kind", gettext_lazy("strategy or action_programme.")),
        ),
        gettext_lazy("Strategies and action programmes whose focus areas items refer to."),
    ),
    Sheet(
        "focus_areas",
        (
            C("strategy", gettext_lazy("The id of its strategy."), required=True),
            ID,
            C("number", gettext_lazy("Its number, e.g. 3."), required=True),
            C("title", gettext_lazy("Its title."), required=True),
        ),
        gettext_lazy("The focus areas of the strategies."),
        nested_in="strategies",
        parent_column="strategy",
        nested_field="focus_areas",
    ),
    Sheet(
        "plans",
        (
            ID,
            C(
                "owner",
                gettext_lazy("The code of the owning unit (sheet org_units)."),
                required=True,
            ),
            C("year", gettext_lazy("The plan's year, e.g. 2023."), required=True),
            C("parent", gettext_lazy("For an office's part: the id of the board's plan.")),
            C("title", gettext_lazy("Its title."), required=True),
            C("status", gettext_lazy("draft (the default), review, decided or archived.")),
            C("decided_by", gettext_lazy("The deciding body, e.g. KS.")),
            C("decided_on", gettext_lazy("The date of the decision, e.g. 2022-12-14.")),
            C("decision_reference", gettext_lazy("E.g. KS 2021/123 §45.")),
            C("horizon_start", gettext_lazy("First year of the plan's horizon."), required=True),
            C("horizon_end", gettext_lazy("Last year of the plan's horizon."), required=True),
        ),
        gettext_lazy("The board's plan and the offices' parts, one row each."),
    ),
    Sheet(
        "goal_areas",
        (
            ID,
            PLAN,
            C("number", gettext_lazy("Its number, e.g. 1."), required=True),
            C("title", gettext_lazy("Its title."), required=True),
            C("ambition", gettext_lazy("The ambition (e.g. for 2030).")),
        ),
        gettext_lazy("Goal areas of the board's plan."),
    ),
    Sheet(
        "objectives",
        (
            ID,
            C("goal_area", gettext_lazy("The id of its goal area."), required=True),
            C("number", gettext_lazy("Its number, e.g. 1.1."), required=True),
            C("title", gettext_lazy("Its title."), required=True),
        ),
        gettext_lazy("Objectives, each in a goal area."),
    ),
    Sheet(
        "sections",
        (
            ID,
            PLAN,
            C(
                "kind",
                gettext_lazy(
                    "purpose, concepts, idea, direction, conditions, employer, contribution, "
                    "core_mission, organisation, governing_documents or other."
                ),
                required=True,
            ),
            GOAL_AREA,
            OBJECTIVE,
            C("heading", gettext_lazy("Its heading.")),
            C(
                "body",
                gettext_lazy(
                    "The text: paragraphs separated by an empty line, bullets starting with «• » "
                    "(as in the printed plan)."
                ),
            ),
        ),
        gettext_lazy("The plan's prose, in printed order."),
    ),
    Sheet(
        "governing_documents",
        (
            ID,
            PLAN,
            C("category", gettext_lazy("Its category.")),
            C("title", gettext_lazy("Its title."), required=True),
            NOTES,
        ),
        gettext_lazy("Governing documents of particular importance."),
    ),
    Sheet(
        "assignments",
        (
            ID,
            PLAN,
            C("goal_area", gettext_lazy("The id of its goal area."), required=True),
            C(
                "objectives",
                gettext_lazy("Ids of the objectives it serves, separated by commas."),
                LIST,
            ),
            C(
                "kind",
                gettext_lazy(
                    "council, board_initiative, office_initiative, action_programme or other."
                ),
                required=True,
            ),
            C("kind_label", gettext_lazy("The kind as printed, if it differs.")),
            C("title", gettext_lazy("Its title."), required=True),
            C("description", gettext_lazy("Its description.")),
            C("origin", gettext_lazy("Where it comes from, e.g. MoB 2023.")),
            FOCUS_AREAS,
            NOTES,
        ),
        gettext_lazy("Assignments, in printed order."),
    ),
    Sheet(
        "actions",
        (
            ID,
            PLAN,
            C("goal_area", gettext_lazy("The id of its goal area."), required=True),
            OBJECTIVE,
            C("assignment", gettext_lazy("The id of its assignment, if any.")),
            C("text", gettext_lazy("The action."), required=True),
            C("completion_criterion", gettext_lazy("When it is done.")),
            RESPONSIBLE,
            RESPONSIBLE_UNITS,
            C(
                "start",
                gettext_lazy(
                    "Start as people write it: 2023-01-01, «31 mars 2023», «Q2 2023», «Pågår»."
                ),
            ),
            C("end", gettext_lazy("End, written the same way.")),
            FOCUS_AREAS,
            NOTES,
        ),
        gettext_lazy("Actions, each under a goal area, objective or assignment."),
    ),
    Sheet(
        "indicators",
        (
            ID,
            PLAN,
            GOAL_AREA,
            OBJECTIVE,
            C(
                "table",
                gettext_lazy("The heading of the table it prints in, if not its goal area's."),
            ),
            C("name", gettext_lazy("Its name."), required=True),
            C("origin", gettext_lazy("council (KF) or board (the board's own)."), required=True),
            C("unit", gettext_lazy("Unit of measure, e.g. %.")),
            C("direction", gettext_lazy("higher, lower, target or qualitative."), required=True),
            RESPONSIBLE,
            RESPONSIBLE_UNITS,
            C("source", gettext_lazy("Source.")),
            C("interval", gettext_lazy("How often it is measured.")),
            NOTES,
        ),
        gettext_lazy("Indicators; their values are on the sheet indicator_values."),
    ),
    Sheet(
        "indicator_values",
        (
            C("indicator", gettext_lazy("The id of its indicator."), required=True),
            C("kind", gettext_lazy("baseline, outcome, forecast or target."), required=True),
            C("year", gettext_lazy("The year."), required=True),
            C("label", gettext_lazy("The column label as printed, e.g. Mål 2023."), required=True),
            C(
                "raw",
                gettext_lazy(
                    "The value as printed: 7 191, 3,0 %, «Minskande»; empty for a target "
                    "still to be set."
                ),
            ),
            C("split_labels", gettext_lazy("For a value split by gender: F/P or K/M.")),
            C("women", gettext_lazy("The women's (girls') part of a split value.")),
            C("men", gettext_lazy("The men's (boys') part of a split value.")),
        ),
        gettext_lazy("The values of the indicators, one row per value, in printed order."),
        nested_in="indicators",
        parent_column="indicator",
        nested_field="values",
    ),
    Sheet(
        "carried_over",
        (
            ID,
            PLAN,
            C("goal_area", gettext_lazy("The id of its goal area."), required=True),
            C("title", gettext_lazy("Its title."), required=True),
            C("origin", gettext_lazy("Where it comes from, e.g. MoB 2021."), required=True),
            C("origin_inferred", gettext_lazy("yes if the origin is inferred, not printed.")),
            C("assignment", gettext_lazy("The id of the assignment it continues, if any.")),
        ),
        gettext_lazy("Unfinished assignments carried over (Bilaga 1)."),
    ),
    Sheet(
        "budget_tables",
        (
            ID,
            PLAN,
            C(
                "kind",
                gettext_lazy("operating, departments, changes or investments."),
                required=True,
            ),
            C("heading", gettext_lazy("The heading above the table, if any.")),
            C("title", gettext_lazy("Its title, e.g. Driftbudget, tkr."), required=True),
            C("intro", gettext_lazy("The text before the table.")),
            C("commentary", gettext_lazy("The text after the table.")),
            NOTES,
        ),
        gettext_lazy(
            "Budget tables (operating and investment budget); their columns and rows are on "
            "the sheets budget_columns and budget_rows."
        ),
    ),
    Sheet(
        "budget_columns",
        (
            C("table", gettext_lazy("The id of its table."), required=True),
            C(
                "label",
                gettext_lazy("The column label as printed, e.g. Budget 2022."),
                required=True,
            ),
            C("kind", gettext_lazy("outcome, forecast, budget or plan."), required=True),
            C("year", gettext_lazy("The year."), required=True),
            C("kind_inferred", gettext_lazy("yes if the kind is inferred, not printed.")),
        ),
        gettext_lazy("The columns of the budget tables, in printed order."),
        nested_in="budget_tables",
        parent_column="table",
        nested_field="columns",
    ),
    Sheet(
        "budget_rows",
        (
            C("table", gettext_lazy("The id of its table."), required=True),
            ID,
            C("label", gettext_lazy("The row label as printed, e.g. Intäkter."), required=True),
            C(
                "kind",
                gettext_lazy(
                    "amount, part, subtotal, total, change, change_percent or heading "
                    "(verksam computes the computed rows and reports a printed figure that "
                    "disagrees)."
                ),
                required=True,
            ),
            C("part_of", gettext_lazy("For a part: the id of the row it is part of.")),
            C("unit", gettext_lazy("The code of the unit the row is for, if any.")),
            C(
                "values",
                gettext_lazy(
                    "The figures as printed, one per line, each with its column's year: "
                    "«2022: -152 445»."
                ),
                YEARS,
            ),
            NOTES,
        ),
        gettext_lazy("The rows of the budget tables, in printed order."),
        nested_in="budget_tables",
        parent_column="table",
        nested_field="rows",
    ),
    Sheet(
        "risk_analyses",
        (
            ID,
            PLAN,
            C("heading", gettext_lazy("Its heading, e.g. Riskanalys."), required=True),
            C("intro", gettext_lazy("The text before the risks.")),
        ),
        gettext_lazy("A plan's risk analysis (one per plan); its risks are on the sheet risks."),
    ),
    Sheet(
        "risks",
        (
            C("analysis", gettext_lazy("The id of its risk analysis."), required=True),
            ID,
            C("title", gettext_lazy("Its title, if printed.")),
            C("description", gettext_lazy("The risk."), required=True),
            C("measures_label", gettext_lazy("The measures' label as printed, e.g. Åtgärd.")),
            C("measures", gettext_lazy("The measures.")),
            C("probability", gettext_lazy("Probability, 1 to 4, if valued.")),
            C("consequence", gettext_lazy("Consequence, 1 to 4, if valued.")),
        ),
        gettext_lazy("The risks of the risk analyses, in printed order."),
        nested_in="risk_analyses",
        parent_column="analysis",
        nested_field="risks",
    ),
    Sheet(
        "internal_control_areas",
        (
            ID,
            PLAN,
            C("title", gettext_lazy("Its title."), required=True),
            C(
                "origin",
                gettext_lazy("council (KF's), board (the board's) or office (the office's)."),
                required=True,
            ),
            C("description", gettext_lazy("Its description.")),
        ),
        gettext_lazy(
            "Areas of the internal-control plan; their control points are on the sheet "
            "control_points."
        ),
    ),
    Sheet(
        "control_points",
        (
            C("area", gettext_lazy("The id of its internal-control area."), required=True),
            ID,
            C("risk", gettext_lazy("The risk it controls."), required=True),
            C("control", gettext_lazy("The control."), required=True),
            C("method", gettext_lazy("How it is controlled.")),
            C("responsible", gettext_lazy("Responsibility as printed.")),
            C(
                "responsible_units",
                gettext_lazy("Codes of the responsible units, separated by commas."),
                LIST,
            ),
            C("frequency", gettext_lazy("How often.")),
            C("reporting", gettext_lazy("To whom and when it is reported.")),
        ),
        gettext_lazy("The control points of the internal-control plan, in printed order."),
        nested_in="internal_control_areas",
        parent_column="area",
        nested_field="points",
    ),
)
SHEET_OF = {s.name: s for s in SHEETS}
INTEGERS = {"year", "horizon_start", "horizon_end", "probability", "consequence"}
BOOLEANS = {"origin_inferred", "kind_inferred"}
# Fields an empty cell gives as an empty text (a value not written yet), not left out.
EMPTY_IS_TEXT = {"raw"}


def instructions_titles() -> set[str]:
    """The instructions sheet's name in every language (it is skipped when reading)."""
    names = set()
    for language in ("en", "sv"):
        with translation.override(language):
            names.add(_("Instructions"))
    return names


# --- Writing -------------------------------------------------------------------------------


def data_rows(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows of each sheet from data in the data files' shape (an export or a
    template's example): nested items become rows of their own sheet."""
    rows: dict[str, list[dict[str, Any]]] = {s.name: [] for s in SHEETS}
    for sheet in SHEETS:
        if sheet.nested_in:
            continue
        for item in data.get(sheet.name, []):
            row = {k: v for k, v in item.items() if sheet.column(k) is not None}
            if "responsible" in item:
                row["responsible"] = item["responsible"].get("raw", "")
                row["responsible_units"] = item["responsible"].get("units", [])
            rows[sheet.name].append(row)
            for nested in SHEETS:
                if nested.nested_in == sheet.name:
                    for child in item.get(nested.nested_field, []):
                        child_row = {k: v for k, v in child.items() if k != "normalised"}
                        rows[nested.name].append({nested.parent_column: item["id"], **child_row})
    return rows


def cell_text(value: Any, column: Column) -> str | int | None:
    """What a cell holds for a field's value."""
    if value is None:
        return None
    if column.form == UNITS:
        return ", ".join(f"{u['unit']}:{u['role']}" for u in value)
    if column.form == LIST:
        return ", ".join(value)
    if column.form == LINES:
        return "\n".join(value)
    if column.form == YEARS:
        return "\n".join(f"{year}: {figure}" for year, figure in value.items())
    if isinstance(value, bool):
        return "yes" if value else ""
    if column.name in INTEGERS and isinstance(value, int):
        return value
    return str(value)


def write_workbook(data: dict[str, Any] | None = None) -> bytes:
    """The template: the instructions and a sheet per kind, with `data` (the data files'
    shape, e.g. `export.export_plan`) in its rows, or empty."""
    rows = data_rows(printable(data or {}))
    book = Workbook()
    guide = book.active
    guide.title = _("Instructions")
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 100
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in instruction_lines():
        guide.append(line)
    for row in guide.iter_rows():
        if row[0].value and (len(row) < 2 or row[1].value is None):
            row[0].font = bold
        for cell in row:
            cell.alignment = wrap
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name)
        ws.append([c.name for c in sheet.columns])
        for cell in ws[1]:
            cell.font = bold
        for row in rows[sheet.name]:
            ws.append([cell_text(row.get(c.name), c) for c in sheet.columns])
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            ws.column_dimensions[letter].width = (
                40 if column.name in ("title", "text", "body", "name", "description") else 16
            )
            for cell in ws[letter][1:]:
                if column.name not in INTEGERS:
                    cell.number_format = TEXT
                cell.alignment = wrap
        ws.freeze_panes = "A2"
    book.properties.creator = "verksam"
    # openpyxl's save() stamps the workbook with the current time; its writer does not.
    book.properties.created = book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return reproducible(buffer.getvalue())


def instruction_lines() -> list[tuple[str, ...]]:
    lines: list[tuple[str, ...]] = [
        (_("A plan in verksam, as a workbook"),),
        (
            _(
                "Fill in one sheet per kind, one row per item, and import the file on the page "
                "Import a plan (controllers) or with «verksam import-plan FILE.xlsx». First run "
                "a dry run: it lists what would be created and changed, and every error by sheet, "
                "row and column. Nothing is saved unless the whole workbook is correct."
            ),
        ),
        (
            _(
                "Ids are stable: importing again updates the items with the same id and creates "
                "the new ones; nothing is deleted. Rows keep their order: it is the printed order."
            ),
        ),
        (
            _(
                "Lists of ids are separated by commas; notes are one per line; responsible units "
                "of actions and indicators are written CODE:role; a budget row's figures are one "
                "per line, YEAR: figure as printed."
            ),
        ),
        (),
    ]
    for sheet in SHEETS:
        lines.append((sheet.name,))
        lines.append(("", str(sheet.help)))
        for column in sheet.columns:
            required = " " + _("(required)") if column.required else ""
            lines.append((column.name, str(column.help) + required))
        lines.append(())
    return lines


# --- Reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a problem is in the workbook: sheet, row and column (letter and header)."""

    sheet: str = ""
    row: int | None = None
    column: str = ""
    header: str = ""


@dataclass(frozen=True)
class WorkbookProblem:
    """A problem of an imported workbook: where (sheet, row, column), what (the item) and
    why."""

    place: Place
    item: str
    message: str

    def __str__(self) -> str:
        parts = []
        if self.place.sheet:
            parts.append(_("sheet %(sheet)s") % {"sheet": self.place.sheet})
        if self.place.row:
            parts.append(_("row %(row)d") % {"row": self.place.row})
        if self.place.column:
            parts.append(
                _("column %(column)s (%(header)s)")
                % {"column": self.place.column, "header": self.place.header}
            )
        where = ", ".join(parts)
        item = f" «{self.item}»" if self.item else ""
        return f"{where}{item}: {self.message}" if where else f"{item.strip()}: {self.message}"


class WorkbookError(Exception):
    """The workbook cannot be imported; `problems` says where and why."""

    def __init__(self, problems: list[WorkbookProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Converted:
    """A workbook in the data files' shape, and where each item came from."""

    data: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)
    problems: list[WorkbookProblem] = field(default_factory=list)


def line_of(sheet: Sheet, row: int) -> int:
    return (SHEETS.index(sheet) + 1) * SHEET_STRIDE + row


def place_of(line: int | None, field_path: str = "") -> Place:
    """The sheet, row and column of a loader's problem (its line and field)."""
    if not line or line < SHEET_STRIDE:
        return Place()
    sheet = SHEETS[line // SHEET_STRIDE - 1]
    row = line % SHEET_STRIDE
    name = column_of_field(sheet, field_path)
    if name is None:
        return Place(sheet.name, row)
    index = [c.name for c in sheet.columns].index(name)
    return Place(sheet.name, row, get_column_letter(index + 1), name)


def column_of_field(sheet: Sheet, field_path: str) -> str | None:
    """The column of a field named as pydantic names it (`values.0.raw`,
    `responsible.units.1.role`, `objectives.2`)."""
    parts = [p for p in field_path.split(".") if p and not p.isdigit()]
    if not parts:
        return None
    if parts[0] == "responsible":
        return "responsible_units" if "units" in parts else "responsible"
    if sheet.nested_in and len(parts) > 1:
        parts = parts[1:]
    if sheet.nested_in and parts[0] == sheet.nested_field and len(parts) > 1:
        parts = parts[1:]
    name = parts[0] if sheet.column(parts[0]) else parts[-1]
    return name if sheet.column(name) else None


def _text(value: Any) -> str:
    """A cell's value as the text it stands for: a whole number without decimals, a
    decimal number with a decimal comma (as a Swedish Excel shows it), a date as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat()
            if value.time() == datetime.min.time()
            else value.isoformat(" ")
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _split(text: str, separators: str = r"[,\n]") -> list[str]:
    return [part.strip() for part in re.split(separators, text) if part.strip()]


def _value(column: Column, raw: Any) -> Any:
    """A cell as its field's value in the data format (pydantic checks it)."""
    text = _text(raw).strip()
    if column.form == LIST:
        return _split(text)
    if column.form == LINES:
        return [line.strip() for line in text.split("\n") if line.strip()]
    if column.form == YEARS:
        figures: dict[str, str] = {}
        for line in text.split("\n"):
            if line.strip():
                year, _sep, figure = line.partition(":")
                figures[year.strip()] = figure.strip()
        return figures
    if column.form == UNITS:
        units = []
        for part in _split(text):
            code, _sep, role = part.partition(":")
            units.append({"unit": code.strip(), **({"role": role.strip()} if role.strip() else {})})
        return units
    if column.name in INTEGERS:
        return int(text) if re.fullmatch(r"-?\d+", text) else text
    if column.name in BOOLEANS:
        return text.lower() in ("yes", "ja", "true", "1", "x")
    return text


def read_workbook(path: Path) -> Converted:
    """The workbook's sheets in the data files' shape; problems of the workbook itself
    (not a workbook, an unknown sheet or column, a missing id column, a value row naming
    no indicator) in `problems`."""
    converted = Converted()
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise WorkbookError(
                [
                    WorkbookProblem(
                        Place(),
                        name,
                        _("too large: %(size)s bytes, at most %(limit)s")
                        % {"size": size, "limit": MAX_FILE_BYTES},
                    )
                ]
            )
        book = load_workbook(path, read_only=True, data_only=True)
    except WorkbookError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise WorkbookError(
            [
                WorkbookProblem(
                    Place(),
                    name,
                    _("cannot be read as an Excel workbook (.xlsx): %(error)s") % {"error": error},
                )
            ]
        ) from None
    try:
        skip = instructions_titles()
        sheets = {ws.title: ws for ws in book.worksheets}
        for title in sheets:
            if title not in SHEET_OF and title not in skip:
                known = ", ".join(s.name for s in SHEETS)
                converted.problems.append(
                    WorkbookProblem(
                        Place(title), "", _("unknown sheet (known: %(known)s)") % {"known": known}
                    )
                )
        for sheet in SHEETS:
            if sheet.name in sheets:
                _read_sheet(sheet, sheets[sheet.name], converted)
    finally:
        book.close()
    _nest(converted)
    return converted


def _read_sheet(sheet: Sheet, ws: Worksheet, converted: Converted) -> None:
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return
    names = [_text(h).strip() for h in header]
    columns: dict[int, Column] = {}
    for index, title in enumerate(names):
        if not title:
            continue
        column = sheet.column(title)
        if column is None:
            converted.problems.append(
                WorkbookProblem(
                    Place(sheet.name, 1, get_column_letter(index + 1), title),
                    "",
                    _("unknown column (known: %(known)s)")
                    % {"known": ", ".join(c.name for c in sheet.columns)},
                )
            )
        elif column in columns.values():
            converted.problems.append(
                WorkbookProblem(
                    Place(sheet.name, 1, get_column_letter(index + 1), title),
                    "",
                    _("the column is there twice"),
                )
            )
        else:
            columns[index] = column
    missing = [c.name for c in sheet.columns if c.required and c not in columns.values()]
    if missing:
        converted.problems.append(
            WorkbookProblem(
                Place(sheet.name, 1),
                "",
                _("missing columns: %(columns)s") % {"columns": ", ".join(missing)},
            )
        )
        return
    items = converted.data.setdefault(sheet.name, [])
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            converted.problems.append(
                WorkbookProblem(
                    Place(sheet.name, number),
                    "",
                    _("too many rows (at most %(limit)s)") % {"limit": MAX_ROWS},
                )
            )
            return
        if all(v is None or _text(v).strip() == "" for v in values):
            continue  # an empty row
        item: dict[str, Any] = {}
        for index, column in columns.items():
            raw = values[index] if index < len(values) else None
            if raw is None or _text(raw).strip() == "":
                if column.name in EMPTY_IS_TEXT:
                    item[column.name] = ""
                continue  # the field's default
            item[column.name] = _value(column, raw)
        if RESPONSIBLE_UNITS in sheet.columns and (
            "responsible" in item or "responsible_units" in item
        ):
            item["responsible"] = {
                "raw": item.pop("responsible", ""),
                "units": item.pop("responsible_units", []),
            }
        converted.lines[(sheet.name, len(items))] = line_of(sheet, number)
        items.append(item)


def _nest(converted: Converted) -> None:
    """Put the rows of the nested sheets into the items they belong to (values into their
    indicator, focus areas into their strategy)."""
    for sheet in SHEETS:
        if not sheet.nested_in:
            continue
        parents = converted.data.get(sheet.nested_in, [])
        by_id = {p.get("id"): (n, p) for n, p in enumerate(parents)}
        for index, row in enumerate(converted.data.pop(sheet.name, [])):
            line = converted.lines.pop((sheet.name, index))
            parent_id = row.pop(sheet.parent_column, "")
            if parent_id not in by_id:
                column = [c.name for c in sheet.columns].index(sheet.parent_column)
                converted.problems.append(
                    WorkbookProblem(
                        Place(
                            sheet.name,
                            line % SHEET_STRIDE,
                            get_column_letter(column + 1),
                            sheet.parent_column,
                        ),
                        str(parent_id),
                        _("no row with this id on the sheet %(sheet)s")
                        % {"sheet": sheet.nested_in},
                    )
                )
                continue
            n, parent = by_id[parent_id]
            children = parent.setdefault(sheet.nested_field, [])
            converted.lines[(sheet.nested_in, n, sheet.nested_field, len(children))] = line
            children.append(row)


def located(problems: Iterable[Problem]) -> list[WorkbookProblem]:
    """The loader's problems as places in the workbook."""
    return [
        WorkbookProblem(
            place_of(p.line, p.field) if p.line else Place(p.kind if p.kind in SHEET_OF else ""),
            p.item,
            p.message,
        )
        for p in problems
    ]


def by_plan(converted: Converted) -> list[tuple[dict[str, list[Any]], dict[tuple[Any, ...], int]]]:
    """The items in groups as the data files hold them: what belongs to no plan (units,
    strategies, plans, objectives), then each plan's items, so that an item's position is
    its place among its plan's items of its kind, as when each plan is a file of its own
    (the seed's layout): a plan imported again from its own workbook is then unchanged."""
    groups: dict[str, tuple[dict[str, list[Any]], dict[tuple[Any, ...], int]]] = {}
    lines_of: dict[tuple[Any, ...], list[tuple[tuple[Any, ...], int]]] = {}
    for key, line in converted.lines.items():
        lines_of.setdefault(key[:2], []).append((key[2:], line))
    for kind, items in converted.data.items():
        for index, item in enumerate(items):
            plan = item.get("plan")
            if not isinstance(plan, str):
                plan = ""
            data, lines = groups.setdefault(plan, ({}, {}))
            rows = data.setdefault(kind, [])
            for rest, line in lines_of.get((kind, index), []):
                lines[(kind, len(rows), *rest)] = line
            rows.append(item)
    return [groups.pop("", ({}, {})), *groups.values()]


def read_dataset_from_workbook(path: Path) -> Dataset:
    """The workbook validated by the loader's own rules, as the loader's dataset; raise
    WorkbookError with every problem located."""
    converted = read_workbook(path)
    dataset = Dataset()
    problems = list(converted.problems)
    for data, lines in by_plan(converted):
        problems += located(validate_data(data, path.name, lines, dataset))
    if problems:
        raise WorkbookError(problems)
    return dataset


def import_workbook(
    path: Path,
    *,
    dry_run: bool = False,
    authorise: Callable[[LoadResult], None] | None = None,
) -> LoadResult:
    """Import a workbook all or nothing, through the loader's validation and writer
    (`dry_run`: say what would be created and changed, save nothing). Raises
    WorkbookError with every problem located by sheet, row and column."""
    dataset = read_dataset_from_workbook(path)
    try:
        return load_dataset(dataset, dry_run=dry_run, authorise=authorise)
    except DataError as error:
        raise WorkbookError(located(error.problems)) from error
