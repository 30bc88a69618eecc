"""arrange: where a plan's items print, the same for the plan pages and the documents."""

import pytest

from verksam.indicators.models import Indicator
from verksam.plans.arrangement import arrange
from verksam.plans.models import Action, Assignment, GoalArea, Objective

pytestmark = pytest.mark.django_db


def goal_area_objectives(key: str) -> list[Objective]:
    return list(GoalArea.objects.get(key=key).objectives.order_by("position"))


def test_an_assignment_prints_once_under_its_first_objective_of_its_own_goal_area():
    assignment = Assignment.objects.get(key="ksk-2022-1.1-u1")
    other = Objective.objects.exclude(goal_area=assignment.goal_area).order_by("position").first()
    own = Objective.objects.get(key="2022-1.1")
    assignment.objectives.set([other, own])
    objectives = [*goal_area_objectives("2022-ma1"), *goal_area_objectives(other.goal_area.key)]
    arranged = arrange(
        objectives,
        assignments=Assignment.objects.filter(pk=assignment.pk).prefetch_related("objectives"),
    )
    assert list(arranged.places) == [(assignment.plan_id, assignment.goal_area_id, own.pk)]


def test_an_assignments_actions_go_with_it_and_the_others_under_their_objective():
    actions = list(
        Action.objects.filter(plan__key="TSK-2022", goal_area__key="2022-ma5").in_document_order()
    )
    arranged = arrange(goal_area_objectives("2022-ma5"), actions=actions)
    with_assignment = [a for a in actions if a.assignment_id]
    assert with_assignment
    for action in with_assignment:
        assert action in arranged.assignment_actions[action.assignment_id]
    loose = [a for a in actions if a.assignment_id is None]
    assert loose
    for action in loose:
        place = arranged.at(action.plan_id, action.goal_area_id, action.objective_id)
        assert action in place.actions


def test_an_item_whose_objective_is_out_of_scope_goes_under_its_goal_area():
    indicator = Indicator.objects.filter(objective__isnull=False).first()
    assert indicator is not None
    arranged = arrange([], indicators=[indicator])
    assert arranged.at(indicator.plan_id, indicator.goal_area_id, None).indicators == [indicator]
    assert arranged.has_goal_area(indicator.plan_id, indicator.goal_area_id)
