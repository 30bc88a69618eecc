"""Loading a plan's data into the database, all or nothing.

`load_plan` reads and validates every file first (shape, ids, references), then
writes everything in one transaction, matching items by their stable id: a new
id is created, a known id is updated in place when its data changed, and an
unchanged item is left alone, so loading the same files twice changes nothing.
Items are never deleted by a load. Data anomalies (odd dates, values that are
not numbers) do not stop a load; they are returned as `Problem`s to report.

A decided or archived plan is read-only (`plans.models.PlanLocked`): loading it again
unchanged is allowed and changes nothing, and it may be archived; any other change to it
or its content is refused at the item, pointing to amendments. A plan the load creates
is written as a draft and takes the status of its file at the end, so that a decided
plan's content can be loaded into an empty database.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, overload

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from verksam.budget.models import BudgetCell, BudgetColumn, BudgetRow, BudgetTable, amount_of
from verksam.imports.anomalies import find_anomalies
from verksam.imports.checks import KEY_FIELD, check_dataset
from verksam.imports.checks import NESTED as CHECKED_NESTED
from verksam.imports.sources import DataError, Dataset, Located, Problem, read_dataset
from verksam.indicators.models import (
    Indicator,
    IndicatorResponsibility,
    IndicatorValue,
    parsed_fields,
)
from verksam.organisation.models import OrgUnit
from verksam.planning.services import require_no_open_comments, take_snapshot
from verksam.plans.models import (
    DATE_FIELDS,
    Action,
    ActionResponsibility,
    Assignment,
    CarriedOverAssignment,
    FocusArea,
    GoalArea,
    GoverningDocument,
    Objective,
    Plan,
    PlanLocked,
    PlanSection,
    PlanSnapshot,
    Strategy,
    is_amending,
)
from verksam.risks.models import InternalControlArea, InternalControlPoint, Risk, RiskAnalysis
from verksam.search.services import SOURCE_OF, index_items

M = TypeVar("M", bound=models.Model)


@dataclass
class LoadResult:
    """What a load did: per kind how many items were created, updated, left unchanged."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    anomalies: list[Problem] = field(default_factory=list)
    # Per kind, each item's id and whether it was created, updated or left unchanged.
    items: dict[str, dict[str, str]] = field(default_factory=dict)
    # The plans (by id) whose content, or themselves, the load created or changed.
    touched_plans: set[str] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


# The steps of a plan's life whose content is stored (`PlanSnapshot`) when a load moves a
# board's plan there.
STEPS: dict[str, str] = {Plan.Status.REVIEW: PlanSnapshot.Event.REVIEW,
                         Plan.Status.DECIDED: PlanSnapshot.Event.DECISION}  # fmt: skip


def load_plan(paths: list[Path]) -> LoadResult:
    """Validate the files, then write them in one transaction; raise DataError if invalid.

    Should the database still refuse a row that passed every check, the transaction is
    rolled back and the refusal reported at the item being written."""
    return load_dataset(read_dataset(paths))


def load_dataset(
    dataset: Dataset,
    *,
    dry_run: bool = False,
    authorise: Callable[[LoadResult], None] | None = None,
) -> LoadResult:
    """Check a dataset read from files (or a workbook) and write it in one transaction.

    `dry_run`: write it and roll back, to say what a load would create and change.
    `authorise` is called with the result before the transaction ends (the plans and units
    the load touched are then in the database); it raises to refuse, rolling back."""
    check_dataset(dataset)
    result = LoadResult(anomalies=find_anomalies(dataset))
    writer = Writer(dataset, result)
    try:
        with transaction.atomic():
            writer.write()
            if authorise is not None:
                authorise(result)
            if dry_run:
                transaction.set_rollback(True)
    except DatabaseError as error:
        raise DataError([writer.refused(error)]) from error
    except PlanLocked as error:
        message = _(
            "the plan %(plan)s is decided: it changes only by an amendment (verksam plan amend)"
        ) % {"plan": error.plan_key}
        raise DataError([writer.located(message)]) from error
    except ValidationError as error:  # a status change the plan's life does not allow
        raise DataError([writer.located(" ".join(error.messages))]) from error
    return result


# --- Writing -------------------------------------------------------------------------


class Writer:
    """Writes a checked dataset, creating or updating by stable id, in dependency order.

    Each kind is read in one query, compared in memory and written in bulk (with its history
    records and search documents), so that a load that changes nothing runs the same number
    of queries whatever the size of the data, and a first load a few per kind. Links to
    other items (m2m) that changed are set one item at a time, for their history."""

    def __init__(self, dataset: Dataset, result: LoadResult):
        self.dataset = dataset
        self.result = result
        self.ids: dict[type[models.Model], dict[str, int]] = {}
        self.read: set[type[models.Model]] = set()  # models whose keys were all read
        self.status: dict[str, dict[str, str]] = {}
        self.current: tuple[str, str | None] | None = None  # the item (or kind) being written
        self.stored_status: dict[str, str] = {}  # the plans' statuses before the load

    def refused(self, error: DatabaseError) -> Problem:
        """A database refusal, located at the item that was being written (or at the files
        of the kind being written in bulk)."""
        return self.located(_("the database refused: %(error)s") % {"error": error})

    def located(self, message: str) -> Problem:
        """A problem located at the item (or the files of the kind) being written."""
        if self.current is None:
            return Problem(", ".join(sorted({loc.file for loc in self._located()})), message)
        kind, key = self.current
        if key is None:
            kind_in_files = NESTED.get(kind, kind)
            files = {loc.file for loc in self.dataset.items.get(kind_in_files, [])}
            return Problem(", ".join(sorted(files or {loc.file for loc in self._located()})),
                           message, kind)  # fmt: skip
        located = next((loc for loc in self._located() if loc.item.id == key), None)
        if located is None:  # a nested item: a table's row, an analysis's risk, a control point
            located = next(
                loc
                for loc in self._located()
                for field_name in ("rows", "risks", "points", "focus_areas")
                for nested in getattr(loc.item, field_name, [])
                # an assignment's or action's focus_areas are ids, a strategy's are items
                if getattr(nested, "id", None) == key
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
        self.refuse_changes_to_decided_plans()
        self.write_plan_statuses()
        for kind, statuses in self.status.items():
            for status in statuses.values():
                getattr(self.result, status)[kind] += 1
        self.result.items = {kind: dict(statuses) for kind, statuses in self.status.items()}
        if not self.result.changed:
            return
        plan_of = self.plan_keys()
        self.result.touched_plans = {
            plan_of[kind, key]
            for kind, statuses in self.status.items()
            for key, status in statuses.items()
            if status != "unchanged" and plan_of.get((kind, key))
        }

    @overload
    def id(self, model: type[models.Model], key: str) -> int: ...
    @overload
    def id(self, model: type[models.Model], key: None) -> None: ...
    @overload
    def id(self, model: type[models.Model], key: str | None) -> int | None: ...

    def id(self, model: type[models.Model], key: str | None) -> int | None:
        """The database id of an item by its stable id, from this load or from the database
        (whose keys of `model` are read once, in one query, at the first item not loaded)."""
        if key is None:
            return None
        known = self.ids.setdefault(model, {})
        if key not in known and model not in self.read:
            key_field = KEY_FIELD.get(model, "key")
            for other, pk in model._default_manager.values_list(key_field, "pk"):
                known.setdefault(other, pk)
            self.read.add(model)
        if key not in known:
            raise ObjectDoesNotExist(f"{model.__name__} «{key}»")
        return known[key]

    def sync(
        self,
        kind: str,
        model: type[M],
        values_of: Callable[..., dict[str, Any]],
        items: Iterable[tuple[int, Any]] | None = None,
    ) -> dict[str, M]:
        """Create or update `model` rows by stable id, in bulk; return the rows by id.

        An item's position is its index in its file's list (`items` gives the positions of
        items that are not a file's list), so that a file loaded alone keeps the positions
        it has when loaded with the others."""
        key_field = KEY_FIELD.get(model, "key")
        if items is None:
            positioned = [(loc.index, loc.item) for loc in self.dataset[kind]]
        else:
            positioned = list(items)
        existing = model._default_manager.in_bulk(
            [i.id for _, i in positioned], field_name=key_field
        )
        rows: dict[str, M] = {}
        created: list[M] = []
        updated: list[M] = []
        fields: set[str] = set()
        statuses = self.status.setdefault(kind, {})
        for position, item in positioned:
            self.current = (kind, item.id)
            values = {**values_of(item), "position": position}
            row = existing.get(item.id)
            if row is None:
                row = model(**{key_field: item.id}, **values)
                created.append(row)
                statuses[item.id] = "created"
            else:
                changed = [f for f, v in values.items() if getattr(row, f) != v]
                for f in changed:
                    setattr(row, f, values[f])
                if changed:
                    updated.append(row)
                    fields.update(changed)
                statuses[item.id] = "updated" if changed else "unchanged"
            rows[item.id] = row
        self.current = (kind, None)
        if model is Action:
            fields |= self.normalise_dates(created, updated, fields)  # type: ignore[arg-type]  # actions only
        self.save(model, created, updated, fields)
        self.ids.setdefault(model, {}).update((key, row.pk) for key, row in rows.items())
        return rows

    def per_plan(self, kind: str) -> list[tuple[int, Any]]:
        """Items with their position among their plan's items of the kind: one file may hold
        several plans' (the seed's budget.yaml and risks.yaml), a workbook is read per plan,
        and either gives a plan's tables the same positions."""
        seen: Counter[str] = Counter()
        positioned = []
        for loc in self.dataset[kind]:
            positioned.append((seen[loc.item.plan], loc.item))
            seen[loc.item.plan] += 1
        return positioned

    def save(self, model: type[M], created: list[M], updated: list[M], fields: set[str]) -> None:
        """Write new and changed rows in bulk, with their history and search documents."""
        if created:
            bulk_create_with_history(created, model)
        if updated:
            bulk_update_with_history(updated, model, sorted(fields))
        if model in SOURCE_OF and (created or updated):
            index_items([*created, *updated])

    def normalise_dates(
        self, created: list[Action], updated: list[Action], fields: set[str]
    ) -> set[str]:
        """What Action.save() does, for rows written in bulk: the normalised dates from the
        printed ones (read with their plan's year); returns the fields that may change."""
        plans = Plan.objects.in_bulk({a.plan_id for a in [*created, *updated]})
        redated = created + (updated if {"start_raw", "end_raw", "plan_id"} & fields else [])
        for action in redated:
            action.plan = plans[action.plan_id]
            action.normalise_dates()
        return set(DATE_FIELDS) if updated and redated else set()

    def write_org_units(self) -> None:
        # Parents may come after their children in the files: create first, link after.
        units = list({loc.item.id: loc.item for loc in self.dataset["org_units"]}.values())
        rows = self.sync(
            "org_units",
            OrgUnit,
            lambda i: {"name": i.name, "short_name": i.short_name, "kind": i.kind},
            enumerate(units),
        )
        self.link_parents("org_units", OrgUnit, rows, {u.id: u.parent for u in units})

    def link_parents(
        self,
        kind: str,
        model: type[models.Model],
        rows: dict[str, Any],
        parents: dict[str, str | None],
        field_name: str = "parent",
    ) -> None:
        """Set each row's parent (written after the rows: a parent may come later)."""
        changed = []
        for key, parent in parents.items():
            row, parent_id = rows[key], self.id(model, parent)
            if getattr(row, f"{field_name}_id") != parent_id:
                setattr(row, f"{field_name}_id", parent_id)
                changed.append(row)
                self.touch(kind, key)
        self.current = (kind, None)
        if changed:
            bulk_update_with_history(changed, model, [field_name])

    def write_plans(self) -> None:
        plans = [loc.item for loc in self.dataset["plans"]]
        # Content is written while a plan keeps its stored status (a new one: draft);
        # `write_plan_statuses` sets the files' statuses at the end.
        known = list(
            Plan.objects.filter(key__in=[p.id for p in plans]).values_list(
                "key", "status", "position"
            )
        )
        stored = {key: status for key, status, _ in known}
        # A stored plan keeps its place among the board's parts: a file or workbook of one
        # office's plan lists the board's plan and that part only, not the others.
        placed = {key: position for key, _, position in known}
        self.stored_status = stored
        rows = self.sync(
            "plans",
            Plan,
            lambda i: {
                "owner_id": self.id(OrgUnit, i.owner),
                "year": i.year,
                "title": i.title,
                "status": stored.get(i.id, Plan.Status.DRAFT),
                "decided_by": i.decided_by,
                "decided_on": i.decided_on,
                "decision_reference": i.decision_reference,
                "horizon_start": i.horizon_start,
                "horizon_end": i.horizon_end,
            },
            [(placed.get(p.id, n), p) for n, p in enumerate(plans)],
        )
        self.link_parents("plans", Plan, rows, {p.id: p.parent for p in plans})

    def refuse_changes_to_decided_plans(self) -> None:
        """Raise `PlanLocked` at the first item this load created or updated in a plan
        that is decided or archived (rolling the load back): the loader writes in bulk,
        past the rows' own check (`plans.models.PlanContent`)."""
        if not any(status != "unchanged" for st in self.status.values() for status in st.values()):
            return
        locked = {
            key
            for key, pk in Plan.objects.filter(status__in=Plan.LOCKED).values_list("key", "pk")
            if not is_amending(pk)
        }
        if not locked:
            return
        plan_of = self.plan_keys()
        for kind, statuses in self.status.items():
            for key, status in statuses.items():
                plan = plan_of.get((kind, key))
                if status != "unchanged" and plan in locked:
                    self.current = (kind, key)
                    raise PlanLocked(plan)

    def plan_keys(self) -> dict[tuple[str, str], str]:
        """The plan (by key) of every item of the files that belongs to a plan."""
        area_plan = dict(GoalArea.objects.values_list("key", "plan__key"))
        area_plan |= {loc.item.id: loc.item.plan for loc in self.dataset["goal_areas"]}
        plan_of = {("plans", loc.item.id): loc.item.id for loc in self.dataset["plans"]}
        for kind, items in self.dataset.items.items():
            for loc in items:
                if kind == "objectives":
                    plan_of[kind, loc.item.id] = area_plan.get(loc.item.goal_area, "")
                elif kind != "plans" and hasattr(loc.item, "plan"):
                    plan_of[kind, loc.item.id] = loc.item.plan
        for kind, field_name, nested_kind in CHECKED_NESTED:
            for loc in self.dataset[kind]:
                for nested in getattr(loc.item, field_name):
                    plan_of[nested_kind, nested.id] = loc.item.plan
        return plan_of

    def write_plan_statuses(self) -> None:
        """Each plan takes its file's status. A plan this load created takes it as it is
        (the file records a decision taken); a plan stored before moves only along its life
        (`Plan.move_to`), is decided only with no review comment open, and a board's plan
        sent to review or decided stores its content to compare with, as through
        `planning.services`."""
        moving = [
            loc.item
            for loc in self.dataset["plans"]
            if self.stored_status.get(loc.item.id, Plan.Status.DRAFT) != loc.item.status
        ]
        rows = Plan.objects.in_bulk([i.id for i in moving], field_name="key") if moving else {}
        steps = []
        for item in moving:
            self.current = ("plans", item.id)
            row = rows[item.id]
            if item.id in self.stored_status:
                row.move_to(item.status)
                if row.status == Plan.Status.DECIDED:
                    require_no_open_comments(row)
                if row.parent_id is None and row.status in STEPS:
                    steps.append(row)
            else:
                row.status = item.status
            row.save(update_fields=["status"])
            self.touch("plans", item.id)
        for row in steps:
            take_snapshot(row, STEPS[row.status], actor=AnonymousUser())

    def write_strategies(self) -> None:
        strategies = [loc.item for loc in self.dataset["strategies"]]
        self.sync(
            "strategies",
            Strategy,
            lambda i: {"title": i.title, "kind": i.kind},
            enumerate(strategies),
        )
        strategy_of = {f.id: s.id for s in strategies for f in s.focus_areas}
        self.sync(
            "focus_areas",
            FocusArea,
            lambda i: {
                "strategy_id": self.id(Strategy, strategy_of[i.id]),
                "number": i.number,
                "title": i.title,
            },
            ((n, f) for s in strategies for n, f in enumerate(s.focus_areas)),
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
        items = [loc.item for loc in self.dataset["assignments"]]
        self.sync_links(
            "assignments",
            Assignment,
            rows,
            {
                "objectives": {i.id: {self.id(Objective, k) for k in i.objectives} for i in items},
                "focus_areas": {
                    i.id: {self.id(FocusArea, k) for k in i.focus_areas} for i in items
                },
            },
        )

    def write_actions(self) -> None:
        def values_of(i) -> dict[str, Any]:
            # The normalised dates are derived from the printed ones (normalise_dates).
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
        items = [loc.item for loc in self.dataset["actions"]]
        self.sync_links(
            "actions",
            Action,
            rows,
            {"focus_areas": {i.id: {self.id(FocusArea, k) for k in i.focus_areas} for i in items}},
        )
        self.sync_children(
            "actions",
            ActionResponsibility,
            "action",
            ("unit_id", "role"),
            {
                i.id: (
                    rows[i.id].pk,
                    [(self.id(OrgUnit, u.unit), u.role) for u in i.responsible.units],
                )
                for i in items
            },
        )

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
        items = [loc.item for loc in self.dataset["indicators"]]
        self.sync_children(
            "indicators",
            IndicatorResponsibility,
            "indicator",
            ("unit_id", "role"),
            {
                i.id: (
                    rows[i.id].pk,
                    [(self.id(OrgUnit, u.unit), u.role) for u in i.responsible.units],
                )
                for i in items
            },
        )
        self.sync_children(
            "indicators",
            IndicatorValue,
            "indicator",
            VALUE_FIELDS,
            {
                i.id: (
                    rows[i.id].pk,
                    [tuple(value_fields(v)[f] for f in VALUE_FIELDS) for v in i.values],
                )
                for i in items
            },
        )

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
            self.per_plan("budget_tables"),
        )
        items = [loc.item for loc in self.dataset["budget_tables"]]
        self.sync_children(
            "budget_tables",
            BudgetColumn,
            "table",
            ("kind", "year", "label", "kind_inferred"),
            {
                i.id: (
                    tables[i.id].pk,
                    [(c.kind, c.year, c.label, c.kind_inferred) for c in i.columns],
                )
                for i in items
            },
        )
        column_of = {
            (table_id, year): pk
            for table_id, year, pk in BudgetColumn.objects.filter(
                table__in=[t.pk for t in tables.values()]
            ).values_list("table_id", "year", "pk")
        }
        table_of = {r.id: tables[i.id] for i in items for r in i.rows}
        row_items = [(n, r) for i in items for n, r in enumerate(i.rows)]
        rows = self.sync(
            "budget_rows",
            BudgetRow,
            lambda r: {
                "table_id": table_of[r.id].pk,
                "kind": r.kind,
                "label": r.label,
                "unit_id": self.id(OrgUnit, r.unit),
                "notes": r.notes,
            },
            row_items,
        )
        # A part may come before the row it is part of: link after both are written.
        self.link_parents(
            "budget_rows", BudgetRow, rows, {r.id: r.part_of for _, r in row_items}, "part_of"
        )
        self.sync_children(
            "budget_rows",
            BudgetCell,
            "row",
            ("column_id", "raw"),
            {
                r.id: (
                    rows[r.id].pk,
                    sorted((column_of[(table_of[r.id].pk, y)], raw) for y, raw in r.values.items()),
                )
                for _, r in row_items
            },
            ordered=False,
        )

    def write_risk_analyses(self) -> None:
        analyses = self.sync(
            "risk_analyses",
            RiskAnalysis,
            lambda i: {"plan_id": self.id(Plan, i.plan), "heading": i.heading, "intro": i.intro},
            self.per_plan("risk_analyses"),
        )
        items = [loc.item for loc in self.dataset["risk_analyses"]]
        analysis_of = {r.id: analyses[i.id] for i in items for r in i.risks}
        self.sync(
            "risks",
            Risk,
            lambda r: {
                "analysis_id": analysis_of[r.id].pk,
                "title": r.title,
                "description": r.description,
                "measures_label": r.measures_label,
                "measures": r.measures,
                "probability": r.probability,
                "consequence": r.consequence,
            },
            ((n, r) for i in items for n, r in enumerate(i.risks)),
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
            self.per_plan("internal_control_areas"),
        )
        items = [loc.item for loc in self.dataset["internal_control_areas"]]
        area_of = {p.id: areas[i.id] for i in items for p in i.points}
        points = self.sync(
            "control_points",
            InternalControlPoint,
            lambda p: {
                "area_id": area_of[p.id].pk,
                "risk": p.risk,
                "control": p.control,
                "method": p.method,
                "responsible_raw": p.responsible,
                "frequency": p.frequency,
                "reporting": p.reporting,
            },
            ((n, p) for i in items for n, p in enumerate(i.points)),
        )
        self.sync_links(
            "control_points",
            InternalControlPoint,
            points,
            {
                "responsible_units": {
                    p.id: {self.id(OrgUnit, u) for u in p.responsible_units}
                    for i in items
                    for p in i.points
                }
            },
        )

    def sync_links(
        self,
        kind: str,
        model: type[models.Model],
        rows: dict[str, Any],
        wanted: dict[str, dict[str, set[int]]],
    ) -> None:
        """Set the many-to-many links (field name: item key: linked ids) of the rows.

        New rows get their links in bulk, with one history record each that holds them (as
        the manager's `set` would record). Rows that existed are compared with their
        current links, read in one query per field; a changed row's links are set through
        its manager, so that its history records the change."""
        created = [key for key in rows if self.status[kind][key] == "created"]
        if created:
            self.current = (kind, None)
            links = {}
            for name, ids in wanted.items():
                through, source, target = through_of(getattr(model, name))
                links[name] = through._default_manager.bulk_create(
                    through(**{f"{source}_id": rows[key].pk, f"{target}_id": pk})
                    for key in created
                    for pk in sorted(ids[key])
                )
            linked = [rows[key] for key in created if any(ids[key] for ids in wanted.values())]
            history = model.history  # type: ignore[attr-defined]  # simple-history's manager, made at run time
            records = {r.id: r for r in history.bulk_history_create(linked, update=True)}
            for name, made in links.items():
                through, source, _ = through_of(getattr(model, name))
                snapshot = getattr(history.model, name).model
                fields = [f.attname for f in through._meta.fields]
                snapshot.objects.bulk_create(
                    snapshot(history=records[getattr(link, f"{source}_id")],
                             **{f: getattr(link, f) for f in fields})
                    for link in made
                )  # fmt: skip
        known = set(created)
        for name, ids in wanted.items():
            through, source, target = through_of(getattr(model, name))
            current: dict[int, set[int]] = defaultdict(set)
            pks = [row.pk for key, row in rows.items() if key not in known]
            for source_id, target_id in through._default_manager.filter(
                **{f"{source}__in": pks}
            ).values_list(f"{source}_id", f"{target}_id"):
                current[source_id].add(target_id)
            for key, row in rows.items():
                if key not in known and current[row.pk] != ids[key]:
                    self.current = (kind, key)
                    getattr(row, name).set(ids[key])
                    self.touch(kind, key)

    def sync_children(
        self,
        kind: str,
        model: type[models.Model],
        parent: str,
        fields: tuple[str, ...],
        wanted: dict[str, tuple[int, list[tuple[Any, ...]]]],
        ordered: bool = True,
    ) -> None:
        """Replace the rows of `model` under each item (parent id, the rows' `fields` in
        order) whose rows differ: all are read in one query; the changed items' rows are
        deleted and created again in bulk, with history."""
        current: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        parents = [pk for pk, _ in wanted.values()]
        order = ("position",) if ordered else ()
        for parent_id, *values in (
            model._default_manager.filter(**{f"{parent}__in": parents})
            .order_by(parent, *order, "pk")
            .values_list(f"{parent}_id", *fields)
        ):
            current[parent_id].append(tuple(values))
        stale = {}
        for key, (pk, rows) in wanted.items():
            have = current[pk] if ordered else sorted(current[pk])
            if have != rows:
                stale[key] = (pk, rows)
        if not stale:
            return
        self.current = (kind, None)
        model._default_manager.filter(
            **{f"{parent}__in": [pk for pk, _ in stale.values()]}
        ).delete()
        bulk_create_with_history(
            [child(model, parent, pk, n, dict(zip(fields, values, strict=True)))
             for pk, rows in stale.values() for n, values in enumerate(rows)],
            model,
        )  # fmt: skip
        for key in stale:
            self.touch(kind, key)

    def touch(self, kind: str, key: str) -> None:
        """An item whose parent, links or rows changed counts as updated."""
        if self.status[kind].get(key) == "unchanged":
            self.status[kind][key] = "updated"


# Nested kinds, written with the kind of item that holds them in the files.
NESTED = {
    "focus_areas": "strategies",
    "budget_rows": "budget_tables",
    "risks": "risk_analyses",
    "control_points": "internal_control_areas",
}


def through_of(relation: Any) -> tuple[type[models.Model], str, str]:
    """A many-to-many relation's table and the names of its two foreign keys."""
    field = relation.field
    return relation.through, field.m2m_field_name(), field.m2m_reverse_field_name()


def child(
    model: type[models.Model], parent: str, parent_id: int, position: int, values: dict[str, Any]
) -> models.Model:
    """A new child row (a responsibility, value, column or cell) under its parent; a budget
    cell's number is read from its printed figure, as BudgetCell.save() does."""
    if model is BudgetCell:
        return BudgetCell(**{f"{parent}_id": parent_id}, **values, number=amount_of(values["raw"]))
    return model(**{f"{parent}_id": parent_id}, position=position, **values)


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
