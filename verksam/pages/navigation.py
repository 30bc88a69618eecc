"""Finding one's way through a plan: its offices' parts, the office filter (`?office=CODE`)
and the breadcrumbs from home down to an item."""

from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from verksam.core.navigation import Crumb, short
from verksam.plans.models import Assignment, GoalArea, Objective, Plan


def plan_family(user: User | AnonymousUser, board: Plan) -> list[Plan]:
    """The board's plan and its offices' parts that the user may read, board first."""
    return list(Plan.objects.visible_to(user).family(board).select_related("owner", "parent"))


def office_parts(family: list[Plan]) -> list[Plan]:
    """The plans that the office filter offers: the parts, or the plan itself if it has none."""
    return [p for p in family if p.parent_id is not None] or family


def selected_office(request: HttpRequest, family: list[Plan]) -> Plan | None:
    """The plan named by `?office=CODE` (its owner's code); 404 for a code not in the family."""
    code = request.GET.get("office", "").strip()
    if not code:
        return None
    for plan in family:
        if plan.owner.code.casefold() == code.casefold():
            return plan
    raise Http404(_("No office with the code %(code)s in this plan.") % {"code": code})


def office_query(plan: Plan | None) -> str:
    """The office filter that keeps the goal area and objective pages to `plan`'s office."""
    return f"?office={plan.owner.code}" if plan is not None and plan.parent_id else ""


def context_crumbs(
    plan: Plan,
    *,
    goal_area: GoalArea | None = None,
    objective: Objective | None = None,
    assignment: Assignment | None = None,
    office: Plan | None = None,
) -> list[Crumb]:
    """The way down from home to an item: board plan › office part › goal area › objective
    › assignment. `office` is the part to filter the goal area and objective pages by."""
    crumbs = [Crumb(_("Home"), reverse("pages:home"))]
    if plan.parent is not None:
        crumbs.append(Crumb(short(plan.parent), plan.parent.get_absolute_url()))
    crumbs.append(Crumb(short(plan), plan.get_absolute_url()))
    query = office_query(office)
    if goal_area is not None:
        crumbs.append(Crumb(short(goal_area), goal_area.get_absolute_url() + query))
    if objective is not None:
        crumbs.append(Crumb(short(objective), objective.get_absolute_url() + query))
    if assignment is not None:
        crumbs.append(Crumb(short(assignment), assignment.get_absolute_url()))
    return crumbs
