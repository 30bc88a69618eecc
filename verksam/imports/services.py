"""Loading a plan's data into the database, all or nothing.

`load_plan` reads and validates every file first (shape, ids, references), then
writes everything in one transaction, matching items by their stable id: a new
id is created, a known id is updated in place when its data changed, and an
unchanged item is left alone, so loading the same files twice changes nothing.
Items are never deleted by a load. Data anomalies (odd dates, values that are
not numbers) do not stop a load; they are returned as `Problem`s to report.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, overload

from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from verksam.budget.models import BudgetCell, BudgetColumn, BudgetRow, BudgetTable
from verksam.imports.anomalies import find_anomalies
from verksam.imports.checks import KEY_FIELD, check_dataset
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

M = TypeVar("M", bound=models.Model)


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
    """Validate the files, then write them in one transaction; raise DataError if invalid.

    Should the database still refuse a row that passed every check, the transaction is
    rolled back and the refusal reported at the item being written."""
    dataset = read_dataset(paths)
    check_dataset(dataset)
    result = LoadResult(anomalies=find_anomalies(dataset))
    writer = Writer(dataset, result)
    try:
        with transaction.atomic():
            writer.write()
    except DatabaseError as error:
        raise DataError([writer.refused(error)]) from error
    return result


# --- Writing -------------------------------------------------------------------------


class Writer:
    """Writes a checked dataset, creating or updating by stable id, in dependency order."""

    def __init__(self, dataset: Dataset, result: LoadResult):
        self.dataset = dataset
        self.result = result
        self.ids: dict[type[models.Model], dict[str, int]] = {}
        self.status: dict[str, dict[str, str]] = {}
        self.current: tuple[str, str] | None = None  # the item being written

    def refused(self, error: DatabaseError) -> Problem:
        """A database refusal, located at the item that was being written."""
        message = _("the database refused: %(error)s") % {"error": error}
        if self.current is None:
            return Problem(", ".join(sorted({loc.file for loc in self._located()})), message)
        kind, key = self.current
        located = next((loc for loc in self._located() if loc.item.id == key), None)
        if located is None:  # a nested item: a table's row, an analysis's risk, a control point
            located = next(
                loc
                for loc in self._located()
                for field_name in ("rows", "risks", "points", "focus_areas")
                for nested in getattr(loc.item, field_name, [])
                if nested.id == key
            )
        return Problem(located.file, message, kind, key, "", located.line)

    def _located(self) -> list[Located]:
        return [loc for items in self.dataset.items.values() for loc in items]

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

    @overload
    def id(self, model: type[models.Model], key: str) -> int: ...
    @overload
    def id(self, model: type[models.Model], key: None) -> None: ...
    @overload
    def id(self, model: type[models.Model], key: str | None) -> int | None: ...

    def id(self, model: type[models.Model], key: str | None) -> int | None:
        """The database id of an item by its stable id, from this load or from the database."""
        if key is None:
            return None
        known = self.ids.setdefault(model, {})
        if key not in known:
            key_field = KEY_FIELD.get(model, "key")
            known[key] = model._default_manager.values_list("pk", flat=True).get(**{key_field: key})
        return known[key]

    def sync(
        self,
        kind: str,
        model: type[M],
        values_of: Callable[..., dict[str, Any]],
        items: Iterable[Any] | None = None,
    ) -> dict[str, M]:
        """Create or update `model` rows by stable id; return the rows by id.

        An item's position is its index in its file's list (or in `items`), so that a
        file loaded alone keeps the positions it has when loaded with the others.
        """
        key_field = KEY_FIELD.get(model, "key")
        if items is None:
            positioned = [(loc.index, loc.item) for loc in self.dataset[kind]]
        else:
            positioned = list(enumerate(items))
        existing = model._default_manager.in_bulk(
            [i.id for _, i in positioned], field_name=key_field
        )
        rows = {}
        statuses = self.status.setdefault(kind, {})
        for position, item in positioned:
            self.current = (kind, item.id)
            values = {**values_of(item), "position": position}
            row = existing.get(item.id)
            if row is None:
                row = model._default_manager.create(**{key_field: item.id}, **values)
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
            self.current = ("assignments", located.item.id)
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
            self.current = ("actions", located.item.id)
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
            self.current = ("indicators", located.item.id)
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
            self.current = ("budget_tables", located.item.id)
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
                self.current = ("budget_rows", row_item.id)
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
            self.current = ("risk_analyses", located.item.id)
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
            self.current = ("internal_control_areas", located.item.id)
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
        self.current = (kind, key)
        if set(manager.values_list("pk", flat=True)) != set(ids):
            manager.set(ids)
            self.touch(kind, key)

    def touch(self, kind: str, key: str) -> None:
        """An item whose parent, links or rows changed counts as updated."""
        self.current = (kind, key)
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
    "split_labels",
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
        "split_labels": value.split_labels or "",
        "women_raw": value.women,
        "men_raw": value.men,
        **parsed_fields(value.raw, value.women, value.men),
    }
