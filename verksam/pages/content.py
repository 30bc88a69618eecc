"""A plan's content arranged as the printed plan arranges it, for the goal area, objective
and plan pages: per office, its own texts, then objective by objective its texts,
assignments, actions and indicator tables."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from verksam.core.prose import Block, prose
from verksam.indicators.models import Indicator
from verksam.indicators.tables import IndicatorTable, indicator_tables
from verksam.plans.arrangement import Items, arrange
from verksam.plans.models import (
    Action,
    Assignment,
    GoalArea,
    GoverningDocument,
    Objective,
    Plan,
    PlanSection,
)


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
    """An assignment as its goal area or objective prints it, with the actions shown under it."""

    assignment: Assignment
    description: list[Block]
    actions: list[Action] = field(default_factory=list)


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
    goal_area: GoalArea,
    objectives: list[Objective],
    *,
    sections: Iterable[PlanSection],
    assignments: Iterable[Assignment],
    actions: Iterable[Action],
    indicators: Iterable[Indicator],
) -> list[OfficeContent]:
    """The fetched items of one goal area (or one objective) as office → objective groups,
    in the document's order, arranged as the documents arrange them (`plans.arrangement`).

    Actions come without the assignment's (the page prints those with their assignment).
    """
    arrangement = arrange(
        objectives,
        sections=sections,
        assignments=assignments,
        actions=actions,
        indicators=indicators,
    )
    content = []
    for plan in plans:
        whole = ObjectiveGroup(None)
        place = arrangement.at(plan.pk, goal_area.pk, None)
        office_sections = prose_sections(place.sections)
        fill(whole, place)
        groups = []
        for objective in objectives:
            groups.append(group := ObjectiveGroup(objective))
            fill(group, arrangement.at(plan.pk, goal_area.pk, objective.pk))
        filled = [g for g in [*groups, whole] if g]
        office_indicators = [i for g in filled for i in g.indicators]
        for g in filled:
            g.indicator_tables = indicator_tables(g.indicators, office_indicators)
        content.append(OfficeContent(plan, office_sections, filled))
    return content


def fill(group: ObjectiveGroup, items: Items) -> None:
    """Put one place's items into a group of the page."""
    group.sections += prose_sections(items.sections)
    group.assignments += [
        AssignmentEntry(a, prose(a.description), list(a.actions.all())) for a in items.assignments
    ]
    group.actions += items.actions
    group.indicators += items.indicators


def narrowed(
    content: list[OfficeContent],
    *,
    item: Callable[[Action | Assignment], bool],
    indicator: Callable[[Indicator], bool],
) -> list[OfficeContent]:
    """Only the items that `item` and `indicator` keep, without the texts: a goal area or an
    objective filtered by status. An assignment stays when it or one of its actions is kept,
    with the kept actions; the indicator tables are laid out again over the kept indicators."""
    result = []
    for part in content:
        groups = []
        for group in part.groups:
            entries = []
            for entry in group.assignments:
                actions = [a for a in entry.actions if item(a)]
                if item(entry.assignment) or actions:
                    entries.append(AssignmentEntry(entry.assignment, entry.description, actions))
            kept = ObjectiveGroup(
                group.objective,
                assignments=entries,
                actions=[a for a in group.actions if item(a)],
                indicators=[i for i in group.indicators if indicator(i)],
            )
            if kept:
                groups.append(kept)
        office_indicators = [i for g in groups for i in g.indicators]
        for g in groups:
            g.indicator_tables = indicator_tables(g.indicators, office_indicators)
        result.append(OfficeContent(part.plan, [], groups))
    return result
