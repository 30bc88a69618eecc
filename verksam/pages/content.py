"""A plan's content arranged as the printed plan arranges it, for the goal area, objective
and plan pages: per office, its own texts, then objective by objective its texts,
assignments, actions and indicator tables."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from verksam.core.prose import Block, prose
from verksam.indicators.models import Indicator
from verksam.indicators.tables import IndicatorTable, indicator_tables
from verksam.plans.models import Action, Assignment, GoverningDocument, Objective, Plan, PlanSection


@dataclass
class Prose:
    """A plan section ready to print, with the tables and lists the document prints under it."""

    section: PlanSection
    blocks: list[Block]
    indicator_tables: list[IndicatorTable] = field(default_factory=list)
    documents: list[GoverningDocument] = field(default_factory=list)


def prose_sections(sections: Iterable[PlanSection]) -> list[Prose]:
    return [Prose(s, prose(s.body)) for s in sections]


@dataclass
class AssignmentEntry:
    assignment: Assignment
    description: list[Block]


@dataclass
class ObjectiveGroup:
    """What one office does for one objective, or (objective None) for the goal area as a whole."""

    objective: Objective | None
    sections: list[Prose] = field(default_factory=list)
    assignments: list[AssignmentEntry] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    indicator_tables: list[IndicatorTable] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.sections or self.assignments or self.actions or self.indicators)


@dataclass
class OfficeContent:
    """One office's part of a goal area: its own texts, then objective by objective."""

    plan: Plan
    sections: list[Prose]
    groups: list[ObjectiveGroup]

    @property
    def is_empty(self) -> bool:
        return not self.sections and not self.groups


def goal_area_content(
    plans: list[Plan],
    objectives: list[Objective],
    *,
    sections: Iterable[PlanSection],
    assignments: Iterable[Assignment],
    actions: Iterable[Action],
    indicators: Iterable[Indicator],
) -> list[OfficeContent]:
    """Sort the fetched items into office → objective groups, in the document's order.

    An assignment goes under its first objective; actions without an assignment (tables
    that serve the objective as a whole) and indicators under their objective; anything
    without one of `objectives` under the goal area as a whole.
    """
    objective_ids = {o.pk for o in objectives}
    groups: dict[int, dict[int | None, ObjectiveGroup]] = {
        p.pk: {**{o.pk: ObjectiveGroup(o) for o in objectives}, None: ObjectiveGroup(None)}
        for p in plans
    }
    office_sections: dict[int, list[Prose]] = {p.pk: [] for p in plans}

    def group(plan_id: int, objective_id: int | None) -> ObjectiveGroup:
        return groups[plan_id][objective_id if objective_id in objective_ids else None]

    for section in sections:
        if section.objective_id is None:
            office_sections[section.plan_id].extend(prose_sections([section]))
        else:
            group(section.plan_id, section.objective_id).sections.extend(prose_sections([section]))
    for assignment in assignments:
        linked = [o.pk for o in assignment.objectives.all() if o.pk in objective_ids]
        entry = AssignmentEntry(assignment, prose(assignment.description))
        group(assignment.plan_id, linked[0] if linked else None).assignments.append(entry)
    for action in actions:
        group(action.plan_id, action.objective_id).actions.append(action)
    for indicator in indicators:
        group(indicator.plan_id, indicator.objective_id).indicators.append(indicator)

    content = []
    for plan in plans:
        filled = [g for g in groups[plan.pk].values() if g]
        office_indicators = [i for g in groups[plan.pk].values() for i in g.indicators]
        for g in filled:
            g.indicator_tables = indicator_tables(g.indicators, office_indicators)
        content.append(OfficeContent(plan, office_sections[plan.pk], filled))
    return content
