"""Year end: a controller decides what happens to each unfinished action and assignment
(continue, close, replace), and a carry-over run makes next year's plan (a draft) with the
items decided to continue or be replaced, the lineage kept in `CarryOverDecision`.
Finished items are never carried; a second run carries nothing twice.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.core.validation import clean_year
from verksam.followup.models import (
    CarryOverDecision,
    Item,
    RowKey,
    StatusReport,
    item_lookup,
    key_of,
)
from verksam.followup.services import Actor, check_input, person, require
from verksam.plans.models import (
    Action,
    ActionResponsibility,
    Assignment,
    CarriedOverAssignment,
    GoalArea,
    Objective,
    Plan,
)


def final_statuses(plan: Plan) -> dict[RowKey, StatusReport]:
    """Each item's latest status report of the year's rounds (the annual report if any),
    by `key_of(item)`."""
    return StatusReport.objects.filter(period__plan=plan.root).order_by("period__as_of").by_item()


def is_finished(item: Item, statuses: dict[RowKey, StatusReport]) -> bool:
    report = statuses.get(key_of(item))
    return report is not None and report.is_finished


@dataclass
class Unfinished:
    """An item not reported finished at year end, with its last report and its decision."""

    item: Item
    status: StatusReport | None
    decision: CarryOverDecision | None

    @property
    def kind(self) -> str:
        return str(self.item._meta.model_name)


def unfinished(board: Plan) -> list[Unfinished]:
    """Every assignment, then every action, of a board's plan and its parts that its
    latest report does not call finished, in the document's order (three queries)."""
    statuses = final_statuses(board)
    family = Plan.objects.family(board)
    found = []
    for items in (
        Assignment.objects.filter(plan__in=family),
        Action.objects.filter(plan__in=family),
    ):
        for item in items.select_related(
            "plan__owner",
            "plan__parent",
            "goal_area__plan",
            "carry_over__result_action",
            "carry_over__result_assignment",
        ).in_document_order():
            if not is_finished(item, statuses):
                found.append(
                    Unfinished(item, statuses.get(key_of(item)), getattr(item, "carry_over", None))
                )
    return found


@transaction.atomic
def decide_carry_over(
    item: Action | Assignment,
    *,
    actor: Actor,
    decision: str,
    motivation: str = "",
    replacement: str = "",
) -> CarryOverDecision:
    """A controller's decision on an unfinished item at year end: continue, close, replace."""
    require(actor, "verksam.carry_over", item)
    if decision not in CarryOverDecision.Decision.values:
        raise ValidationError({"decision": _("Choose continue, close or replace.")})
    if decision == CarryOverDecision.Decision.REPLACE and not replacement.strip():
        raise ValidationError({"replacement": _("Say what replaces the item.")})
    check_input(motivation=motivation, replacement=replacement)
    if is_finished(item, final_statuses(item.plan)):
        raise ValidationError(_("A finished item is not carried over."))
    current = CarryOverDecision.objects.for_item(item).first()
    if current is not None and current.result is not None:
        raise ValidationError(_("The item has already been carried over; the decision stands."))
    decided, _created = CarryOverDecision.objects.update_or_create(
        **item_lookup(item),
        defaults={
            "decision": decision,
            "motivation": motivation.strip(),
            "replacement": replacement.strip() if decision == "replace" else "",
            "decided_by": person(actor),
        },
    )
    return decided


@dataclass
class CarryOverResult:
    """What a carry-over run did: plans made, items carried now, items already carried,
    unfinished items still without a decision."""

    plans: list[Plan] = field(default_factory=list)
    carried: list[Action | Assignment] = field(default_factory=list)
    already: int = 0
    undecided: list[Action | Assignment] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the carry-over page's message and the command's output."""
        carried, undecided = len(self.carried), len(self.undecided)
        return " ".join(
            (
                ngettext("%(n)d item carried over,", "%(n)d items carried over,", carried)
                % {"n": carried},
                ngettext(
                    "%(n)d already carried before,", "%(n)d already carried before,", self.already
                )
                % {"n": self.already},
                ngettext(
                    "%(n)d unfinished item without a decision.",
                    "%(n)d unfinished items without a decision.",
                    undecided,
                )
                % {"n": undecided},
            )
        )


def next_key(key: str, from_year: int, to_year: int) -> str:
    """An item's key in next year's plan: the year in it replaced (`ksk-2022-1.1-u1` →
    `ksk-2023-1.1-u1`), else the year appended."""
    replaced = re.sub(rf"(?<!\d){from_year}(?!\d)", str(to_year), key)
    return replaced if replaced != key else f"{key}-{to_year}"


class Carrier:
    """Copies a board's plan frame (plans, goal areas, objectives) into the next year on
    first use and continued items into it, matching by key so that a second run finds
    what the first made."""

    def __init__(self, board: Plan, to_year: int) -> None:
        self.board, self.from_year, self.to_year = board, board.year, to_year
        self.plans: dict[int, Plan] = {}
        self.made: list[Plan] = []
        self.goal_areas: dict[int, GoalArea] = {}
        self.objectives: dict[int, Objective] = {}

    def key(self, key: str) -> str:
        return next_key(key, self.from_year, self.to_year)

    def plan(self, plan: Plan) -> Plan:
        if plan.pk not in self.plans:
            parent = self.plan(plan.parent) if plan.parent else None
            new, created = Plan.objects.get_or_create(
                owner=plan.owner,
                year=self.to_year,
                defaults={
                    "key": self.key(plan.key),
                    "parent": parent,
                    "title": plan.title.replace(str(self.from_year), str(self.to_year)),
                    "status": Plan.Status.DRAFT,
                    # The horizon moves on and keeps its length (MoB 2022–2024 → 2023–2025).
                    "horizon_start": self.to_year,
                    "horizon_end": self.to_year + plan.horizon_end - plan.horizon_start,
                    "position": plan.position,
                },
            )
            if created:
                self.made.append(new)
            self.plans[plan.pk] = new
        return self.plans[plan.pk]

    def goal_area(self, goal_area: GoalArea) -> GoalArea:
        if goal_area.pk not in self.goal_areas:
            self.goal_areas[goal_area.pk], _ = GoalArea.objects.get_or_create(
                plan=self.plan(goal_area.plan),
                number=goal_area.number,
                defaults={
                    "key": self.key(goal_area.key),
                    "title": goal_area.title,
                    "ambition": goal_area.ambition,
                    "position": goal_area.position,
                },
            )
        return self.goal_areas[goal_area.pk]

    def objective(self, objective: Objective | None) -> Objective | None:
        if objective is None:
            return None
        if objective.pk not in self.objectives:
            self.objectives[objective.pk], _ = Objective.objects.get_or_create(
                goal_area=self.goal_area(objective.goal_area),
                number=objective.number,
                defaults={
                    "key": self.key(objective.key),
                    "title": objective.title,
                    "position": objective.position,
                },
            )
        return self.objectives[objective.pk]

    def carry(self, old: Item, decision: CarryOverDecision) -> Item:
        """Next year's copy of `old` (the decision's replacement text, if any)."""
        if isinstance(old, Assignment):
            return self.assignment(old, decision)
        return self.action(old, decision)

    def assignment(self, old: Assignment, decision: CarryOverDecision) -> Assignment:
        title = decision.replacement or old.title
        new = Assignment.objects.create(
            key=self.key(old.key),
            plan=self.plan(old.plan),
            goal_area=self.goal_area(old.goal_area),
            kind=old.kind,
            kind_label=old.kind_label,
            title=title,
            description=old.description,
            origin=old.origin or f"VP {self.from_year}",
            notes=[*old.notes, lineage_note(old, decision, self.from_year)],
            position=old.position,
        )
        new.objectives.set([o for o in map(self.objective, old.objectives.all()) if o])
        new.focus_areas.set(old.focus_areas.all())
        CarriedOverAssignment.objects.create(
            key=self.key(old.key) + "-bilaga1",
            plan=self.plan(old.plan).root,
            goal_area=new.goal_area,
            title=title,
            origin=new.origin,
            assignment=new,
            position=old.position,
        )
        return new

    def action(self, old: Action, decision: CarryOverDecision) -> Action:
        carried_assignment = (
            getattr(old.assignment, "carry_over", None) if old.assignment_id else None
        )
        new = Action.objects.create(
            key=self.key(old.key),
            plan=self.plan(old.plan),
            goal_area=self.goal_area(old.goal_area),
            objective=self.objective(old.objective),
            assignment=carried_assignment.result_assignment if carried_assignment else None,
            text=decision.replacement or old.text,
            completion_criterion=old.completion_criterion,
            responsible_raw=old.responsible_raw,
            start_raw=old.start_raw,
            end_raw=str(self.to_year),
            notes=[*old.notes, lineage_note(old, decision, self.from_year)],
            position=old.position,
        )
        for responsibility in old.responsibilities.all():
            ActionResponsibility.objects.create(
                action=new,
                unit=responsibility.unit,
                role=responsibility.role,
                position=responsibility.position,
            )
        new.focus_areas.set(old.focus_areas.all())
        return new


def lineage_note(old: Action | Assignment, decision: CarryOverDecision, year: int) -> str:
    if decision.decision == CarryOverDecision.Decision.REPLACE:
        return _("Replaces %(key)s of the plan for %(year)d.") % {"key": old.key, "year": year}
    return _("Carried over from %(key)s of the plan for %(year)d.") % {"key": old.key, "year": year}


@transaction.atomic
def carry_over_plan(board: Plan, *, actor: Actor, to_year: int) -> CarryOverResult:
    """Make next year's plan (a draft, with the board's goal areas and objectives as far
    as used) with every unfinished item decided "continue" or "replace". Finished items
    are never carried; items already carried are not carried again."""
    require(actor, "verksam.carry_over", board)
    if board.parent_id is not None:
        raise ValidationError(_("Carry over the board's plan, not one of its parts."))
    if to_year <= board.year:
        raise ValidationError(_("Carry over goes to a later year."))
    try:
        clean_year(to_year)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    carrier = Carrier(board, to_year)
    result = CarryOverResult()
    carrying = {CarryOverDecision.Decision.CONTINUE, CarryOverDecision.Decision.REPLACE}
    for entry in unfinished(board):
        item, decision = entry.item, entry.decision
        if decision is None:
            result.undecided.append(item)
        elif decision.result is not None:
            result.already += 1
        elif decision.decision in carrying:
            new = carrier.carry(item, decision)
            decision.result = new
            decision.save()
            result.carried.append(new)
    result.plans = carrier.made
    return result
