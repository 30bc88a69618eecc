"""The plan as a tree: goal area → objective → assignment → action, on one page.

For finding one's way through a plan: every item is a link to its own page. Filtered to one
office with `?office=CODE` like the goal area pages; a fixed number of queries.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from verksam.core.navigation import Crumb
from verksam.pages.navigation import context_crumbs, office_parts, plan_family, selected_office
from verksam.plans.models import Action, Assignment, GoalArea, Objective, Plan


@dataclass
class Branch:
    """An objective (or, objective None, the goal area as a whole) with what serves it."""

    objective: Objective | None
    assignments: list[Assignment] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


@dataclass
class Trunk:
    goal_area: GoalArea
    branches: list[Branch]


def plan_tree(
    goal_areas: list[GoalArea],
    objectives: list[Objective],
    assignments: list[Assignment],
    loose_actions: list[Action],
) -> list[Trunk]:
    """Sort the items under their goal areas and objectives. An assignment goes under its first
    objective, as in the printed plan; an action without an assignment under its objective."""
    branches: dict[int, dict[int | None, Branch]] = {
        ga.pk: {None: Branch(None)} for ga in goal_areas
    }
    for objective in objectives:
        branches[objective.goal_area_id][objective.pk] = Branch(objective)

    def branch(goal_area_id: int, objective_id: int | None) -> Branch:
        area = branches[goal_area_id]
        return area.get(objective_id) or area[None]

    for assignment in assignments:
        first = next(iter(assignment.objectives.all()), None)
        branch(assignment.goal_area_id, first.pk if first else None).assignments.append(assignment)
    for action in loose_actions:
        branch(action.goal_area_id, action.objective_id).actions.append(action)
    return [
        Trunk(
            ga, [b for b in branches[ga.pk].values() if b.objective or b.assignments or b.actions]
        )
        for ga in goal_areas
    ]


@require_safe
def plan_tree_page(request: HttpRequest, key: str) -> HttpResponse:
    """A board's plan (and its offices' parts) as one tree; `?office=` shows one office."""
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("owner", "parent__owner"), key=key
    )
    root = plan.root
    family = plan_family(request.user, root)
    office = selected_office(request, family) or (plan if plan.parent_id else None)
    plans = [office] if office else family
    goal_areas = list(root.goal_areas.order_by("position", "pk"))
    objectives = list(
        Objective.objects.filter(goal_area__plan=root).order_by("goal_area__position", "position")
    )
    tree = plan_tree(
        goal_areas,
        objectives,
        list(
            Assignment.objects.filter(plan__in=plans)
            .with_objectives_and_actions()
            .in_document_order()
        ),
        list(Action.objects.filter(plan__in=plans).without_assignment().in_document_order()),
    )
    return render(
        request,
        "pages/plan_tree.html",
        {
            "plan": root,
            "office": office,
            "offices": office_parts(family),
            "tree": tree,
            "breadcrumbs": [*context_crumbs(root), Crumb(_("The plan as a tree"))],
        },
    )
