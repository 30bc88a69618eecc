"""The verksamhetsplan as a workbook: every item of the plan as rows, one sheet per kind,
each sheet made by a function of its own. Column kinds (`blocks.column`) tell the Excel
writer how to store a cell: `text`, `int`, `number` (see `blocks.number`) or `date` (ISO).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Field, Model
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from verksam.budget.models import BudgetCell
from verksam.budget.services import HEADING
from verksam.budget.tables import table_view
from verksam.indicators.models import Indicator
from verksam.plans.models import Assignment, GoalArea, Objective
from verksam.reports.blocks import LANGUAGE, column, figure_number, number
from verksam.reports.plan_document import PlanContent
from verksam.risks.models import InternalControlArea, InternalControlPoint, Risk

Sheet = dict[str, Any]


def field_label(
    model: type[Model], name: str, width: int = 14, kind: str = "text"
) -> dict[str, Any]:
    """A workbook column headed by a model field's name ("Metod", "Sannolikhet (1–4)")."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # a column of the model, not a relation's reverse side
    return {"label": capfirst(str(field.verbose_name)), "kind": kind, "width": width}


@dataclass
class Places:
    """Where an item sits, as the workbook names it: office code, goal-area and objective
    numbers, assignment keys."""

    owners: dict[int, str]
    goal_areas: dict[int, GoalArea]
    objectives: dict[int, Objective]
    assignments: dict[int, Assignment]

    @classmethod
    def of(cls, content: PlanContent) -> "Places":
        return cls(
            owners={p.pk: p.owner.code for p in content.plans},
            goal_areas={g.pk: g for g in content.goal_areas},
            objectives={o.pk: o for g in content.goal_areas for o in g.objectives.all()},
            assignments={a.pk: a for a in content.assignments},
        )

    def area(self, pk: int | None) -> str:
        return self.goal_areas[pk].number if pk in self.goal_areas else ""

    def objective(self, pk: int | None) -> str:
        return self.objectives[pk].number if pk in self.objectives else ""

    def assignment(self, pk: int | None) -> str:
        return self.assignments[pk].key if pk in self.assignments else ""


def assignment_sheet(content: PlanContent, places: Places) -> Sheet:
    return {
        "title": _("Assignments"),
        "columns": [
            column(_("Id"), width=22),
            column(_("Office")),
            column(_("Goal area"), width=8),
            column(_("Objectives"), width=10),
            column(_("Kind"), width=22),
            column(_("Assignment"), width=60),
            column(_("Description"), width=60),
            column(_("Origin")),
            column(_("Notes"), width=40),
        ],
        "rows": [
            [
                a.key,
                places.owners[a.plan_id],
                places.area(a.goal_area_id),
                ", ".join(o.number for o in a.objectives.all()),
                a.kind_label or str(a.get_kind_display()),
                a.title,
                a.description,
                a.origin,
                "\n".join(a.notes),
            ]
            for a in content.assignments
        ],
    }


def action_sheet(content: PlanContent, places: Places) -> Sheet:
    return {
        "title": _("Actions"),
        "columns": [
            column(_("Id"), width=24),
            column(_("Office")),
            column(_("Goal area"), width=8),
            column(_("Objective"), width=8),
            column(_("Assignment id"), width=22),
            column(pgettext("plan item", "Action"), width=60),
            column(_("What must happen for the action to count as completed"), width=50),
            column(_("Responsible"), width=24),
            column(_("Start as printed")),
            column(_("Start"), "date", 12),
            column(_("End as printed")),
            column(_("End"), "date", 12),
            column(_("Notes"), width=40),
        ],
        "rows": [
            [
                a.key,
                places.owners[a.plan_id],
                places.area(a.goal_area_id),
                places.objective(a.objective_id),
                places.assignment(a.assignment_id),
                a.text,
                a.completion_criterion,
                a.responsible_raw,
                a.start_raw,
                a.start_date.isoformat() if a.start_date else None,
                a.end_raw,
                a.end_date.isoformat() if a.end_date else None,
                "\n".join(a.notes),
            ]
            for a in content.actions
        ],
    }


def indicator_sheet(content: PlanContent, places: Places) -> Sheet:
    return {
        "title": _("Indicators"),
        "columns": [
            column(_("Id"), width=24),
            column(_("Office")),
            column(_("Goal area"), width=8),
            column(_("Objective"), width=8),
            column(_("Table"), width=30),
            column(_("Indicator"), width=50),
            column(_("Origin")),
            column(_("Unit")),
            column(_("Responsible"), width=20),
            column(_("Source"), width=20),
            column(_("Measurement interval")),
            column(_("Notes"), width=40),
        ],
        "rows": [
            [
                i.key,
                places.owners[i.plan_id],
                places.area(i.goal_area_id),
                places.objective(i.objective_id),
                i.table,
                i.name,
                str(i.get_origin_display()),
                i.unit,
                i.responsible_raw,
                i.source,
                i.interval,
                "\n".join(i.notes),
            ]
            for i in content.indicators
        ],
    }


def indicator_value_sheet(indicators: Iterable[Indicator]) -> Sheet:
    return {
        "title": _("Indicator values"),
        "columns": [
            column(_("Indicator id"), width=24),
            column(_("Indicator"), width=50),
            column(_("Column as printed"), width=24),
            column(_("Kind")),
            column(_("Year"), "int", 8),
            column(_("Value as printed")),
            column(_("Number"), "number"),
            column(_("Printed after the number"), width=10),
            column(_("Split by gender, labels as printed"), width=10),
            column(_("Female part"), "number"),
            column(_("Male part"), "number"),
        ],
        "rows": [
            [
                i.key,
                i.name,
                v.label,
                str(v.get_kind_display()),
                v.year,
                v.raw,
                number(v.raw),
                v.suffix,
                v.split_labels,
                number(v.women_raw),
                number(v.men_raw),
            ]
            for i in indicators
            for v in i.values.all()
        ],
    }


def carried_over_sheet(content: PlanContent, places: Places) -> Sheet:
    return {
        "title": _("Carried over"),
        "columns": [
            column(_("Id"), width=18),
            column(_("Goal area"), width=8),
            column(_("Assignment"), width=70),
            column(_("Origin")),
            column(_("Same assignment in this plan"), width=22),
        ],
        "rows": [
            [
                c.key,
                places.area(c.goal_area_id),
                c.title,
                c.origin,
                places.assignment(c.assignment_id),
            ]
            for c in content.carried_over
        ],
    }


def budget_sheet(content: PlanContent) -> Sheet:
    """One row per printed or computed figure: the figure as printed, its number and, for
    a computed row, the computed figure."""
    plan_keys = {p.pk: p.key for p in content.plans}
    figures = [
        (budget, line.row, budget_column, figure)
        for budget in content.budget_tables
        for line in table_view(budget).rows
        if line.row.kind != HEADING
        for budget_column, figure in zip(budget.columns.all(), line.figures, strict=True)
        if figure.printed is not None or figure.computed is not None
    ]
    printed = {
        (cell.row_id, cell.column_id): cell.raw
        for budget in content.budget_tables
        for row in budget.rows.all()
        for cell in row.cells.all()
    }
    return {
        "title": _("Budget figures"),
        "columns": [
            column(_("Plan"), width=12),
            column(_("Table"), width=36),
            column(_("Row"), width=30),
            column(_("Column as printed")),
            column(_("Kind")),
            column(_("Year"), "int", 8),
            field_label(BudgetCell, "raw"),
            column(_("Number"), "number"),
            column(_("Computed figure"), "number"),
        ],
        "rows": [
            [
                plan_keys[budget.plan_id],
                budget.title,
                row.label,
                budget_column.label,
                str(budget_column.get_kind_display()),
                budget_column.year,
                printed.get((row.pk, budget_column.pk), ""),
                number(printed.get((row.pk, budget_column.pk), "")),
                figure_number(figure) if row.is_computed else None,
            ]
            for budget, row, budget_column, figure in figures
        ],
    }


def risk_sheet(content: PlanContent, places: Places) -> Sheet:
    return {
        "title": _("Risks"),
        "columns": [
            column(_("Id"), width=18),
            column(_("Office")),
            field_label(Risk, "title", 30),
            field_label(Risk, "description", 60),
            field_label(Risk, "measures_label"),
            field_label(Risk, "measures", 50),
            field_label(Risk, "probability", 10, "int"),
            field_label(Risk, "consequence", 10, "int"),
            column(_("Risk value"), "int", 10),
        ],
        "rows": [
            [
                r.key,
                places.owners[a.plan_id],
                r.title,
                r.description,
                r.measures_label,
                r.measures,
                r.probability,
                r.consequence,
                r.value,
            ]
            for a in content.risk_analyses
            for r in a.risks.all()
        ],
    }


def internal_control_rows(
    areas: Iterable[InternalControlArea], owners: dict[int, str]
) -> list[list[str]]:
    """One row per control point; an area without points gets a row of its own."""
    rows: list[list[str]] = []
    for area in areas:
        head = [area.key, owners[area.plan_id], area.title, str(area.get_origin_display())]
        points = [
            [p.key, p.risk, p.control, p.method, p.responsible_raw, p.frequency, p.reporting]
            for p in area.points.all()
        ]
        rows += [head + point for point in points or [[""] * 7]]
    return rows


def internal_control_sheet(content: PlanContent, places: Places) -> Sheet:
    return {
        "title": _("Internal control"),
        "columns": [
            column(_("Id"), width=18),
            column(_("Office")),
            field_label(InternalControlArea, "title", 36),
            field_label(InternalControlArea, "origin"),
            column(_("Control point id"), width=18),
            field_label(InternalControlPoint, "risk", 36),
            field_label(InternalControlPoint, "control", 36),
            field_label(InternalControlPoint, "method", 24),
            field_label(InternalControlPoint, "responsible_raw", 20),
            field_label(InternalControlPoint, "frequency"),
            field_label(InternalControlPoint, "reporting"),
        ],
        "rows": internal_control_rows(content.internal_control_areas, places.owners),
    }


def plan_workbook(content: PlanContent) -> dict[str, Any]:
    """Every item of the plan as rows, one sheet per kind; sheets without rows left out."""
    with translation.override(LANGUAGE):
        places = Places.of(content)
        sheets = [
            assignment_sheet(content, places),
            action_sheet(content, places),
            indicator_sheet(content, places),
            indicator_value_sheet(content.indicators),
            carried_over_sheet(content, places),
            budget_sheet(content),
            risk_sheet(content, places),
            internal_control_sheet(content, places),
        ]
        return {"title": content.plan.title, "sheets": [s for s in sheets if s["rows"]]}
