"""Checking a dataset before anything is written: ids, references, the tree, and what the
database already holds (an id stays in its plan, a plan keeps its owner and year, numbers
and labels stay unique where the database requires it).

Every problem is located (file, line, item, field) and raised together as a DataError,
so that a load either writes everything or nothing, and never fails half-way on a
constraint of the database.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from verksam.budget.models import BudgetRow, BudgetTable
from verksam.imports.budget_tables import check_budget_tables
from verksam.imports.schema import KINDS
from verksam.imports.sources import DataError, Dataset, Located, Problem
from verksam.indicators.models import Indicator
from verksam.organisation.models import OrgUnit
from verksam.plans.models import (
    Action,
    Assignment,
    CarriedOverAssignment,
    FocusArea,
    GoalArea,
    GoverningDocument,
    Objective,
    Plan,
    PlanSection,
)
from verksam.risks.models import InternalControlArea, InternalControlPoint, Risk, RiskAnalysis

# The model behind each kind's ids, for looking up references already in the database.
MODELS: dict[str, type[models.Model]] = {
    "org_units": OrgUnit,
    "plans": Plan,
    "goal_areas": GoalArea,
    "objectives": Objective,
    "focus_areas": FocusArea,
    "assignments": Assignment,
}
KEY_FIELD: dict[type[models.Model], str] = {OrgUnit: "code"}
# The kinds whose items belong to a plan through their `plan` field.
PLAN_ITEMS: dict[str, type[models.Model]] = {
    "goal_areas": GoalArea,
    "sections": PlanSection,
    "governing_documents": GoverningDocument,
    "assignments": Assignment,
    "actions": Action,
    "indicators": Indicator,
    "carried_over": CarriedOverAssignment,
    "budget_tables": BudgetTable,
    "risk_analyses": RiskAnalysis,
    "internal_control_areas": InternalControlArea,
}


def check_dataset(dataset: Dataset) -> None:
    """Ids unique per kind, references resolvable, the tree consistent; raise DataError."""
    problems: list[Problem] = []
    known: dict[str, dict[str, Located | None]] = {}
    for kind in KINDS:
        known[kind] = {}
        for located in dataset[kind]:
            item_id = located.item.id
            earlier = known[kind].get(item_id)
            if earlier is None:
                known[kind][item_id] = located
            elif kind == "org_units" and earlier.item == located.item:
                continue  # the same unit written in two files
            else:
                problems.append(
                    _problem(
                        located,
                        kind,
                        "id",
                        _("duplicate id, also in %(place)s")
                        % {"place": f"{earlier.file}:{earlier.line or ''}"},
                    )
                )
    known["focus_areas"] = {}
    for strategy in dataset["strategies"]:
        for focus_area in strategy.item.focus_areas:
            if focus_area.id in known["focus_areas"]:
                message = _("duplicate focus area id «%(id)s»") % {"id": focus_area.id}
                problems.append(_problem(strategy, "strategies", "focus_areas", message))
            known["focus_areas"][focus_area.id] = strategy
    for kind, field_name, nested_kind in NESTED:
        known[nested_kind] = {}
        for located in dataset[kind]:
            for index, nested in enumerate(getattr(located.item, field_name)):
                if nested.id in known[nested_kind]:
                    message = _("duplicate id «%(id)s»") % {"id": nested.id}
                    problems.append(_problem(located, kind, f"{field_name}.{index}.id", message))
                known[nested_kind][nested.id] = located
    _add_database_keys(known)

    def ref(located: Located, kind: str, field_name: str, value: str | None, target: str) -> None:
        if value is not None and value not in known[target]:
            problems.append(
                _problem(
                    located,
                    kind,
                    field_name,
                    _("unknown %(kind)s «%(id)s»") % {"kind": target, "id": value},
                )
            )

    for kind, fields in REFERENCES.items():
        for located in dataset[kind]:
            for field_name, target in fields.items():
                value = getattr(located.item, field_name)
                for index, one in enumerate(value if isinstance(value, list) else [value]):
                    name = f"{field_name}.{index}" if isinstance(value, list) else field_name
                    ref(located, kind, name, one, target)
            for index, unit in enumerate(_responsible_units(located)):
                ref(located, kind, f"responsible.units.{index}.unit", unit, "org_units")
    for located in dataset["budget_tables"]:
        for index, row in enumerate(located.item.rows):
            ref(located, "budget_tables", f"rows.{index}.unit", row.unit, "org_units")
    for located in dataset["internal_control_areas"]:
        for index, point in enumerate(located.item.points):
            for n, unit in enumerate(point.responsible_units):
                name = f"points.{index}.responsible_units.{n}"
                ref(located, "internal_control_areas", name, unit, "org_units")
    if problems:
        raise DataError(problems)
    problems.extend(_check_tree(dataset))
    problems.extend(_check_database(dataset))
    problems.extend(_check_unique(dataset))
    if problems:
        raise DataError(problems)


REFERENCES: dict[str, dict[str, str]] = {
    "org_units": {"parent": "org_units"},
    "plans": {"owner": "org_units", "parent": "plans"},
    "goal_areas": {"plan": "plans"},
    "objectives": {"goal_area": "goal_areas"},
    "sections": {"plan": "plans", "goal_area": "goal_areas", "objective": "objectives"},
    "governing_documents": {"plan": "plans"},
    "assignments": {
        "plan": "plans",
        "goal_area": "goal_areas",
        "objectives": "objectives",
        "focus_areas": "focus_areas",
    },
    "actions": {
        "plan": "plans",
        "goal_area": "goal_areas",
        "objective": "objectives",
        "assignment": "assignments",
        "focus_areas": "focus_areas",
    },
    "indicators": {"plan": "plans", "goal_area": "goal_areas", "objective": "objectives"},
    "carried_over": {"plan": "plans", "goal_area": "goal_areas", "assignment": "assignments"},
    "budget_tables": {"plan": "plans"},
    "risk_analyses": {"plan": "plans"},
    "internal_control_areas": {"plan": "plans"},
}
# Items listed inside others, with ids unique per kind: (kind, field, nested kind).
NESTED = [
    ("budget_tables", "rows", "budget_rows"),
    ("risk_analyses", "risks", "risks"),
    ("internal_control_areas", "points", "control_points"),
]


def _responsible_units(located: Located) -> list[str]:
    responsible = getattr(located.item, "responsible", None)
    return [u.unit for u in responsible.units] if responsible else []


def _add_database_keys(known: dict[str, dict[str, Any]]) -> None:
    """References may point to items already loaded, so one office's file can be loaded alone."""
    for kind, model in MODELS.items():
        for key in model._default_manager.values_list(KEY_FIELD.get(model, "key"), flat=True):
            known[kind].setdefault(key, None)


def _check_tree(dataset: Dataset) -> list[Problem]:
    """Objectives in their goal area, actions in their assignment's plan, one plan a year."""
    problems: list[Problem] = []
    goal_area_of = {o.item.id: o.item.goal_area for o in dataset["objectives"]}
    goal_area_of.update(Objective.objects.values_list("key", "goal_area__key"))
    assignment_plan = {a.item.id: a.item.plan for a in dataset["assignments"]}
    assignment_plan.update(
        (k, p)
        for k, p in Assignment.objects.values_list("key", "plan__key")
        if k not in assignment_plan
    )
    for kind in ("sections", "actions", "indicators"):
        for located in dataset[kind]:
            item = located.item
            objective = getattr(item, "objective", None)
            if objective and item.goal_area and goal_area_of.get(objective) != item.goal_area:
                problems.append(
                    _problem(
                        located,
                        kind,
                        "objective",
                        _("«%(objective)s» is not in the goal area «%(goal_area)s»")
                        % {"objective": objective, "goal_area": item.goal_area},
                    )
                )
            if objective and not getattr(item, "goal_area", None):
                problems.append(
                    _problem(
                        located,
                        kind,
                        "goal_area",
                        _("required with objective"),
                    )
                )
    for located in dataset["assignments"]:
        for index, objective in enumerate(located.item.objectives):
            if goal_area_of.get(objective) != located.item.goal_area:
                problems.append(
                    _problem(
                        located,
                        "assignments",
                        f"objectives.{index}",
                        _("«%(objective)s» is not in the goal area") % {"objective": objective},
                    )
                )
    for located in dataset["actions"]:
        assignment = located.item.assignment
        if assignment and assignment_plan.get(assignment) != located.item.plan:
            problems.append(
                _problem(
                    located,
                    "actions",
                    "assignment",
                    _("the assignment belongs to another plan"),
                )
            )
    owners: dict[tuple[str, int], Located] = {}
    for located in dataset["plans"]:
        plan = located.item
        if not plan.horizon_start <= plan.year <= plan.horizon_end:
            problems.append(_problem(located, "plans", "year", _("outside the horizon")))
        other = owners.setdefault((plan.owner, plan.year), located)
        if other is not located:
            problems.append(
                _problem(
                    located,
                    "plans",
                    "owner",
                    _("the owner already has a plan for the year: «%(plan)s»")
                    % {"plan": other.item.id},
                )
            )
    problems.extend(_check_cycles(dataset))
    problems.extend(check_budget_tables(dataset))
    problems.extend(_check_risk_analyses(dataset))
    return problems


def _check_risk_analyses(dataset: Dataset) -> list[Problem]:
    """One risk analysis per plan, in the files and in the database."""
    problems = []
    owner = dict(RiskAnalysis.objects.values_list("plan__key", "key"))
    for located in dataset["risk_analyses"]:
        plan, key = located.item.plan, located.item.id
        if owner.setdefault(plan, key) != key:
            message = _("the plan already has a risk analysis: «%(key)s»") % {"key": owner[plan]}
            problems.append(_problem(located, "risk_analyses", "plan", message))
    return problems


def _check_cycles(dataset: Dataset) -> list[Problem]:
    problems = []
    for kind in ("org_units", "plans"):
        parent = {loc.item.id: loc.item.parent for loc in dataset[kind]}
        for located in dataset[kind]:
            seen, node = set(), located.item.id
            while node is not None and node not in seen:
                seen.add(node)
                node = parent.get(node)
            if node is not None:
                problems.append(_problem(located, kind, "parent", _("parent cycle")))
    return problems


def _problem(located: Located, kind: str, field_name: str, message: str) -> Problem:
    """A problem at the item, or at its nested item's line when the field is one of a
    nested item's (`rows.3.unit`: a budget table's fourth row)."""
    name, _dot, rest = field_name.partition(".")
    index = rest.partition(".")[0]
    line = located.line_of(name, int(index)) if index.isdigit() else located.line
    return Problem(located.file, message, kind, located.item.id, field_name, line)


# --- What the database already holds ----------------------------------------------------


def _check_database(dataset: Dataset) -> list[Problem]:
    """An id already loaded stays in its plan (a load updates an item, it does not move it
    to another plan), and a plan keeps its owner and year; one plan per owner and year."""
    problems: list[Problem] = []
    plan_of_goal_area = {g.item.id: g.item.plan for g in dataset["goal_areas"]}
    plan_of_goal_area.update(
        (k, p)
        for k, p in GoalArea.objects.values_list("key", "plan__key")
        if k not in plan_of_goal_area
    )

    def moved(
        located: Located,
        kind: str,
        field_name: str,
        key: str,
        stored: str,
        new: str,
        line: int | None = None,
    ) -> None:
        if stored != new:
            message = _(
                "«%(key)s» is already in plan «%(stored)s» and does not move to «%(new)s»; give "
                "the new item an id of its own"
            ) % {"key": key, "stored": stored, "new": new}
            where = line or located.line
            problems.append(
                Problem(located.file, message, kind, located.item.id, field_name, where)
            )

    for kind, model in PLAN_ITEMS.items():
        items = {loc.item.id: loc for loc in dataset[kind]}
        stored = model._default_manager.filter(key__in=items).values_list("key", "plan__key")
        for key, plan in stored:
            moved(items[key], kind, "plan", key, plan, items[key].item.plan)
    objectives = {loc.item.id: loc for loc in dataset["objectives"]}
    for key, plan in Objective.objects.filter(key__in=objectives).values_list(
        "key", "goal_area__plan__key"
    ):
        new = plan_of_goal_area.get(objectives[key].item.goal_area)
        moved(objectives[key], "objectives", "goal_area", key, plan, new or "")
    for kind, field_name, model, plan_path in (
        ("budget_tables", "rows", BudgetRow, "table__plan__key"),
        ("risk_analyses", "risks", Risk, "analysis__plan__key"),
        ("internal_control_areas", "points", InternalControlPoint, "area__plan__key"),
    ):
        nested = {
            item.id: (located, index)
            for located in dataset[kind]
            for index, item in enumerate(getattr(located.item, field_name))
        }
        for key, plan in model._default_manager.filter(key__in=nested).values_list(
            "key", plan_path
        ):
            located, index = nested[key]
            line = located.line_of(field_name, index)
            moved(located, kind, f"{field_name}.{index}.id", key, plan, located.item.plan, line)

    stored_plans = {k: (o, y) for k, o, y in Plan.objects.values_list("key", "owner__code", "year")}
    in_files = {located.item.id for located in dataset["plans"]}
    stored_only = {v: k for k, v in stored_plans.items() if k not in in_files}
    for located in dataset["plans"]:
        plan = located.item
        wanted = (plan.owner, plan.year)
        if plan.id in stored_plans and stored_plans[plan.id] != wanted:
            owner, year = stored_plans[plan.id]
            message = _(
                "plan «%(plan)s» is already %(owner)s's plan for %(year)s; an id does not change "
                "owner or year"
            ) % {"plan": plan.id, "owner": owner, "year": year}
            problems.append(_problem(located, "plans", "owner", message))
        elif other := stored_only.get(wanted):
            message = _("the owner already has a plan for the year: «%(plan)s»") % {"plan": other}
            problems.append(_problem(located, "plans", "owner", message))
    return problems


def _check_unique(dataset: Dataset) -> list[Problem]:
    """What the database keeps unique, checked over the files and the database together:
    goal area numbers in a plan, objective numbers in a goal area, focus area numbers in a
    strategy, a unit once among an item's responsible units, a column label once among an
    indicator's values."""
    problems: list[Problem] = []
    numbered: list[tuple[str, str, Iterable[tuple[str, str, str]], Callable[[Any], Any]]] = [
        (
            "goal_areas",
            "number",
            GoalArea.objects.values_list("key", "plan__key", "number"),
            lambda item: (item.plan, item.number),
        ),
        (
            "objectives",
            "number",
            Objective.objects.values_list("key", "goal_area__key", "number"),
            lambda item: (item.goal_area, item.number),
        ),
    ]
    for kind, field_name, stored, scope in numbered:
        in_files = {located.item.id for located in dataset[kind]}
        holder = {(parent, number): key for key, parent, number in stored if key not in in_files}
        taken: dict[Any, str] = {}
        for located in dataset[kind]:
            where = scope(located.item)
            other = taken.get(where) or holder.get(where)
            if other is not None and other != located.item.id:
                message = _("number «%(number)s» is already taken by «%(other)s»") % {
                    "number": where[1],
                    "other": other,
                }
                problems.append(_problem(located, kind, field_name, message))
            taken[where] = located.item.id
    stored_focus = {
        (s, n): k for k, s, n in FocusArea.objects.values_list("key", "strategy__key", "number")
    }
    new_focus = {f.id for loc in dataset["strategies"] for f in loc.item.focus_areas}
    stored_focus = {w: k for w, k in stored_focus.items() if k not in new_focus}
    for located in dataset["strategies"]:
        taken = {}
        for index, focus_area in enumerate(located.item.focus_areas):
            where = (located.item.id, focus_area.number)
            other = taken.get(where) or stored_focus.get(where)
            if other is not None:
                message = _("number «%(number)s» is already taken by «%(other)s»") % {
                    "number": focus_area.number,
                    "other": other,
                }
                problems.append(
                    _problem(located, "strategies", f"focus_areas.{index}.number", message)
                )
            taken[where] = focus_area.id
    for kind in ("actions", "indicators"):
        for located in dataset[kind]:
            seen: set[str] = set()
            for index, unit in enumerate(located.item.responsible.units):
                if unit.unit in seen:
                    message = _("the unit «%(unit)s» is already among the responsible units") % {
                        "unit": unit.unit
                    }
                    problems.append(
                        _problem(located, kind, f"responsible.units.{index}.unit", message)
                    )
                seen.add(unit.unit)
    for located in dataset["indicators"]:
        labels: set[str] = set()
        for index, value in enumerate(located.item.values):
            if value.label in labels:
                message = _("the column «%(label)s» already has a value") % {"label": value.label}
                problems.append(_problem(located, "indicators", f"values.{index}.label", message))
            labels.add(value.label)
    return problems
