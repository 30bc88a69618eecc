"""Where a plan's items print: office → goal area → objective → items. The plan pages
(`pages/content.py`) and the documents (`reports/plan_document.py`) both arrange a plan's
content through `arrange`, so they print the same item in the same place.

- A text, an action without an assignment (a table serving an objective or a goal area as a
  whole) and an indicator go under their objective when it is one of the objectives in
  scope and belongs to the item's goal area, else under the goal area as a whole (or the
  plan, without a goal area).
- An assignment goes under its first such objective (it is printed once).
- An action of an assignment goes with its assignment.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from verksam.plans.models import Action, Assignment, Objective, PlanSection

Place = tuple[int, int | None, int | None]  # plan, goal area, objective (pks)


class Placed(Protocol):
    """An item of plan content with a place (an indicator: `indicators` is above `plans`)."""

    plan_id: int
    goal_area_id: int | None
    objective_id: int | None


@dataclass
class Items:
    """What one office prints in one place, in document order."""

    sections: list[PlanSection] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)  # without an assignment
    indicators: list[Any] = field(default_factory=list)  # Placed (indicators.Indicator)

    def __bool__(self) -> bool:
        return bool(self.sections or self.assignments or self.actions or self.indicators)


@dataclass
class Arrangement:
    """A plan's items by place, and the actions of each assignment."""

    places: dict[Place, Items] = field(default_factory=dict)
    assignment_actions: dict[int, list[Action]] = field(default_factory=dict)

    def at(self, plan_id: int, goal_area_id: int | None, objective_id: int | None) -> Items:
        """The items of one place (empty where there are none)."""
        return self.places.get((plan_id, goal_area_id, objective_id)) or Items()

    def has_goal_area(self, plan_id: int, goal_area_id: int) -> bool:
        """Whether the office prints anything in the goal area."""
        return any(key[:2] == (plan_id, goal_area_id) for key in self.places)


def arrange(
    objectives: Iterable[Objective],
    *,
    sections: Iterable[PlanSection] = (),
    assignments: Iterable[Assignment] = (),
    actions: Iterable[Action] = (),
    indicators: Iterable[Placed] = (),
) -> Arrangement:
    """Sort fetched items (in document order) into their places. `objectives` are the
    objectives in scope: a goal area's on its page and in the documents, one on its page.
    An assignment's objectives must be prefetched."""
    goal_area_of = {o.pk: o.goal_area_id for o in objectives}
    arrangement = Arrangement()

    def objective_of(goal_area_id: int | None, objective_ids: Iterable[int | None]) -> int | None:
        return next(
            (pk for pk in objective_ids if pk in goal_area_of and goal_area_of[pk] == goal_area_id),
            None,
        )

    def items(item: Any, objective_ids: Iterable[int | None]) -> Items:
        objective_id = objective_of(item.goal_area_id, objective_ids)
        key = (item.plan_id, item.goal_area_id, objective_id)
        return arrangement.places.setdefault(key, Items())

    for section in sections:
        items(section, [section.objective_id]).sections.append(section)
    for assignment in assignments:
        linked = [o.pk for o in assignment.objectives.all()]
        items(assignment, linked).assignments.append(assignment)
    for action in actions:
        if action.assignment_id is not None:
            arrangement.assignment_actions.setdefault(action.assignment_id, []).append(action)
        else:
            items(action, [action.objective_id]).actions.append(action)
    for indicator in indicators:
        items(indicator, [indicator.objective_id]).indicators.append(indicator)
    return arrangement
