"""The overview of a plan: per office and goal area how many assignments, actions and
indicators there are and how many actions are late, each figure a link to the list behind it.

Every figure is a `Measure` in `MEASURES`; one grouped query per measure, so the page runs a
fixed number of queries however large the plan. Figures from follow-up (action statuses,
indicator assessments, reporting completeness) and budget deviation are added as measures here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from verksam.indicators.models import Indicator
from verksam.plans.models import Action, Assignment, GoalArea, Plan
from verksam.plans.views import Crumb, context_crumbs, plan_family, short, visible_plans

LATE_SHOWN = 10


@dataclass(frozen=True)
class Measure:
    """One figure: the items it counts (of some plans, on a day) and the list that shows them."""

    key: str
    label: Promise
    list_name: str
    items: Callable[[list[Plan], date], QuerySet]
    filters: dict[str, str] = field(default_factory=dict)


MEASURES = [
    Measure(
        "assignments",
        gettext_lazy("Assignments"),
        "plans:assignment_list",
        lambda plans, today: Assignment.objects.filter(plan__in=plans),
    ),
    Measure(
        "actions",
        gettext_lazy("Actions"),
        "plans:action_list",
        lambda plans, today: Action.objects.filter(plan__in=plans),
    ),
    Measure(
        "late_actions",
        gettext_lazy("Late actions"),
        "plans:action_list",
        lambda plans, today: Action.objects.filter(plan__in=plans).late(on=today),
        {"late": "on"},
    ),
    Measure(
        "indicators",
        gettext_lazy("Indicators"),
        "indicators:indicator_list",
        lambda plans, today: Indicator.objects.filter(plan__in=plans),
    ),
]


@dataclass(frozen=True)
class Figure:
    count: int
    url: str


@dataclass
class Row:
    """One goal area (or the plan as a whole, goal_area None) of one office, or a total."""

    label: str
    goal_area: GoalArea | None
    figures: list[Figure]


@dataclass
class OfficeOverview:
    plan: Plan
    rows: list[Row]
    total: Row


def counts(plans: list[Plan], today: date) -> dict[str, dict[tuple[int, int | None], int]]:
    """Per measure, the count per (plan, goal area): one query each."""
    result = {}
    for measure in MEASURES:
        rows = (
            measure.items(plans, today)
            .order_by()
            .values_list("plan_id", "goal_area_id")
            .annotate(n=Count("pk"))
        )
        result[measure.key] = {(plan_id, area_id): n for plan_id, area_id, n in rows}
    return result


def list_url(measure: Measure, root: Plan, office: Plan | None, area: GoalArea | None) -> str:
    """The list behind a figure, filtered as the figure counts."""
    params = {"plan": root.key}
    if office is not None:
        params["office"] = office.owner.code
    if area is not None:
        params["goal_area"] = area.key
    return f"{reverse(measure.list_name)}?{urlencode({**params, **measure.filters})}"


def office_overviews(
    root: Plan, offices: list[Plan], goal_areas: list[GoalArea], today: date
) -> tuple[list[OfficeOverview], Row]:
    """A table per office (rows: goal areas) and the plan's total over all offices."""
    by_measure = counts(offices, today)
    overviews = []
    for office in offices:
        areas: list[GoalArea | None] = [*goal_areas, None]
        rows = []
        for area in areas:
            area_id = area.pk if area else None
            numbers = [by_measure[m.key].get((office.pk, area_id), 0) for m in MEASURES]
            if area is None and not any(numbers):
                continue
            label = str(area) if area else _("The plan as a whole")
            rows.append(
                Row(
                    label,
                    area,
                    [
                        Figure(n, list_url(m, root, office, area))
                        for m, n in zip(MEASURES, numbers, strict=True)
                    ],
                )
            )
        total = Row(
            _("All goal areas"),
            None,
            [
                Figure(sum(f.figures[i].count for f in rows), list_url(m, root, office, None))
                for i, m in enumerate(MEASURES)
            ],
        )
        overviews.append(OfficeOverview(office, rows, total))
    grand_total = Row(
        _("All offices"),
        None,
        [
            Figure(sum(o.total.figures[i].count for o in overviews), list_url(m, root, None, None))
            for i, m in enumerate(MEASURES)
        ],
    )
    return overviews, grand_total


@require_safe
def plan_overview(request: HttpRequest, key: str) -> HttpResponse:
    """The plan at a glance: figures per office and goal area, and the actions that are late."""
    plan = get_object_or_404(
        visible_plans(request).select_related("owner", "parent__owner"), key=key
    )
    root = plan.root
    # A board's plan: its own items (plan-wide indicators) and each office's part.
    offices = plan_family(request, root) if plan.parent_id is None else [plan]
    goal_areas = list(root.goal_areas.order_by("position", "pk"))
    today = date.today()
    overviews, total = office_overviews(root, offices, goal_areas, today)
    overviews = [o for o in overviews if o.rows]
    late = list(
        Action.objects.filter(plan__in=offices)
        .late(on=today)
        .select_related("plan__owner")
        .order_by("end_date", "plan__position", "position", "pk")[:LATE_SHOWN]
    )
    late_measure = next(m for m in MEASURES if m.key == "late_actions")
    return render(
        request,
        "plans/plan_overview.html",
        {
            "plan": plan,
            "measures": MEASURES,
            "overviews": overviews,
            "total": total,
            "late": late,
            "late_total": total.figures[MEASURES.index(late_measure)],
            "today": today,
            "breadcrumbs": [*context_crumbs(plan), Crumb(_("Overview"))],
            "title": short(plan),
        },
    )
