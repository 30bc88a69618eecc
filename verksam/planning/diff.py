"""What changed between two states of a plan: two years' plans (2022 against 2023), or a
plan now against the state stored at a step of its life (sent to review, decided,
amended: `plans.PlanSnapshot`).

A state (`plan_state`) is plain JSON: per kind of item, the items by id, each a dict of
its fields as text (links as ids, responsible units as "UNIT (role)", indicator values as
"kind year label: value"). Ids are compared with the plan's year replaced by `{year}`, so
`ksk-2022-1.1-u1` and `ksk-2023-1.1-u1` are the same item in two years' plans. Texts are
compared as they are.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from verksam.indicators.models import Indicator, IndicatorValue
from verksam.plans.models import (
    Action,
    ActionResponsibility,
    Assignment,
    CarriedOverAssignment,
    GoalArea,
    GoverningDocument,
    Objective,
    Plan,
    PlanSection,
    PlanSnapshot,
)

State = dict[str, Any]

# The kinds in the order a diff lists them, with their names for people.
KINDS: dict[str, Any] = {
    "plan": _("plan"),
    "goal_area": _("goal area"),
    "objective": _("objective"),
    "section": _("plan section"),
    "governing_document": _("governing document"),
    "assignment": _("assignment"),
    "action": _("action"),
    "indicator": _("indicator"),
    "carried_over": _("carried-over assignment"),
}

# The fields of each kind a diff compares, with the model whose verbose names label them.
FIELDS: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "plan": (Plan, ("title", "owner", "parent", "status", "horizon_start", "horizon_end",
                    "decided_by", "decided_on", "decision_reference")),
    "goal_area": (GoalArea, ("plan", "number", "title", "ambition")),
    "objective": (Objective, ("goal_area", "number", "title")),
    "section": (PlanSection, ("plan", "kind", "goal_area", "objective", "heading", "body")),
    "governing_document": (GoverningDocument, ("plan", "category", "title", "notes")),
    "assignment": (Assignment, ("plan", "goal_area", "objectives", "kind", "kind_label",
                                "title", "description", "origin", "focus_areas", "notes")),
    "action": (Action, ("plan", "goal_area", "objective", "assignment", "text",
                        "completion_criterion", "responsible_raw", "responsible_units",
                        "start_raw", "end_raw", "focus_areas", "notes")),
    "indicator": (Indicator, ("plan", "goal_area", "objective", "table", "name", "origin",
                              "unit", "direction", "responsible_raw", "responsible_units",
                              "source", "interval", "values", "notes")),
    "carried_over": (CarriedOverAssignment, ("plan", "goal_area", "title", "origin",
                                             "assignment")),
}  # fmt: skip


def field_label(kind: str, name: str) -> str:
    """A field's name for people (its model's verbose name)."""
    model, _fields = FIELDS[kind]
    if name == "values":
        return str(_("values"))
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _key(row: Any) -> str | None:
    return row.key if row is not None else None


def _text(value: Any) -> Any:
    if value is None or isinstance(value, str | int | list):
        return value
    return str(value)


def plan_state(plan: Plan) -> State:
    """The content of a board's plan and its parts (or of one part), as JSON-able data:
    `{"year": …, "items": {kind: {id: {field: value}}}}`. A fixed number of queries."""
    family = list(Plan.objects.family(plan).select_related("owner", "parent"))
    plans = [p.pk for p in family]
    items: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
    for p in family:
        items["plan"][p.key] = {
            "title": p.title,
            "owner": p.owner.code,
            "parent": _key(p.parent),
            "status": p.status,
            "horizon_start": p.horizon_start,
            "horizon_end": p.horizon_end,
            "decided_by": p.decided_by,
            "decided_on": p.decided_on.isoformat() if p.decided_on else None,
            "decision_reference": p.decision_reference,
        }
    for area in (
        GoalArea.objects.filter(plan__in=plans).select_related("plan").order_by("position", "pk")
    ):
        items["goal_area"][area.key] = {
            "plan": area.plan.key,
            "number": area.number,
            "title": area.title,
            "ambition": area.ambition,
        }
    for objective in (
        Objective.objects.filter(goal_area__plan__in=plans)
        .select_related("goal_area")
        .order_by("goal_area__position", "position", "pk")
    ):
        items["objective"][objective.key] = {
            "goal_area": objective.goal_area.key,
            "number": objective.number,
            "title": objective.title,
        }
    for section in (
        PlanSection.objects.filter(plan__in=plans)
        .select_related("plan", "goal_area", "objective")
        .in_document_order()
    ):
        items["section"][section.key] = {
            "plan": section.plan.key,
            "kind": section.kind,
            "goal_area": _key(section.goal_area),
            "objective": _key(section.objective),
            "heading": section.heading,
            "body": section.body,
        }
    for document in (
        GoverningDocument.objects.filter(plan__in=plans).select_related("plan").in_document_order()
    ):
        items["governing_document"][document.key] = {
            "plan": document.plan.key,
            "category": document.category,
            "title": document.title,
            "notes": document.notes,
        }
    for assignment in (
        Assignment.objects.filter(plan__in=plans)
        .select_related("plan", "goal_area")
        .prefetch_related("objectives", "focus_areas")
        .in_document_order()
    ):
        items["assignment"][assignment.key] = {
            "plan": assignment.plan.key,
            "goal_area": assignment.goal_area.key,
            "objectives": [o.key for o in assignment.objectives.all()],
            "kind": assignment.kind,
            "kind_label": assignment.kind_label,
            "title": assignment.title,
            "description": assignment.description,
            "origin": assignment.origin,
            "focus_areas": [f.key for f in assignment.focus_areas.all()],
            "notes": assignment.notes,
        }
    responsibilities = Prefetch(
        "responsibilities",
        queryset=ActionResponsibility.objects.select_related("unit").order_by("position", "pk"),
    )
    for action in (
        Action.objects.filter(plan__in=plans)
        .select_related("plan", "goal_area", "objective", "assignment")
        .prefetch_related(responsibilities, "focus_areas")
        .in_document_order()
    ):
        items["action"][action.key] = {
            "plan": action.plan.key,
            "goal_area": action.goal_area.key,
            "objective": _key(action.objective),
            "assignment": _key(action.assignment),
            "text": action.text,
            "completion_criterion": action.completion_criterion,
            "responsible_raw": action.responsible_raw,
            "responsible_units": [
                f"{r.unit.code} ({r.role})" for r in action.responsibilities.all()
            ],
            "start_raw": action.start_raw,
            "end_raw": action.end_raw,
            "focus_areas": [f.key for f in action.focus_areas.all()],
            "notes": action.notes,
        }
    values = Prefetch("values", queryset=IndicatorValue.objects.order_by("position", "pk"))
    for indicator in (
        Indicator.objects.filter(plan__in=plans)
        .select_related("plan", "goal_area", "objective")
        .prefetch_related(values, "responsibilities__unit")
        .in_document_order()
    ):
        items["indicator"][indicator.key] = {
            "plan": indicator.plan.key,
            "goal_area": _key(indicator.goal_area),
            "objective": _key(indicator.objective),
            "table": indicator.table,
            "name": indicator.name,
            "origin": indicator.origin,
            "unit": indicator.unit,
            "direction": indicator.direction,
            "responsible_raw": indicator.responsible_raw,
            "responsible_units": [
                f"{r.unit.code} ({r.role})" for r in indicator.responsibilities.all()
            ],
            "source": indicator.source,
            "interval": indicator.interval,
            "values": [f"{v.kind} {v.year} {v.label}: {v.raw}" for v in indicator.values.all()],
            "notes": indicator.notes,
        }
    for row in (
        CarriedOverAssignment.objects.filter(plan__in=plans)
        .select_related("plan", "goal_area", "assignment")
        .in_document_order()
    ):
        items["carried_over"][row.key] = {
            "plan": row.plan.key,
            "goal_area": row.goal_area.key,
            "title": row.title,
            "origin": row.origin,
            "assignment": _key(row.assignment),
        }
    return {"plan": plan.key, "year": plan.year, "items": items}


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ItemChange:
    """One item added, removed or changed (then its fields, before → after)."""

    kind: str
    key: str
    change: str  # "added", "removed", "changed"
    title: str
    fields: tuple[FieldChange, ...] = ()

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def change_label(self) -> str:
        return str(CHANGE_LABELS[self.change])

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "change": self.change,
            "title": self.title,
            "fields": {f.name: [f.before, f.after] for f in self.fields},
        }


CHANGE_LABELS = {"added": _("added"), "removed": _("removed"), "changed": _("changed")}
TITLE_FIELDS = ("title", "text", "name", "heading")


def _generic(value: Any, year: int) -> Any:
    """Ids (and texts) with the plan's year as `{year}`, to compare two years' plans."""
    if isinstance(value, str):
        return re.sub(rf"(?<!\d){year}(?!\d)", "{year}", value)
    if isinstance(value, list):
        return [_generic(v, year) for v in value]
    return value


# Fields that hold ids of other items: compared with the year generic.
LINKS = {"plan", "parent", "goal_area", "objective", "assignment", "objectives"}


def _compared(name: str, value: Any, year: int) -> Any:
    return _generic(value, year) if name in LINKS else value


def _title(fields: dict[str, Any]) -> str:
    return next((str(fields[f]) for f in TITLE_FIELDS if fields.get(f)), "")


def diff_states(before: State, after: State) -> list[ItemChange]:
    """The items added, removed and changed from `before` to `after`, kind by kind in the
    order of `KINDS`, each in `after`'s order (removed ones last, in `before`'s). Between
    plans of different years, ids and links are compared with the year generic (see the
    module); texts as they are, so a title naming the year is a change."""
    year_a, year_b = before["year"], after["year"]
    changes: list[ItemChange] = []
    for kind in KINDS:
        old = {_generic(k, year_a): (k, v) for k, v in before["items"].get(kind, {}).items()}
        new = {_generic(k, year_b): (k, v) for k, v in after["items"].get(kind, {}).items()}
        for generic, (key, fields) in new.items():
            if generic not in old:
                changes.append(ItemChange(kind, key, "added", _title(fields)))
                continue
            _old_key, old_fields = old[generic]
            differing = tuple(
                FieldChange(name, field_label(kind, name), old_fields.get(name), value)
                for name, value in fields.items()
                if _compared(name, old_fields.get(name), year_a) != _compared(name, value, year_b)
            )
            if differing:
                changes.append(ItemChange(kind, key, "changed", _title(fields), differing))
        for generic, (key, fields) in old.items():
            if generic not in new:
                changes.append(ItemChange(kind, key, "removed", _title(fields)))
    return changes


def state_at(ref: str, *, plans: "models.QuerySet[Plan] | None" = None) -> State:
    """A plan's state now (`KS-2023`) or as stored at a step of its life
    (`KS-2023@review`, `KS-2023@decision`, `KS-2023@amendment-2`: the latest snapshot of
    that step), among `plans` (default: all); ValidationError when there is none."""
    key, _at, step = ref.partition("@")
    plan = (plans if plans is not None else Plan.objects.all()).filter(key=key).first()
    if plan is None:
        raise ValidationError(gettext("No plan %(key)s.") % {"key": key})
    if not step:
        return plan_state(plan)
    snapshots = PlanSnapshot.objects.filter(plan=plan.root)
    event, _dash, number = step.partition("-")
    if event == PlanSnapshot.Event.AMENDMENT and number.isdigit():
        snapshots = snapshots.filter(amendment__number=int(number))
    elif event not in PlanSnapshot.Event.values or number:
        raise ValidationError(
            gettext("%(ref)s: after @ comes review, decision or amendment-N.") % {"ref": ref}
        )
    snapshot = snapshots.filter(event=event).order_by("-taken_at", "-pk").first()
    if snapshot is None:
        raise ValidationError(
            gettext("%(ref)s: the plan has no stored state at that step.") % {"ref": ref}
        )
    return snapshot.data  # type: ignore[no-any-return]


def printable(changes: list[ItemChange]) -> list[dict[str, Any]]:
    """Changes as plain data for a document, with their labels for people."""
    return [
        {
            **c.as_json(),
            "kind_label": c.kind_label,
            "change_label": c.change_label,
            "fields": [{"label": f.label, "before": f.before, "after": f.after} for f in c.fields],
        }
        for c in changes
    ]
