"""Reads for making a plan: an item's fields in the shape `planning.services` takes them
(the editing forms start from them, the API returns them, so that what is read can be
changed and sent back), the editing page's content in a fixed number of queries, the
choices its forms offer, what a person may do with a plan, and the amendments that
touched an item."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Prefetch

from verksam.indicators.models import Indicator, IndicatorResponsibility, IndicatorValue
from verksam.organisation.models import OrgUnit
from verksam.planning.services import KINDS, kind_of
from verksam.plans.models import (
    Action,
    ActionResponsibility,
    Amendment,
    Assignment,
    FocusArea,
    GoalArea,
    GoverningDocument,
    Objective,
    Plan,
    PlanSection,
)


def _key(row: Any) -> str:
    return row.key if row is not None else ""


def item_fields(row: models.Model) -> dict[str, Any]:
    """The item's editable fields as `services.create_item` and `update_item` take them:
    texts and choices as stored, links as ids, responsible units as `{"unit", "role"}`,
    indicator values as `{"kind", "year", "label", "raw", "women", "men",
    "split_labels"}`. Reads the prefetched relations (`with_relations`)."""
    kind = kind_of(row)
    spec = KINDS[kind]
    data: dict[str, Any] = {name: getattr(row, name) for name in spec.texts}
    data |= {name: getattr(row, name) for name in spec.choices}
    for name in spec.links:
        if name in ("goal_area", "objective", "assignment"):
            data[name] = _key(getattr(row, name))
        elif name in ("objectives", "focus_areas"):
            data[name] = [r.key for r in getattr(row, name).all()]
        elif name == "responsible_units":
            data[name] = [
                {"unit": r.unit.code, "role": r.role}
                for r in row.responsibilities.all()  # type: ignore[attr-defined]  # actions and indicators
            ]
        elif name == "values":
            data[name] = [
                {"kind": v.kind, "year": v.year, "label": v.label, "raw": v.raw,
                 "women": v.women_raw, "men": v.men_raw, "split_labels": v.split_labels}
                for v in row.values.all()  # type: ignore[attr-defined]  # indicators
            ]  # fmt: skip
    return data


def ordered(model: type[models.Model], **select: Any) -> Any:
    return model._default_manager.order_by("position", "pk")


def responsibilities(model: type[models.Model]) -> Prefetch:
    return Prefetch(
        "responsibilities",
        queryset=model._default_manager.select_related("unit").order_by("position", "pk"),
    )


# What each kind needs prefetched for `item_fields` and the editing rows.
RELATIONS: dict[str, tuple[Any, ...]] = {
    "goal_area": (),
    "objective": (),
    "section": (),
    "governing_document": (),
    "assignment": (
        Prefetch("objectives", queryset=ordered(Objective)),
        Prefetch("focus_areas", queryset=ordered(FocusArea)),
    ),
    "action": (
        responsibilities(ActionResponsibility),
        Prefetch("focus_areas", queryset=ordered(FocusArea)),
    ),
    "indicator": (
        responsibilities(IndicatorResponsibility),
        Prefetch("values", queryset=IndicatorValue.objects.order_by("position", "pk")),
    ),
}
SELECTED: dict[str, tuple[str, ...]] = {
    "goal_area": ("plan__parent",),
    "objective": ("goal_area__plan__parent",),
    "section": ("plan__parent", "goal_area", "objective"),
    "governing_document": ("plan__parent",),
    "assignment": ("plan__parent", "goal_area"),
    "action": ("plan__parent", "goal_area", "objective", "assignment"),
    "indicator": ("plan__parent", "goal_area", "objective"),
}


def with_relations(kind: str, rows: models.QuerySet) -> models.QuerySet:
    """`rows` of `kind` with what `item_fields` and the editing rows read."""
    return rows.select_related(*SELECTED[kind]).prefetch_related(*RELATIONS[kind])


def items_of(kind: str, plan: Plan) -> models.QuerySet:
    """The plan's items of `kind` in printed order (objectives: of its goal areas)."""
    model = KINDS[kind].model
    where = {"goal_area__plan": plan} if kind == "objective" else {"plan": plan}
    order = ("goal_area__position", "position", "pk") if kind == "objective" else ("position", "pk")
    return with_relations(kind, model._default_manager.filter(**where).order_by(*order))


@dataclass
class Place:
    """A goal area on the editing page with what the plan holds in it."""

    goal_area: GoalArea | None
    objectives: list[Objective] = field(default_factory=list)
    sections: list[PlanSection] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.goal_area.key if self.goal_area else ""


@dataclass
class EditingContent:
    """Everything the editing page of a plan shows: its texts, governing documents, and
    per goal area of the board's plan its objectives (the board's), texts, assignments with
    their actions, other actions and indicators; the plan-wide ones first."""

    plan: Plan
    documents: list[GoverningDocument]
    places: list[Place]
    goal_areas: list[GoalArea]
    objectives: list[Objective]
    assignments: list[Assignment]


def editing_content(plan: Plan) -> EditingContent:
    """The editing page's content: eleven queries, whatever the plan's size."""
    root = plan.root
    goal_areas = list(GoalArea.objects.filter(plan=root).order_by("position", "pk"))
    objectives = list(items_of("objective", root))
    places: dict[int | None, Place] = {None: Place(None)}
    places |= {area.pk: Place(area) for area in goal_areas}
    for objective in objectives:
        places[objective.goal_area_id].objectives.append(objective)
    for section in items_of("section", plan):
        places[section.goal_area_id].sections.append(section)
    assignments = list(
        items_of("assignment", plan).prefetch_related(
            Prefetch(
                "actions",
                queryset=with_relations("action", Action.objects.order_by("position", "pk")),
            )
        )
    )
    for assignment in assignments:
        places[assignment.goal_area_id].assignments.append(assignment)
    for action in items_of("action", plan).filter(assignment__isnull=True):
        places[action.goal_area_id].actions.append(action)
    for indicator in items_of("indicator", plan):
        places[indicator.goal_area_id].indicators.append(indicator)
    return EditingContent(
        plan=plan,
        documents=list(items_of("governing_document", plan)),
        places=list(places.values()),
        goal_areas=goal_areas,
        objectives=objectives,
        assignments=assignments,
    )


@dataclass
class Choices:
    """What the editing forms of a plan's items offer to choose from: the board's goal
    areas and objectives, the plan's assignments, the organisation's units and the
    strategies' focus areas (ids and names)."""

    goal_areas: list[tuple[str, str]]
    objectives: list[tuple[str, list[tuple[str, str]]]]
    assignments: list[tuple[str, str]]
    units: list[tuple[str, str]]
    focus_areas: list[tuple[str, list[tuple[str, str]]]]


def choices_for(plan: Plan) -> Choices:
    """The choices of the editing forms of `plan`'s items (five queries)."""
    root = plan.root
    areas = list(GoalArea.objects.filter(plan=root).order_by("position", "pk"))
    objectives: dict[int, list[tuple[str, str]]] = {a.pk: [] for a in areas}
    for o in Objective.objects.filter(goal_area__plan=root).order_by("position", "pk"):
        objectives[o.goal_area_id].append((o.key, f"{o.number} {o.title}"))
    strategies: dict[str, list[tuple[str, str]]] = {}
    for f in FocusArea.objects.select_related("strategy").order_by(
        "strategy__position", "position", "pk"
    ):
        strategies.setdefault(f.strategy.title, []).append((f.key, f"{f.number}. {f.title}"))
    return Choices(
        goal_areas=[(a.key, str(a)) for a in areas],
        objectives=[(str(a), objectives[a.pk]) for a in areas if objectives[a.pk]],
        assignments=[
            (a.key, a.title[:120])
            for a in Assignment.objects.filter(plan=plan).order_by("position", "pk")
        ],
        units=[
            (u.code, f"{u.code} – {u.name}")
            for u in OrgUnit.objects.order_by("code").only("code", "name")
        ],
        focus_areas=list(strategies.items()),
    )


@dataclass(frozen=True)
class PlanActions:
    """What a person may do with a plan on its page."""

    plan: Plan
    can_edit: bool
    can_review: bool = False
    can_return: bool = False
    can_decide: bool = False
    can_archive: bool = False
    can_amend: bool = False
    next_year: int | None = None  # the year a plan can be made for from this one


def plan_actions(user: User | AnonymousUser, plan: Plan) -> PlanActions:
    """The plan's life as buttons: a controller of the plan (`verksam.edit_plan`) edits a
    draft or a plan in review, moves the board's plan along its life, amends a decided
    one, and makes next year's plan from a board's plan (one query, for controllers)."""
    if not user.has_perm("verksam.edit_plan", plan):
        return PlanActions(plan, can_edit=False)
    board = plan.parent_id is None
    status = plan.status
    next_year_taken = Plan.objects.filter(owner=plan.owner_id, year=plan.year + 1).exists()
    return PlanActions(
        plan,
        can_edit=not plan.is_locked,
        can_review=board and plan.can_move_to(Plan.Status.REVIEW),
        can_return=board and status == Plan.Status.REVIEW,
        can_decide=board and plan.can_move_to(Plan.Status.DECIDED),
        can_archive=board and plan.can_move_to(Plan.Status.ARCHIVED),
        can_amend=status == Plan.Status.DECIDED,
        next_year=plan.year + 1 if board and not next_year_taken else None,
    )


def amendments_touching(plan: Plan, key: str | None = None) -> list[Amendment]:
    """The amendments of the plan's board plan, or those that changed the item `key`
    (one query, none for a draft; a plan has few amendments)."""
    if (plan.parent or plan).status not in Plan.LOCKED:
        return []
    rows = Amendment.objects.filter(plan_id=plan.parent_id or plan.pk).select_related("made_by")
    return [a for a in rows if key is None or key in a.item_keys()]
