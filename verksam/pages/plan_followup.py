"""The follow-up on a plan's page: per goal area how many actions and assignments have each
latest status and how many indicators each latest assessment, of the rounds the visitor may
read, drawn as the overview's stacked bars with the same figures in a table, each figure a
link to its goal area's page filtered to it; and, with the page's status filter, the plan's
items in that state.

The states are those every plan page shows beside an item (`followup.item_followup`): the
latest report the visitor may read (`with_latest_status` counts them in the database, one
grouped query per kind) and the assessment of the latest outcome (read with the indicators
the page prints anyway). A fixed number of queries however large the plan.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count
from django.utils.translation import gettext as _

from verksam.followup.item_followup import (
    NOT_REPORTED,
    outcome_state,
    with_latest_status,
    with_readable_reports,
)
from verksam.indicators.models import Indicator
from verksam.pages.charts import stacked_bars
from verksam.pages.overview import Figure, FollowupColumn, FollowupTable, Row
from verksam.pages.status_filter import ASSESSMENT_STATES, STATUS_STATES, StateFilter
from verksam.plans.models import Action, Assignment, GoalArea, Plan

ByArea = dict[tuple[str, int | None], int]


@dataclass
class PlanFollowup:
    """The plan page's follow-up: the two tables (with their charts) and, when the page is
    filtered, the items in the chosen state."""

    tables: list[FollowupTable]
    reported: int
    items: list[tuple[str, Action | Assignment]] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)


def status_counts(plans: list[Plan], user: User | AnonymousUser) -> ByArea:
    """Actions and assignments per (latest status, goal area): one grouped query per kind."""
    counted: Counter[tuple[str, int | None]] = Counter()
    for model in (Assignment, Action):
        rows = (
            with_latest_status(model.objects.filter(plan__in=plans), user)
            .order_by()
            .values_list("latest_status", "goal_area_id")
            .annotate(n=Count("pk"))
        )
        for status, area_id, n in rows:
            counted[(status or NOT_REPORTED, area_id)] += n
    return dict(counted)


def assessment_counts(indicators: list[Indicator]) -> ByArea:
    """Indicators per (latest assessment, goal area), from the fetched indicators."""
    return dict(Counter((outcome_state(i), i.goal_area_id) for i in indicators))


def state_table(
    kind: str,
    states: list[str],
    counted: ByArea,
    goal_areas: Sequence[GoalArea],
    plan: Plan,
    office: Plan | None,
) -> FollowupTable:
    """One kind's figures per goal area (and the plan as a whole, where it holds any), each
    a link to the goal area's page filtered to the state (the plan's own page for the plan
    as a whole and the total)."""
    columns = [
        FollowupColumn(state, "status" if kind == "status" else "attainment") for state in states
    ]

    def url(area: GoalArea | None, state: str) -> str:
        if area is None:
            return f"{plan.get_absolute_url()}?{urlencode({'status': state})}#followup"
        params = {"office": office.owner.code} if office is not None else {}
        return f"{area.get_absolute_url()}?{urlencode({**params, 'status': state})}"

    rows = []
    areas: list[GoalArea | None] = [*goal_areas, None]
    for area in areas:
        area_id = area.pk if area else None
        numbers = [counted.get((state, area_id), 0) for state in states]
        if not any(numbers):
            continue
        label = str(area) if area else _("The plan as a whole")
        rows.append(
            Row(
                label,
                area,
                [Figure(n, url(area, s)) for s, n in zip(states, numbers, strict=True)],
            )
        )
    total = Row(
        _("All goal areas"),
        None,
        [
            Figure(sum(r.figures[i].count for r in rows), url(None, state))
            for i, state in enumerate(states)
        ],
    )
    chart = stacked_bars(
        [
            (
                row.label,
                [(c.key, f.count, f.url) for c, f in zip(columns, row.figures, strict=True)],
            )
            for row in rows
        ]
    )
    return FollowupTable(kind, columns, [], total, rows, chart)


def plan_followup(
    plan: Plan,
    plans: list[Plan],
    goal_areas: Sequence[GoalArea],
    indicators: list[Indicator],
    chosen: StateFilter,
    user: User | AnonymousUser,
) -> PlanFollowup:
    """The follow-up of `plans` (a board's plan and the parts the visitor may read, or an
    office's part) for its page; `indicators`: all of theirs, with their values and the
    outcomes the visitor may read (`with_readable_outcomes`)."""
    office = plan if plan.parent_id is not None else None
    statuses = status_counts(plans, user)
    assessments = assessment_counts(indicators)
    status_keys = [state for state, _label in STATUS_STATES]
    assessment_keys = [state for state, _label in ASSESSMENT_STATES]
    tables = [
        state_table("status", status_keys, statuses, goal_areas, plan, office),
        state_table("assessment", assessment_keys, assessments, goal_areas, plan, office),
    ]
    reported = sum(n for (state, _area), n in statuses.items() if state != NOT_REPORTED)
    with_outcome = dict(ASSESSMENT_STATES[:-1])
    reported += sum(n for (state, _area), n in assessments.items() if state in with_outcome)
    result = PlanFollowup(tables, reported)
    if chosen.is_status:
        result.items = items_in_state(plans, chosen.state, user)
    elif chosen.state:
        result.indicators = [i for i in indicators if chosen.keeps_indicator(i)]
    return result


def items_in_state(
    plans: list[Plan], state: str, user: User | AnonymousUser
) -> list[tuple[str, Action | Assignment]]:
    """The assignments, then the actions, of `plans` whose latest status is `state`, by goal
    area, each with its kind and its reports for the page (two queries per kind)."""
    found: list[tuple[str, Action | Assignment]] = []
    models: tuple[tuple[str, type[Assignment] | type[Action]], ...] = (
        ("assignment", Assignment),
        ("action", Action),
    )
    for kind, model in models:
        items = with_latest_status(model.objects.filter(plan__in=plans).in_document_order(), user)
        if state == NOT_REPORTED:
            items = items.filter(latest_status__isnull=True)
        else:
            items = items.filter(latest_status=state)
        found += [
            (kind, item)
            for item in with_readable_reports(
                items.select_related("plan__owner", "goal_area"), user
            )
        ]
    return sorted(found, key=lambda pair: pair[1].goal_area.position)
