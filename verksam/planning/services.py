"""Making a plan: its life (draft → in review → decided → archived) and its editing, as
audited verbs. Pages, the API, commands and the Excel import all call these functions; each
checks the actor's permission (`verksam.edit_plan`), runs in one transaction, names the
actor in the history and refuses what the plan's life does not allow with a message.

- **Life.** `create_plan` (empty, or from the previous year: the frame of goal areas,
  objectives, prose sections, governing documents and indicators with their history and an
  empty target for the new year, plus the items decided to carry over, through
  `followup.carry_over`, one path for both), `send_to_review`, `return_to_draft`,
  `decide_plan` (body, date, reference), `archive_plan`. A transition moves the board's
  plan and its parts together; sending to review, deciding and amending store the plan's
  content in a `PlanSnapshot`, what `diff` compares with.
- **Editing** (`create_item`, `update_item`, `move_item`, `reorder_items`, `delete_item`)
  in a draft or a plan in review; an update names the `version` it read (optimistic
  locking with `followup.services.save_version`, `EditConflict` on a stale version); input
  goes through `core.validation`, all problems of one edit reported together by field.
- **Amendments.** A decided plan changes only by `amend_plan`: a reason, a decision
  reference and date, and the edits, applied together and recorded item by item.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from verksam.core.bulk import create_with_history
from verksam.core.validation import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    TITLE_MAX,
    clean_key,
    clean_text,
    clean_year,
)
from verksam.followup.carry_over import Carrier, CarryOverResult, carry_over_plan
from verksam.followup.services import Actor, EditConflict, record_actor, require, save_version
from verksam.indicators.models import (
    Indicator,
    IndicatorResponsibility,
    IndicatorValue,
    parsed_fields,
)
from verksam.organisation.models import OrgUnit
from verksam.planning.diff import diff_states, plan_state
from verksam.planning.models import ReviewComment
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
    PlanLocked,
    PlanSection,
    PlanSnapshot,
    amending,
)

__all__ = ["EditConflict"]  # raised by update_item, move_item and delete_item


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    """Name `actor` in the history of every row written inside, also outside a web request
    (commands), where simple-history's middleware does not."""
    context = HistoricalRecords.context
    if getattr(context, "request", None) is not None or not actor.is_authenticated:
        yield
        return
    context.request = SimpleNamespace(user=actor)
    try:
        yield
    finally:
        del context.request


def family(plan: Plan) -> list[Plan]:
    """The board's plan and its parts, the board's first, each row locked for the
    transaction so that two transitions of the same plan never interleave."""
    root = plan.root
    return list(Plan.objects.family(root).select_for_update().board_first())


def take_snapshot(
    plan: Plan, event: str, *, actor: Actor, amendment: Amendment | None = None
) -> PlanSnapshot:
    return PlanSnapshot.objects.create(
        plan=plan,
        event=event,
        amendment=amendment,
        taken_by=actor if actor.is_authenticated else None,
        data=plan_state(plan),
    )


# --- The plan's life ---------------------------------------------------------------------


@dataclass
class NewPlan:
    """What `create_plan` made: the board's plan, every plan made (with the parts), and
    what the carry-over carried and found undecided."""

    plan: Plan
    plans: list[Plan]
    carried: CarryOverResult | None = None


# What a copy of an indicator and of its values keeps.
INDICATOR_FIELDS = ("table", "name", "origin", "unit", "direction", "responsible_raw", "source",
                    "interval", "notes", "position")  # fmt: skip
VALUE_FIELDS = ("kind", "year", "label", "raw", "number", "suffix", "text", "split_labels",
                "women_raw", "men_raw", "women", "men", "position")  # fmt: skip


class Frame(Carrier):
    """Next year's frame of a board's plan: the plans, every goal area and objective (the
    carry-over's copies, so that carried items land in them), the prose sections, the
    governing documents and the indicators with their values and an empty target for the
    new year."""

    def copy(self) -> None:
        """Rows in bulk, with their history and search documents: a few queries per kind
        whatever the plan's size. The new plans are drafts made in this transaction, so
        the decided-plan lock that `save()` checks has nothing to guard."""
        plans = list(Plan.objects.family(self.board).board_first())
        for plan in plans:
            self.plan(plan)
        for area in GoalArea.objects.filter(plan__in=plans).select_related("plan"):
            self.goal_area(area)
        for objective in Objective.objects.filter(goal_area__plan__in=plans).select_related(
            "goal_area__plan"
        ):
            self.objective(objective)
        sections = PlanSection.objects.filter(plan__in=plans).select_related(
            "plan", "goal_area__plan", "objective__goal_area__plan"
        )
        documents = GoverningDocument.objects.filter(plan__in=plans).select_related("plan")
        indicators = list(
            Indicator.objects.filter(plan__in=plans)
            .select_related("plan", "goal_area__plan", "objective__goal_area__plan")
            .prefetch_related("values", "responsibilities")
        )
        create_with_history([self.section(s) for s in sections], PlanSection)
        create_with_history([self.document(d) for d in documents], GoverningDocument)
        new = create_with_history([self.indicator(i) for i in indicators], Indicator)
        create_with_history(
            [
                r
                for old, made in zip(indicators, new, strict=True)
                for r in self.responsibilities(old, made)
            ],
            IndicatorResponsibility,
        )
        create_with_history(
            [v for old, made in zip(indicators, new, strict=True) for v in self.values(old, made)],
            IndicatorValue,
        )

    def section(self, old: PlanSection) -> PlanSection:
        return PlanSection(
            key=self.key(old.key),
            plan=self.plan(old.plan),
            kind=old.kind,
            goal_area=self.goal_area(old.goal_area) if old.goal_area else None,
            objective=self.objective(old.objective),
            heading=old.heading,
            body=old.body,
            position=old.position,
        )

    def document(self, old: GoverningDocument) -> GoverningDocument:
        return GoverningDocument(
            key=self.key(old.key),
            plan=self.plan(old.plan),
            category=old.category,
            title=old.title,
            notes=old.notes,
            position=old.position,
        )

    def indicator(self, old: Indicator) -> Indicator:
        return Indicator(
            key=self.key(old.key),
            plan=self.plan(old.plan),
            goal_area=self.goal_area(old.goal_area) if old.goal_area else None,
            objective=self.objective(old.objective),
            **{name: getattr(old, name) for name in INDICATOR_FIELDS},
        )

    def responsibilities(self, old: Indicator, new: Indicator) -> list[IndicatorResponsibility]:
        return [
            IndicatorResponsibility(
                indicator=new, unit_id=r.unit_id, role=r.role, position=r.position
            )
            for r in old.responsibilities.all()
        ]

    def values(self, old: Indicator, new: Indicator) -> list[IndicatorValue]:
        """The indicator's values as they are (numbers already read from the printed cells),
        and an empty target for the new year unless one is there."""
        values = [
            IndicatorValue(indicator=new, **{name: getattr(v, name) for name in VALUE_FIELDS})
            for v in old.values.all()
        ]
        if not any(v.kind == IndicatorValue.Kind.TARGET and v.year == self.to_year for v in values):
            values.append(
                IndicatorValue(
                    indicator=new,
                    kind=IndicatorValue.Kind.TARGET,
                    year=self.to_year,
                    label=_("Target %(year)d") % {"year": self.to_year},
                    raw="",
                    position=len(values),
                )
            )
        return values


@transaction.atomic
def create_plan(
    *,
    actor: Actor,
    owner: OrgUnit,
    year: int,
    title: str = "",
    from_plan: Plan | None = None,
) -> NewPlan:
    """A draft plan of `owner` for `year`: empty, or made from the board's plan of an
    earlier year (its frame, then the items decided to carry over)."""
    try:
        clean_year(year)
    except ValueError as error:
        raise ValidationError({"year": str(error)}) from None
    require(actor, "verksam.edit_plan", Plan(owner=owner, year=year))
    if Plan.objects.filter(owner=owner, year=year).exists():
        raise ValidationError(
            _("%(owner)s already has a plan for %(year)d.") % {"owner": owner.code, "year": year}
        )
    with acting_as(actor):
        if from_plan is None:
            plan = Plan(
                key=f"{owner.code}-{year}",
                owner=owner,
                year=year,
                title=clean_text(title, max_length=TITLE_MAX, multiline=False).strip()
                if title
                else _("Verksamhetsplan %(year)d") % {"year": year},
                horizon_start=year,
                horizon_end=year + 2,
            )
            if Plan.objects.filter(key=plan.key).exists():
                raise ValidationError(_("The id %(key)s is taken.") % {"key": plan.key})
            plan.save()
            return NewPlan(plan, [plan])
        if from_plan.parent_id is not None:
            raise ValidationError(_("Make next year's plan from the board's plan, not a part."))
        if from_plan.owner_id != owner.pk:
            raise ValidationError(_("The plan it is made from must be the same owner's."))
        if year <= from_plan.year:
            raise ValidationError(_("A plan is made from an earlier year's plan."))
        frame = Frame(from_plan, year)
        frame.copy()
        carried = carry_over_plan(from_plan, actor=actor, to_year=year)
        return NewPlan(frame.plan(from_plan), frame.made, carried)


def _transition(
    plan: Plan,
    status: str,
    *,
    actor: Actor,
    change: Callable[[Plan], None] | None = None,
) -> list[Plan]:
    """Move the board's plan and its parts to `status` along the plan's life."""
    plans = family(plan)
    root = plans[0]
    require(actor, "verksam.edit_plan", root)
    for row in plans:
        row.move_to(status)
        if change is not None:
            change(row)
        record_actor(row, actor)
        row.save()
    plan.refresh_from_db()
    return plans


@transaction.atomic
def send_to_review(plan: Plan, *, actor: Actor) -> Plan:
    """Draft → in review: the content as sent is stored (to compare with the decision)."""
    plans = _transition(plan, Plan.Status.REVIEW, actor=actor)
    take_snapshot(plans[0], PlanSnapshot.Event.REVIEW, actor=actor)
    return plan


@transaction.atomic
def return_to_draft(plan: Plan, *, actor: Actor) -> Plan:
    """In review → draft, to be worked on again."""
    _transition(plan, Plan.Status.DRAFT, actor=actor)
    return plan


def clean_decision(body: str, on: date | None, reference: str) -> tuple[str, date, str]:
    """The decision's body, date and reference, or ValidationError by field."""
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for name, value, max_length in (("decided_by", body, 100), ("reference", reference, 100)):
        try:
            cleaned[name] = clean_text(value or "", max_length=max_length, multiline=False).strip()
        except ValueError as error:
            errors[name] = str(error)
            continue
        if not cleaned[name]:
            errors[name] = _("Required.")
    if not isinstance(on, date):
        errors["decided_on"] = _("Give the date of the decision.")
    if errors:
        raise ValidationError(errors)
    assert on is not None
    return cleaned["decided_by"], on, cleaned["reference"]


def require_no_open_comments(plan: Plan) -> None:
    """Refuse the decision while review comments on the plan or its parts are open
    (`planning.review`: a controller resolves or acknowledges each)."""
    open_comments = ReviewComment.objects.of_family(plan).open().count()
    if open_comments:
        raise ValidationError(
            ngettext(
                "%(n)d review comment is open: resolve or acknowledge it before the decision.",
                "%(n)d review comments are open: resolve or acknowledge them before the decision.",
                open_comments,
            )
            % {"n": open_comments},
            code="open_comments",
        )


@transaction.atomic
def decide_plan(
    plan: Plan, *, actor: Actor, decided_by: str, decided_on: date | None, reference: str
) -> Plan:
    """In review → decided, with the decision (body such as "KS", date, reference such as
    "KS 2021/123 §45"). Refused while review comments are open. From now on the plan
    changes only by an amendment."""
    body, on, ref = clean_decision(decided_by, decided_on, reference)
    require(actor, "verksam.edit_plan", plan.root)
    require_no_open_comments(plan)

    def record(row: Plan) -> None:
        row.decided_by, row.decided_on, row.decision_reference = body, on, ref

    plans = _transition(plan, Plan.Status.DECIDED, actor=actor, change=record)
    take_snapshot(plans[0], PlanSnapshot.Event.DECISION, actor=actor)
    return plan


@transaction.atomic
def archive_plan(plan: Plan, *, actor: Actor) -> Plan:
    """Decided → archived, when its year is over."""
    _transition(plan, Plan.Status.ARCHIVED, actor=actor)
    return plan


# --- Editing items -----------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What may be edited of one kind of item: its texts (name → maximum length, one line
    or not, required), choices, and links to other items (by id)."""

    model: type[models.Model]
    prefix: str
    texts: dict[str, tuple[int, bool, bool]]
    choices: dict[str, Any] = field(default_factory=dict)
    links: tuple[str, ...] = ()


ONE_LINE, LINES = False, True
KINDS: dict[str, Kind] = {
    "goal_area": Kind(GoalArea, "ma", {
        "number": (10, ONE_LINE, True), "title": (TITLE_MAX, LINES, True),
        "ambition": (LONG_TEXT_MAX, LINES, False)}),
    "objective": Kind(Objective, "im", {
        "number": (10, ONE_LINE, True), "title": (TITLE_MAX, LINES, True)},
        links=("goal_area",)),
    "section": Kind(PlanSection, "t", {
        "heading": (TITLE_MAX, LINES, True), "body": (LONG_TEXT_MAX, LINES, False)},
        {"kind": PlanSection.Kind}, ("goal_area", "objective")),
    "governing_document": Kind(GoverningDocument, "sd", {
        "category": (SHORT_TEXT_MAX, LINES, False), "title": (TITLE_MAX, LINES, True)}),
    "assignment": Kind(Assignment, "u", {
        "title": (TITLE_MAX, LINES, True), "kind_label": (SHORT_TEXT_MAX, ONE_LINE, False),
        "description": (LONG_TEXT_MAX, LINES, False), "origin": (SHORT_TEXT_MAX, ONE_LINE, False)},
        {"kind": Assignment.Kind}, ("goal_area", "objectives", "focus_areas")),
    "action": Kind(Action, "a", {
        "text": (TITLE_MAX, LINES, True),
        "completion_criterion": (TITLE_MAX, LINES, False),
        "responsible_raw": (SHORT_TEXT_MAX, LINES, False),
        "start_raw": (SHORT_TEXT_MAX, ONE_LINE, False),
        "end_raw": (SHORT_TEXT_MAX, ONE_LINE, False)},
        links=("goal_area", "objective", "assignment", "responsible_units", "focus_areas")),
    "indicator": Kind(Indicator, "i", {
        "name": (TITLE_MAX, LINES, True), "table": (SHORT_TEXT_MAX, ONE_LINE, False),
        "unit": (40, ONE_LINE, False), "responsible_raw": (SHORT_TEXT_MAX, LINES, False),
        "source": (TITLE_MAX, LINES, False), "interval": (SHORT_TEXT_MAX, ONE_LINE, False)},
        {"origin": Indicator.Origin, "direction": Indicator.Direction},
        ("goal_area", "objective", "responsible_units", "values")),
}  # fmt: skip
KIND_OF = {spec.model: name for name, spec in KINDS.items()}


def kind_of(row: models.Model) -> str:
    return KIND_OF[type(row)]


def plan_of(row: models.Model) -> Plan:
    plan: Plan = row.plan  # type: ignore[attr-defined]  # every kind is plan content
    return plan


def find_item(kind: str, key: str) -> models.Model:
    """The item of `kind` with id `key`, or ValidationError."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ValidationError(
            {"kind": _("Unknown kind %(kind)s (one of: %(kinds)s).")
             % {"kind": kind, "kinds": ", ".join(KINDS)}}
        )  # fmt: skip
    row = spec.model._default_manager.filter(key=key).first()
    if row is None:
        raise ValidationError(
            {"id": _("No %(kind)s with id %(key)s.") % {"kind": kind, "key": key}}
        )
    return row


class Cleaner:
    """Cleans an edit's fields for one kind of item in one plan, collecting every problem
    by field; links are ids of items in the same board's plan."""

    def __init__(self, kind: str, plan: Plan) -> None:
        self.spec = KINDS[kind]
        self.kind = kind
        self.plan = plan
        self.board = plan.root
        self.errors: dict[str, list[str]] = {}

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def clean(self, fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
        spec, values = self.spec, {}
        for name in fields:
            if name not in spec.texts and name not in spec.choices and name not in spec.links:
                self.error(name, _("Unknown field."))
        for name, (max_length, multiline, required) in spec.texts.items():
            if name not in fields:
                if creating and required:
                    self.error(name, _("Required."))
                continue
            value = fields[name]
            if not isinstance(value, str):
                self.error(name, _("Give a text."))
                continue
            try:
                values[name] = clean_text(value, max_length=max_length, multiline=multiline).strip()
            except ValueError as error:
                self.error(name, str(error))
                continue
            if required and not values[name]:
                self.error(name, _("Required."))
        for name, choices in spec.choices.items():
            if name not in fields:
                if creating:
                    self.error(name, _("Required."))
                continue
            if fields[name] not in choices.values:
                self.error(
                    name, _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)}
                )
            else:
                values[name] = fields[name]
        for name in spec.links:
            if name in fields:
                values[name] = self.link(name, fields[name])
        if self.kind == "action" and creating and "goal_area" not in fields:
            self.error("goal_area", _("Required."))
        if self.kind == "assignment" and creating and "goal_area" not in fields:
            self.error("goal_area", _("Required."))
        if self.kind == "objective" and creating and "goal_area" not in fields:
            self.error("goal_area", _("Required."))
        return values

    def one(self, model: type[models.Model], name: str, key: Any, **within: Any) -> Any:
        if key in (None, ""):
            return None
        if not isinstance(key, str):
            self.error(name, _("Give an id."))
            return None
        row = model._default_manager.filter(key=key, **within).first()
        if row is None:
            self.error(name, _("No such item in this plan: %(key)s.") % {"key": key})
        return row

    def link(self, name: str, value: Any) -> Any:
        if name == "goal_area":
            return self.one(GoalArea, name, value, plan=self.board)
        if name == "objective":
            return self.one(Objective, name, value, goal_area__plan=self.board)
        if name == "assignment":
            return self.one(Assignment, name, value, plan=self.plan)
        if name == "objectives":
            if not isinstance(value, list):
                self.error(name, _("Give a list of ids."))
                return []
            return [
                o for k in value if (o := self.one(Objective, name, k, goal_area__plan=self.board))
            ]
        if name == "focus_areas":
            if not isinstance(value, list):
                self.error(name, _("Give a list of ids."))
                return []
            return [f for k in value if (f := self.one(FocusArea, name, k))]
        if name == "responsible_units":
            return self.responsibilities(value)
        if name == "values":
            return self.indicator_values(value)
        raise AssertionError(name)

    def responsibilities(self, value: Any) -> list[tuple[OrgUnit, str]]:
        roles = ActionResponsibility.Role.values
        if not isinstance(value, list):
            self.error("responsible_units", _("Give a list of units with roles."))
            return []
        found = []
        for n, entry in enumerate(value, start=1):
            code = entry.get("unit") if isinstance(entry, dict) else entry
            role = entry.get("role", "responsible") if isinstance(entry, dict) else "responsible"
            unit = OrgUnit.objects.filter(code=code).first() if isinstance(code, str) else None
            if unit is None:
                self.error(
                    "responsible_units", _("Row %(n)d: no unit %(code)s.") % {"n": n, "code": code}
                )
            elif role not in roles:
                self.error("responsible_units", _("Row %(n)d: the role is one of %(roles)s.")
                           % {"n": n, "roles": ", ".join(roles)})  # fmt: skip
            else:
                found.append((unit, role))
        return found

    def indicator_values(self, value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            self.error("values", _("Give a list of values."))
            return []
        cleaned = []
        for n, entry in enumerate(value, start=1):
            try:
                if (
                    not isinstance(entry, dict)
                    or entry.get("kind") not in IndicatorValue.Kind.values
                ):
                    kinds = ", ".join(IndicatorValue.Kind.values)
                    raise ValueError(_("the kind is one of %(kinds)s") % {"kinds": kinds})
                year = clean_year(int(entry.get("year", 0)))
                raw = clean_text(str(entry.get("raw", "")), max_length=SHORT_TEXT_MAX).strip()
                label = clean_text(str(entry.get("label", "")), max_length=SHORT_TEXT_MAX).strip()
                women = clean_text(str(entry.get("women", "")), max_length=SHORT_TEXT_MAX).strip()
                men = clean_text(str(entry.get("men", "")), max_length=SHORT_TEXT_MAX).strip()
                split = entry.get("split_labels", "") or ""
                if split not in ("", *IndicatorValue.SplitLabels.values):
                    raise ValueError(_("split labels are F/P or K/M"))
            except (ValueError, TypeError) as error:
                self.error("values", _("Row %(n)d: %(error)s") % {"n": n, "error": error})
                continue
            cleaned.append({
                "kind": entry["kind"], "year": year, "label": label or f"{entry['kind']} {year}",
                "raw": raw, "split_labels": split, "women_raw": women, "men_raw": men,
                **parsed_fields(raw, women, men),
            })  # fmt: skip
        return cleaned

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def require_editable(plan: Plan, *, actor: Actor) -> None:
    """The actor controls the plan and it is a draft or in review (an amendment applies
    its edits itself)."""
    require(actor, "verksam.edit_plan", plan)
    plan.refresh_from_db(fields=["status"])
    if plan.is_locked:
        raise PlanLocked(plan.key)


def _apply(row: models.Model, values: dict[str, Any]) -> None:
    """Set cleaned values on a row; links that are lists (objectives, responsible units,
    values) are written after the row is saved, by `_apply_relations`."""
    for name, value in values.items():
        if name in ("objectives", "focus_areas", "responsible_units", "values"):
            continue
        setattr(row, name, value)
    if isinstance(row, Action | Indicator) and "objective" in values and values["objective"]:
        objective = values["objective"]
        if "goal_area" not in values:
            row.goal_area = objective.goal_area
    if isinstance(row, PlanSection | Action | Indicator | Assignment):
        objective = getattr(row, "objective", None)
        if objective is not None and row.goal_area_id != objective.goal_area_id:
            raise ValidationError({"objective": [_("The objective is not in the goal area.")]})
    if isinstance(row, Action) and row.assignment and row.assignment.plan_id != row.plan_id:
        raise ValidationError({"assignment": [_("The assignment is in another plan.")]})


def _apply_relations(row: models.Model, values: dict[str, Any]) -> None:
    if "objectives" in values:
        row.objectives.set(values["objectives"])  # type: ignore[attr-defined]  # only kinds with the field get the value
    if "focus_areas" in values:
        row.focus_areas.set(values["focus_areas"])  # type: ignore[attr-defined]  # only kinds with the field get the value
    if "responsible_units" in values:
        model = ActionResponsibility if isinstance(row, Action) else IndicatorResponsibility
        parent = "action" if isinstance(row, Action) else "indicator"
        row.responsibilities.all().delete()  # type: ignore[attr-defined]  # only kinds with the field get the value
        for position, (unit, role) in enumerate(values["responsible_units"]):
            model.objects.create(**{parent: row}, unit=unit, role=role, position=position)
    if "values" in values:
        row.values.all().delete()  # type: ignore[attr-defined]  # only kinds with the field get the value
        for position, value in enumerate(values["values"]):
            IndicatorValue.objects.create(indicator_id=row.pk, position=position, **value)


def new_key(kind: str, plan: Plan) -> str:
    """A free id for a new item: the plan's id, the kind's prefix and a number."""
    spec = KINDS[kind]
    taken = set(
        spec.model._default_manager.filter(key__startswith=f"{plan.key}-{spec.prefix}").values_list(
            "key", flat=True
        )
    )
    n = len(taken) + 1
    while f"{plan.key}-{spec.prefix}{n}" in taken:
        n += 1
    return f"{plan.key}-{spec.prefix}{n}"


def _create(kind: str, plan: Plan, fields: dict[str, Any], *, actor: Actor) -> models.Model:
    spec = KINDS[kind]
    fields = dict(fields)
    key = fields.pop("id", None) or new_key(kind, plan)
    cleaner = Cleaner(kind, plan)
    try:
        clean_key(key)
    except ValueError as error:
        cleaner.error("id", str(error))
    if spec.model._default_manager.filter(key=key).exists():
        cleaner.error("id", _("The id %(key)s is taken.") % {"key": key})
    values = cleaner.clean(fields, creating=True)
    cleaner.check()
    if kind == "goal_area" and plan.parent_id is not None:
        raise ValidationError({"plan": [_("Goal areas belong to the board's plan.")]})
    if kind == "objective" and plan.parent_id is not None:
        # Its permission was checked on the part: the board's controllers add objectives.
        raise ValidationError({"plan": [_("Objectives belong to the board's plan.")]})
    row = spec.model(key=key)
    if kind != "objective":
        row.plan = plan  # type: ignore[attr-defined]  # every kind is plan content
    siblings = _siblings(kind, plan, values)
    row.position = (siblings.aggregate(n=Max("position"))["n"] or 0) + 1  # type: ignore[attr-defined]  # every kind is positioned
    _apply(row, values)
    record_actor(row, actor)
    row.save()
    _apply_relations(row, values)
    return row


def _siblings(kind: str, plan: Plan, values: dict[str, Any]) -> models.QuerySet:
    model = KINDS[kind].model
    if kind == "objective":
        return Objective.objects.filter(goal_area=values.get("goal_area"))
    return model._default_manager.filter(plan=plan)


@transaction.atomic
def create_item(kind: str, plan: Plan, *, actor: Actor, fields: dict[str, Any]) -> models.Model:
    """A new item of `kind` in `plan` (a draft or in review), at the end of its list.
    `fields` as in `KINDS`; links by id (`goal_area`, `objective`, `assignment`,
    `objectives`), responsible units as `[{"unit": code, "role": role}]`, indicator values
    as `[{"kind", "year", "label", "raw", "women", "men", "split_labels"}]`; `id`
    optional (made from the plan's id)."""
    if kind not in KINDS:
        find_item(kind, "")
    require_editable(plan, actor=actor)
    with acting_as(actor):
        return _create(kind, plan, fields, actor=actor)


def _update(
    row: models.Model, fields: dict[str, Any], *, actor: Actor, expected_version: int
) -> models.Model:
    kind = kind_of(row)
    cleaner = Cleaner(kind, plan_of(row))
    values = cleaner.clean(fields, creating=False)
    cleaner.check()

    def change(current: models.Model) -> None:
        _apply(current, values)

    saved = save_version(
        # Every kind that is edited has a version (followup.models.Versioned).
        type(row)._default_manager.filter(pk=row.pk),  # type: ignore[type-var]  # every edited kind is versioned
        expected_version=expected_version,
        actor=actor,
        change=change,
    )
    _apply_relations(saved, values)
    return saved


@transaction.atomic
def update_item(
    row: models.Model, *, actor: Actor, expected_version: int, fields: dict[str, Any]
) -> models.Model:
    """Change an item's fields (as `create_item` takes them). `expected_version` is the
    version read; if someone saved since, `EditConflict` carries theirs and nothing is
    written."""
    require_editable(plan_of(row), actor=actor)
    with acting_as(actor):
        return _update(row, fields, actor=actor, expected_version=expected_version)


@transaction.atomic
def move_item(
    row: models.Model,
    *,
    actor: Actor,
    expected_version: int,
    goal_area: str | None = None,
    objective: str | None = None,
    assignment: str | None = None,
) -> models.Model:
    """Move an item to another goal area, objective or assignment of its plan (by id)."""
    links = {"goal_area": goal_area, "objective": objective, "assignment": assignment}
    allowed = KINDS[kind_of(row)].links
    fields = {k: v for k, v in links.items() if v is not None and k in allowed}
    if not fields:
        raise ValidationError(_("Say where to move the item."))
    return update_item(row, actor=actor, expected_version=expected_version, fields=fields)


@transaction.atomic
def reorder_items(rows: list[models.Model], *, actor: Actor) -> None:
    """Put items of one kind and plan in the given order (positions 1, 2, …)."""
    if not rows:
        return
    plans = {plan_of(r).pk for r in rows}
    kinds = {type(r) for r in rows}
    if len(plans) != 1 or len(kinds) != 1:
        raise ValidationError(_("Reorder items of one kind in one plan."))
    require_editable(plan_of(rows[0]), actor=actor)
    with acting_as(actor):
        for position, row in enumerate(rows, start=1):
            if row.position != position:  # type: ignore[attr-defined]  # every kind is positioned
                row.position = position  # type: ignore[attr-defined]  # every kind is positioned
                record_actor(row, actor)
                row.save(update_fields=["position"])


# Items print in their place (a goal area, an objective, an assignment): moving one up or
# down swaps it with its neighbour there.
PLACE = {
    "goal_area": ("plan_id",),
    "objective": ("goal_area_id",),
    "section": ("plan_id", "goal_area_id", "objective_id"),
    "governing_document": ("plan_id",),
    "assignment": ("plan_id", "goal_area_id"),
    "action": ("plan_id", "assignment_id", "goal_area_id", "objective_id"),
    "indicator": ("plan_id", "goal_area_id", "objective_id"),
}


def place_of(row: models.Model) -> dict[str, Any]:
    """Where an item prints, as a filter: the items it is ordered among."""
    kind = kind_of(row)
    if kind == "action" and row.assignment_id is not None:  # type: ignore[attr-defined]  # an action
        return {"assignment_id": row.assignment_id}  # type: ignore[attr-defined]  # an action
    return {name: getattr(row, name) for name in PLACE[kind]}


@transaction.atomic
def shift_item(row: models.Model, *, actor: Actor, by: int) -> bool:
    """Move an item `by` places up (negative) or down among the items printed with it;
    False when it is already first or last. The others keep their order."""
    require_editable(plan_of(row), actor=actor)
    siblings = list(type(row)._default_manager.filter(**place_of(row)).order_by("position", "pk"))
    index = next(i for i, s in enumerate(siblings) if s.pk == row.pk)
    target = index + by
    if not 0 <= target < len(siblings):
        return False
    positions = sorted(s.position for s in siblings)  # type: ignore[attr-defined]  # every kind is positioned
    if len(set(positions)) < len(positions):  # equal positions order by id: make them distinct
        positions = list(range(positions[0], positions[0] + len(positions)))
    siblings.insert(target, siblings.pop(index))
    with acting_as(actor):
        for sibling, position in zip(siblings, positions, strict=True):
            if sibling.position != position:  # type: ignore[attr-defined]  # every kind is positioned
                sibling.position = position  # type: ignore[attr-defined]  # every kind is positioned
                record_actor(sibling, actor)
                sibling.save(update_fields=["position"])
    return True


def _delete(row: models.Model, *, actor: Actor, expected_version: int) -> None:
    current = type(row)._default_manager.select_for_update().filter(pk=row.pk).first()
    if current is None or current.version != expected_version:  # type: ignore[attr-defined]  # every edited kind is versioned
        raise EditConflict(current)  # type: ignore[arg-type]  # a versioned kind, as above
    record_actor(current, actor)
    try:
        with transaction.atomic():
            current.delete()
    except ProtectedError as error:
        raise ValidationError(
            ngettext(
                "%(item)s cannot be deleted: %(n)d item still refers to it.",
                "%(item)s cannot be deleted: %(n)d items still refer to it.",
                len(error.protected_objects),
            )
            % {"item": row, "n": len(error.protected_objects)}
        ) from None


@transaction.atomic
def delete_item(row: models.Model, *, actor: Actor, expected_version: int) -> None:
    """Delete an item of a draft (its actions, values and responsibilities with it);
    a plan in review keeps its items, a decided plan changes only by an amendment."""
    plan = plan_of(row)
    require_editable(plan, actor=actor)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("Items are deleted only from a draft."))
    with acting_as(actor):
        _delete(row, actor=actor, expected_version=expected_version)


# --- Amendments --------------------------------------------------------------------------


@dataclass
class Edit:
    """One edit of an amendment: `op` create (`fields` with `plan` and the kind's fields),
    update or delete of the item of `kind` with id `key`."""

    op: str
    kind: str
    key: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    version: int | None = None  # the version read (the pages); None: the item as it is now


def _apply_edit(edit: Edit, plans: list[Plan], *, actor: Actor) -> None:
    if edit.op == "create":
        key = edit.fields.get("plan")
        plan = next((p for p in plans if p.key == key), None)
        if plan is None:
            raise ValidationError({"plan": _("Name the plan (one of %(plans)s).")
                                   % {"plans": ", ".join(p.key for p in plans)}})  # fmt: skip
        fields = {k: v for k, v in edit.fields.items() if k != "plan"}
        if edit.key:
            fields["id"] = edit.key
        _create(edit.kind, plan, fields, actor=actor)
        return
    row = find_item(edit.kind, edit.key)
    if plan_of(row).pk not in {p.pk for p in plans}:
        raise ValidationError({"id": _("%(key)s is not in this plan.") % {"key": edit.key}})
    version = row.version if edit.version is None else edit.version  # type: ignore[attr-defined]  # every edited kind is versioned
    if edit.op == "update":
        _update(row, edit.fields, actor=actor, expected_version=version)
    elif edit.op == "delete":
        _delete(row, actor=actor, expected_version=version)
    else:
        raise ValidationError({"op": _("The operation is create, update or delete.")})


@transaction.atomic
def amend_plan(
    plan: Plan,
    *,
    actor: Actor,
    reason: str,
    reference: str,
    decided_on: date | None,
    edits: Iterable[Edit],
) -> Amendment:
    """Change a decided plan by a decision: apply `edits` to it and its parts, all or
    nothing, and record the amendment with every item it changed, field by field."""
    plans = family(plan)
    root = plans[0]
    require(actor, "verksam.edit_plan", root)
    if root.status != Plan.Status.DECIDED:
        raise ValidationError(
            _("Only a decided plan is amended; %(plan)s is %(status)s.")
            % {"plan": root.key, "status": root.get_status_display()}
        )
    errors: dict[str, str] = {}
    try:
        reason = clean_text(reason or "", max_length=LONG_TEXT_MAX).strip()
    except ValueError as error:
        errors["reason"] = str(error)
    else:
        if not reason:
            errors["reason"] = _("Say why the plan is amended.")
    try:
        _body, on, reference = clean_decision("-", decided_on, reference)
    except ValidationError as error:
        errors |= {k: " ".join(v) for k, v in error.message_dict.items()}
    if errors:
        raise ValidationError(errors)
    before = plan_state(root)
    with acting_as(actor), amending(plans):
        for n, edit in enumerate(edits, start=1):
            try:
                _apply_edit(edit, plans, actor=actor)
            except ValidationError as error:
                where = f"{edit.op} {edit.kind} {edit.key}".strip()
                details = (
                    "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
                    if hasattr(error, "error_dict")
                    else " ".join(error.messages)
                )
                raise ValidationError(
                    _("Change %(n)d (%(where)s): %(details)s")
                    % {"n": n, "where": where, "details": details}
                ) from None
        changes = diff_states(before, plan_state(root))
        if not changes:
            raise ValidationError(_("The amendment changes nothing."))
        number = (root.amendments.aggregate(n=Max("number"))["n"] or 0) + 1
        amendment = Amendment.objects.create(
            plan=root,
            number=number,
            reason=reason,
            decision_reference=reference,
            decided_on=on,
            made_by=actor if actor.is_authenticated else None,
            changes=[c.as_json() for c in changes],
        )
        take_snapshot(root, PlanSnapshot.Event.AMENDMENT, actor=actor, amendment=amendment)
    return amendment
