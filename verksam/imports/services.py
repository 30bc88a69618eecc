"""Loading a plan's data into the database, all or nothing.

`load_plan` reads and validates every file first (shape, ids, references), then
writes everything in one transaction, matching items by their stable id: a new
id is created, a known id is updated in place when its data changed, and an
unchanged item is left alone, so loading the same files twice changes nothing.
Items are never deleted by a load. Data anomalies (odd dates, values that are
not numbers) do not stop a load; they are returned as `Problem`s to report.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from verksam.budget.models import BudgetCell, BudgetColumn, BudgetRow, BudgetTable
from verksam.core.dates import normalise_date
from verksam.core.numbers import parse_value
from verksam.imports.budget_tables import budget_anomalies, check_budget_tables
from verksam.imports.schema import KINDS
from verksam.imports.sources import DataError, Dataset, Located, Problem, read_dataset
from verksam.indicators.models import (
    Indicator,
    IndicatorResponsibility,
    IndicatorValue,
    parsed_fields,
)
from verksam.organisation.models import OrgUnit
from verksam.plans.models import (
    Action,
    ActionResponsibility,
    Assignment,
    CarriedOverAssignment,
    FocusArea,
    GoalArea,
    GoverningDocument,
    Objective,
    Plan,
    PlanSection,
    Strategy,
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
KEY_FIELD = {OrgUnit: "code"}


@dataclass
class LoadResult:
    """What a load did: per kind how many items were created, updated, left unchanged."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    anomalies: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def load_plan(paths: list[Path]) -> LoadResult:
    """Validate the files, then write them in one transaction; raise DataError if invalid."""
    dataset = read_dataset(paths)
    check_dataset(dataset)
    result = LoadResult(anomalies=find_anomalies(dataset))
    with transaction.atomic():
        Writer(dataset, result).write()
    return result


# --- Validation ----------------------------------------------------------------------


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
                        f"dubblett / duplicate id, also in {earlier.file}:{earlier.line or ''}",
                    )
                )
    known["focus_areas"] = {}
    for strategy in dataset["strategies"]:
        for focus_area in strategy.item.focus_areas:  # type: ignore[attr-defined]
            if focus_area.id in known["focus_areas"]:
                message = f"dubblett / duplicate focus area id «{focus_area.id}»"
                problems.append(_problem(strategy, "strategies", "focus_areas", message))
            known["focus_areas"][focus_area.id] = strategy
    for kind, field_name, nested_kind in NESTED:
        known[nested_kind] = {}
        for located in dataset[kind]:
            for index, nested in enumerate(getattr(located.item, field_name)):
                if nested.id in known[nested_kind]:
                    message = f"dubblett / duplicate id «{nested.id}»"
                    problems.append(_problem(located, kind, f"{field_name}.{index}.id", message))
                known[nested_kind][nested.id] = located
    _add_database_keys(known)

    def ref(located: Located, kind: str, field_name: str, value: str | None, target: str) -> None:
        if value is not None and value not in known[target]:
            problems.append(
                _problem(located, kind, field_name, f"okänd referens / unknown {target} «{value}»")
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
        for index, row in enumerate(located.item.rows):  # type: ignore[attr-defined]
            ref(located, "budget_tables", f"rows.{index}.unit", row.unit, "org_units")
    for located in dataset["internal_control_areas"]:
        for index, point in enumerate(located.item.points):  # type: ignore[attr-defined]
            for n, unit in enumerate(point.responsible_units):
                name = f"points.{index}.responsible_units.{n}"
                ref(located, "internal_control_areas", name, unit, "org_units")
    if problems:
        raise DataError(problems)
    problems.extend(_check_tree(dataset))
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
        for key in model.objects.values_list(KEY_FIELD.get(model, "key"), flat=True):
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
            if objective and item.goal_area and goal_area_of.get(objective) != item.goal_area:  # type: ignore[attr-defined]
                problems.append(
                    _problem(
                        located,
                        kind,
                        "objective",
                        f"«{objective}» hör inte till målområdet / not in «{item.goal_area}»",
                    )
                )  # type: ignore[attr-defined]
            if objective and not getattr(item, "goal_area", None):
                problems.append(
                    _problem(
                        located,
                        kind,
                        "goal_area",
                        "saknas när objective anges / required with objective",
                    )
                )
    for located in dataset["assignments"]:
        for index, objective in enumerate(located.item.objectives):  # type: ignore[attr-defined]
            if goal_area_of.get(objective) != located.item.goal_area:  # type: ignore[attr-defined]
                problems.append(
                    _problem(
                        located,
                        "assignments",
                        f"objectives.{index}",
                        f"«{objective}» hör inte till målområdet / is not in the goal area",
                    )
                )
    for located in dataset["actions"]:
        assignment = located.item.assignment  # type: ignore[attr-defined]
        if assignment and assignment_plan.get(assignment) != located.item.plan:  # type: ignore[attr-defined]
            problems.append(
                _problem(
                    located,
                    "actions",
                    "assignment",
                    "uppdraget hör till en annan plan / belongs to another plan",
                )
            )
    owners: dict[tuple[str, int], Located] = {}
    for located in dataset["plans"]:
        plan = located.item
        if not plan.horizon_start <= plan.year <= plan.horizon_end:  # type: ignore[attr-defined]
            problems.append(
                _problem(
                    located, "plans", "year", "utanför planeringshorisonten / outside the horizon"
                )
            )
        other = owners.setdefault((plan.owner, plan.year), located)  # type: ignore[attr-defined]
        if other is not located:
            problems.append(
                _problem(
                    located,
                    "plans",
                    "owner",
                    f"ägaren har redan en plan för året / owner has one: «{other.item.id}»",
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
        plan, key = located.item.plan, located.item.id  # type: ignore[attr-defined]
        if owner.setdefault(plan, key) != key:
            message = f"planen har redan en riskanalys / the plan has one: «{owner[plan]}»"
            problems.append(_problem(located, "risk_analyses", "plan", message))
    return problems


def _check_cycles(dataset: Dataset) -> list[Problem]:
    problems = []
    for kind in ("org_units", "plans"):
        parent = {loc.item.id: loc.item.parent for loc in dataset[kind]}  # type: ignore[attr-defined]
        for located in dataset[kind]:
            seen, node = set(), located.item.id
            while node is not None and node not in seen:
                seen.add(node)
                node = parent.get(node)
            if node is not None:
                problems.append(
                    _problem(located, kind, "parent", "cirkulär hierarki / parent cycle")
                )
    return problems


def _problem(located: Located, kind: str, field_name: str, message: str) -> Problem:
    return Problem(located.file, message, kind, located.item.id, field_name, located.line)


# --- Anomalies -----------------------------------------------------------------------


def find_anomalies(dataset: Dataset) -> list[Problem]:
    """What is odd in the data but loads anyway: dates, values, inferred origins."""
    year_of = {p.item.id: p.item.year for p in dataset["plans"]}  # type: ignore[attr-defined]
    year_of.update((k, y) for k, y in Plan.objects.values_list("key", "year") if k not in year_of)
    anomalies: list[Problem] = []
    for located in dataset["actions"]:
        action = located.item
        for name in ("start", "end"):
            raw = getattr(action, name)
            partial = normalise_date(raw, plan_year=year_of[action.plan])  # type: ignore[attr-defined]
            anomalies.extend(_problem(located, "actions", name, note) for note in partial.anomalies)
            if not raw:
                anomalies.append(_problem(located, "actions", name, "saknas / missing"))
        if not action.responsible.units:  # type: ignore[attr-defined]
            anomalies.append(
                _problem(
                    located,
                    "actions",
                    "responsible",
                    f"ingen ansvarig enhet / no responsible unit («{action.responsible.raw}»)",
                )
            )  # type: ignore[attr-defined]
    for located in dataset["indicators"]:
        indicator = located.item
        if not indicator.values:  # type: ignore[attr-defined]
            anomalies.append(_problem(located, "indicators", "values", "inga värden / no values"))
        for index, value in enumerate(indicator.values):  # type: ignore[attr-defined]
            parsed = parse_value(value.raw)
            numeric = indicator.direction != "qualitative"  # type: ignore[attr-defined]
            if numeric and parsed.number is None and not (value.women or value.men):
                what = (
                    "streck, inget värde / dash, no value"
                    if parsed.is_missing
                    else f"kvalitativt, inget tal / qualitative, no number: «{parsed.text}»"
                )
                anomalies.append(
                    _problem(located, "indicators", f"values.{index}", f"{value.label}: {what}")
                )
    for located in dataset["carried_over"]:
        if located.item.origin_inferred:  # type: ignore[attr-defined]
            anomalies.append(
                _problem(
                    located,
                    "carried_over",
                    "origin",
                    f"ursprunget «{located.item.origin}» är tolkat ur tabellens layout / inferred",
                )
            )  # type: ignore[attr-defined]
    for located in dataset["budget_tables"]:
        anomalies.extend(budget_anomalies(located))
    return anomalies


# --- Writing -------------------------------------------------------------------------


class Writer:
    """Writes a checked dataset, creating or updating by stable id, in dependency order."""

    def __init__(self, dataset: Dataset, result: LoadResult):
        self.dataset = dataset
        self.result = result
        self.ids: dict[type[models.Model], dict[str, int]] = {}
        self.status: dict[str, dict[str, str]] = {}

    def write(self) -> None:
        self.write_org_units()
        self.write_strategies()
        self.write_plans()
        self.sync(
            "goal_areas",
            GoalArea,
            lambda i: {
                "plan_id": self.id(Plan, i.plan),
                "number": i.number,
                "title": i.title,
                "ambition": i.ambition,
            },
        )
        self.sync(
            "objectives",
            Objective,
            lambda i: {
                "goal_area_id": self.id(GoalArea, i.goal_area),
                "number": i.number,
                "title": i.title,
            },
        )
        self.sync(
            "sections",
            PlanSection,
            lambda i: {
                "plan_id": self.id(Plan, i.plan),
                "kind": i.kind,
                "heading": i.heading,
                "body": i.body,
                "goal_area_id": self.id(GoalArea, i.goal_area),
                "objective_id": self.id(Objective, i.objective),
            },
        )
        self.sync(
            "governing_documents",
            GoverningDocument,
            lambda i: {
                "plan_id": self.id(Plan, i.plan),
                "category": i.category,
                "title": i.title,
                "notes": i.notes,
            },
        )
        self.write_assignments()
        self.write_actions()
        self.write_indicators()
        self.sync(
            "carried_over",
            CarriedOverAssignment,
            lambda i: {
                "plan_id": self.id(Plan, i.plan),
                "goal_area_id": self.id(GoalArea, i.goal_area),
                "title": i.title,
                "origin": i.origin,
                "origin_inferred": i.origin_inferred,
                "assignment_id": self.id(Assignment, i.assignment),
            },
        )
        self.write_budget_tables()
        self.write_risk_analyses()
        self.write_internal_control_areas()
        for kind, statuses in self.status.items():
            for status in statuses.values():
                getattr(self.result, status)[kind] += 1

    def id(self, model: type[models.Model], key: str | None) -> int | None:
        """The database id of an item by its stable id, from this load or from the database."""
        if key is None:
            return None
        known = self.ids.setdefault(model, {})
        if key not in known:
            key_field = KEY_FIELD.get(model, "key")
            known[key] = model.objects.values_list("pk", flat=True).get(**{key_field: key})
        return known[key]

    def sync(
        self, kind: str, model: type[models.Model], values_of, items: Iterable[Any] | None = None
    ) -> dict[str, models.Model]:
        """Create or update `model` rows by stable id; return the rows by id.

        An item's position is its index in its file's list (or in `items`), so that a
        file loaded alone keeps the positions it has when loaded with the others.
        """
        key_field = KEY_FIELD.get(model, "key")
        if items is None:
            positioned = [(loc.index, loc.item) for loc in self.dataset[kind]]
        else:
            positioned = list(enumerate(items))
        existing = model.objects.in_bulk([i.id for _, i in positioned], field_name=key_field)
        rows = {}
        statuses = self.status.setdefault(kind, {})
        for position, item in positioned:
            values = {**values_of(item), "position": position}
            row = existing.get(item.id)
            if row is None:
                row = model.objects.create(**{key_field: item.id}, **values)
                statuses[item.id] = "created"
            else:
                changed = [f for f, v in values.items() if getattr(row, f) != v]
                if changed:
                    for f in changed:
                        setattr(row, f, values[f])
                    row.save(update_fields=changed)
                    statuses[item.id] = "updated"
                else:
                    statuses[item.id] = "unchanged"
            rows[item.id] = row
            self.ids.setdefault(model, {})[item.id] = row.pk
        return rows

    def write_org_units(self) -> None:
        # Parents may come after their children in the files: create first, link after.
        units = list({loc.item.id: loc.item for loc in self.dataset["org_units"]}.values())
        rows = self.sync(
            "org_units",
            OrgUnit,
            lambda i: {"name": i.name, "short_name": i.short_name, "kind": i.kind},
            units,
        )
        for unit in units:
            row = rows[unit.id]
            parent_id = self.id(OrgUnit, unit.parent)
            if row.parent_id != parent_id:  # type: ignore[attr-defined]
                row.parent_id = parent_id  # type: ignore[attr-defined]
                row.save(update_fields=["parent"])
                self.touch("org_units", unit.id)

    def write_plans(self) -> None:
        plans = [loc.item for loc in self.dataset["plans"]]
        rows = self.sync(
            "plans",
            Plan,
            lambda i: {
                "owner_id": self.id(OrgUnit, i.owner),
                "year": i.year,
                "title": i.title,
                "status": i.status,
                "decision_reference": i.decision_reference,
                "horizon_start": i.horizon_start,
                "horizon_end": i.horizon_end,
            },
            plans,
        )
        for plan in plans:
            row = rows[plan.id]
            parent_id = self.id(Plan, plan.parent)
            if row.parent_id != parent_id:  # type: ignore[attr-defined]
                row.parent_id = parent_id  # type: ignore[attr-defined]
                row.save(update_fields=["parent"])
                self.touch("plans", plan.id)

    def write_strategies(self) -> None:
        strategies = [loc.item for loc in self.dataset["strategies"]]
        self.sync("strategies", Strategy, lambda i: {"title": i.title, "kind": i.kind}, strategies)
        for strategy in strategies:
            strategy_id = self.id(Strategy, strategy.id)
            self.sync(
                "focus_areas",
                FocusArea,
                lambda i, sid=strategy_id: {
                    "strategy_id": sid,
                    "number": i.number,
                    "title": i.title,
                },
                strategy.focus_areas,
            )

    def write_assignments(self) -> None:
        rows = self.sync(
            "assignments",
            Assignment,
            lambda i: {
                "plan_id": self.id(Plan, i.plan),
                "goal_area_id": self.id(GoalArea, i.goal_area),
                "kind": i.kind,
                "kind_label": i.kind_label,
                "title": i.title,
                "description": i.description,
                "origin": i.origin,
                "notes": i.notes,
            },
        )
        for located in self.dataset["assignments"]:
            item, row = located.item, rows[located.item.id]
            self.set_m2m(
                "assignments",
                item.id,
                row.objectives,
                [self.id(Objective, k) for k in item.objectives],
            )
            self.set_m2m(
                "assignments",
                item.id,
                row.focus_areas,
                [self.id(FocusArea, k) for k in item.focus_areas],
            )

    def write_actions(self) -> None:
        def values_of(i) -> dict[str, Any]:
            # Action.save() derives the normalised dates from the printed ones.
            return {
                "plan_id": self.id(Plan, i.plan),
                "goal_area_id": self.id(GoalArea, i.goal_area),
                "objective_id": self.id(Objective, i.objective),
                "assignment_id": self.id(Assignment, i.assignment),
                "text": i.text,
                "completion_criterion": i.completion_criterion,
                "responsible_raw": i.responsible.raw,
                "notes": i.notes,
                "start_raw": i.start,
                "end_raw": i.end,
            }

        rows = self.sync("actions", Action, values_of)
        for located in self.dataset["actions"]:
            item, row = located.item, rows[located.item.id]
            self.set_m2m(
                "actions",
                item.id,
                row.focus_areas,
                [self.id(FocusArea, k) for k in item.focus_areas],
            )
            wanted = [(self.id(OrgUnit, u.unit), u.role) for u in item.responsible.units]
            current = list(row.responsibilities.values_list("unit_id", "role"))
            if current != wanted:
                row.responsibilities.all().delete()
                bulk_create_with_history(
                    [
                        ActionResponsibility(action=row, unit_id=u, role=r, position=n)
                        for n, (u, r) in enumerate(wanted)
                    ],
                    ActionResponsibility,
                )
                self.touch("actions", item.id)

    def write_indicators(self) -> None:
        rows = self.sync(
            "indicators",
            Indicator,
            lambda i: {
                "plan_id": self.id(Plan, i.plan),
                "goal_area_id": self.id(GoalArea, i.goal_area),
                "objective_id": self.id(Objective, i.objective),
                "table": i.table,
                "name": i.name,
                "origin": i.origin,
                "unit": i.unit,
                "direction": i.direction,
                "responsible_raw": i.responsible.raw,
                "source": i.source,
                "interval": i.interval,
                "notes": i.notes,
            },
        )
        for located in self.dataset["indicators"]:
            item, row = located.item, rows[located.item.id]
            wanted_units = [(self.id(OrgUnit, u.unit), u.role) for u in item.responsible.units]
            if list(row.responsibilities.values_list("unit_id", "role")) != wanted_units:
                row.responsibilities.all().delete()
                bulk_create_with_history(
                    [
                        IndicatorResponsibility(indicator=row, unit_id=u, role=r, position=n)
                        for n, (u, r) in enumerate(wanted_units)
                    ],
                    IndicatorResponsibility,
                )
                self.touch("indicators", item.id)
            wanted = [value_fields(v) for v in item.values]
            current = list(row.values.values(*VALUE_FIELDS))
            if current != wanted:
                row.values.all().delete()
                bulk_create_with_history(
                    [IndicatorValue(indicator=row, position=n, **v) for n, v in enumerate(wanted)],
                    IndicatorValue,
                )
                self.touch("indicators", item.id)

    def write_budget_tables(self) -> None:
        """Tables and their rows by id; a table's columns and a row's cells are replaced
        as a whole when they changed."""
        tables = self.sync(
            "budget_tables",
            BudgetTable,
            lambda i: {
                "plan_id": self.id(Plan, i.plan),
                "kind": i.kind,
                "heading": i.heading,
                "title": i.title,
                "intro": i.intro,
                "commentary": i.commentary,
                "notes": i.notes,
            },
        )
        for located in self.dataset["budget_tables"]:
            item, table = located.item, tables[located.item.id]
            wanted = [(c.kind, c.year, c.label, c.kind_inferred) for c in item.columns]
            fields = ("kind", "year", "label", "kind_inferred")
            if list(table.columns.values_list(*fields)) != wanted:  # type: ignore[attr-defined]
                table.columns.all().delete()  # type: ignore[attr-defined]
                for position, (kind, year, label, inferred) in enumerate(wanted):
                    BudgetColumn.objects.create(
                        table=table,
                        kind=kind,
                        year=year,
                        label=label,
                        kind_inferred=inferred,
                        position=position,
                    )
                self.touch("budget_tables", item.id)
            column_of = dict(table.columns.values_list("year", "pk"))  # type: ignore[attr-defined]
            rows = self.sync(
                "budget_rows",
                BudgetRow,
                lambda r, table=table: {
                    "table_id": table.pk,
                    "kind": r.kind,
                    "label": r.label,
                    "part_of_id": self.id(BudgetRow, r.part_of),
                    "unit_id": self.id(OrgUnit, r.unit),
                    "notes": r.notes,
                },
                item.rows,
            )
            for row_item in item.rows:
                row = rows[row_item.id]
                cells = sorted((column_of[y], raw) for y, raw in row_item.values.items())
                if sorted(row.cells.values_list("column_id", "raw")) != cells:  # type: ignore[attr-defined]
                    row.cells.all().delete()  # type: ignore[attr-defined]
                    for column_id, raw in cells:
                        BudgetCell.objects.create(row=row, column_id=column_id, raw=raw)
                    self.touch("budget_rows", row_item.id)

    def write_risk_analyses(self) -> None:
        analyses = self.sync(
            "risk_analyses",
            RiskAnalysis,
            lambda i: {"plan_id": self.id(Plan, i.plan), "heading": i.heading, "intro": i.intro},
        )
        for located in self.dataset["risk_analyses"]:
            analysis = analyses[located.item.id]
            self.sync(
                "risks",
                Risk,
                lambda r, analysis=analysis: {
                    "analysis_id": analysis.pk,
                    "title": r.title,
                    "description": r.description,
                    "measures_label": r.measures_label,
                    "measures": r.measures,
                    "probability": r.probability,
                    "consequence": r.consequence,
                },
                located.item.risks,  # type: ignore[attr-defined]
            )

    def write_internal_control_areas(self) -> None:
        areas = self.sync(
            "internal_control_areas",
            InternalControlArea,
            lambda i: {
                "plan_id": self.id(Plan, i.plan),
                "title": i.title,
                "origin": i.origin,
                "description": i.description,
            },
        )
        for located in self.dataset["internal_control_areas"]:
            area = areas[located.item.id]
            points = self.sync(
                "control_points",
                InternalControlPoint,
                lambda p, area=area: {
                    "area_id": area.pk,
                    "risk": p.risk,
                    "control": p.control,
                    "method": p.method,
                    "responsible_raw": p.responsible,
                    "frequency": p.frequency,
                    "reporting": p.reporting,
                },
                located.item.points,  # type: ignore[attr-defined]
            )
            for point in located.item.points:  # type: ignore[attr-defined]
                units = [self.id(OrgUnit, u) for u in point.responsible_units]
                manager = points[point.id].responsible_units  # type: ignore[attr-defined]
                self.set_m2m("control_points", point.id, manager, units)

    def set_m2m(self, kind: str, key: str, manager: Any, ids: list[int | None]) -> None:
        if set(manager.values_list("pk", flat=True)) != set(ids):
            manager.set(ids)
            self.touch(kind, key)

    def touch(self, kind: str, key: str) -> None:
        """An item whose parent, links or rows changed counts as updated."""
        if self.status[kind].get(key) == "unchanged":
            self.status[kind][key] = "updated"


VALUE_FIELDS = (
    "kind",
    "year",
    "label",
    "raw",
    "number",
    "suffix",
    "text",
    "women_raw",
    "men_raw",
    "women",
    "men",
)


def value_fields(value) -> dict[str, Any]:
    return {
        "kind": value.kind,
        "year": value.year,
        "label": value.label,
        "raw": value.raw,
        "women_raw": value.women,
        "men_raw": value.men,
        **parsed_fields(value.raw, value.women, value.men),
    }
