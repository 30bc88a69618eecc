"""The overview of a plan: per office and goal area how many assignments, actions and
indicators there are and how many actions are late, each figure a link to the list behind it;
and from the plan's open (else latest) follow-up period, each goal area's attainment (the
home's tiles, `followup.glance.goal_area_tiles`), actions and assignments by status,
indicators by assessment and how much of the round is reported.

Every figure is a `Measure` in `MEASURES`; one grouped query per measure, so the page runs a
fixed number of queries however large the plan. The follow-up figures are counted by one
grouped query per kind (`status_counts`, `assessment_counts`).
"""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Case, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from verksam.core.navigation import Crumb, short
from verksam.economy.reporting import economy_for
from verksam.followup import glance
from verksam.followup.item_followup import NO_OUTCOME, NOT_REPORTED
from verksam.followup.models import (
    Attainment,
    IndicatorOutcome,
    ReportingPeriod,
    StatusChoice,
    StatusReport,
)
from verksam.followup.reporting import assessed_outcomes
from verksam.indicators.models import Indicator
from verksam.pages.charts import StackChart, stacked_bars
from verksam.pages.lists import WHOLE_PLAN
from verksam.pages.navigation import context_crumbs, plan_family
from verksam.plans.models import (
    DOCUMENT_ORDER,
    Action,
    Assignment,
    GoalArea,
    Plan,
    PlanContentQuerySet,
)

LATE_SHOWN = 10


@dataclass(frozen=True)
class Measure:
    """One figure: the items it counts (of some plans, on a day, as a reader may know them)
    and the list that shows them."""

    key: str
    label: Promise
    list_name: str
    items: Callable[[list[Plan], date, User | AnonymousUser], PlanContentQuerySet]
    filters: dict[str, str] = field(default_factory=dict)


MEASURES = [
    Measure(
        "assignments",
        gettext_lazy("Assignments"),
        "pages:assignment_list",
        lambda plans, today, reader: Assignment.objects.filter(plan__in=plans),
    ),
    Measure(
        "actions",
        gettext_lazy("Actions"),
        "pages:action_list",
        lambda plans, today, reader: Action.objects.filter(plan__in=plans),
    ),
    Measure(
        "late_actions",
        gettext_lazy("Late actions"),
        "pages:action_list",
        lambda plans, today, reader: Action.objects.filter(plan__in=plans).late(
            on=today, reader=reader
        ),
        {"late": "on"},
    ),
    Measure(
        "indicators",
        gettext_lazy("Indicators"),
        "pages:indicator_list",
        lambda plans, today, reader: Indicator.objects.filter(plan__in=plans),
    ),
]


ByPlace = dict[tuple[int, int | None], int]


@dataclass(frozen=True)
class FollowupColumn:
    """A follow-up figure: a status or an attainment (its heading a badge in words and
    colour), or not reported; with the list behind it where there is one."""

    key: str
    badge: str  # "status" or "attainment"
    list_name: str = ""
    filters: dict[str, str] = field(default_factory=dict)


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


@dataclass
class FollowupTable:
    """Items of one kind by status (or assessment) in a period, per office and goal area."""

    kind: str  # "action", "assignment" or "indicator"
    columns: list[FollowupColumn]
    overviews: list[OfficeOverview]
    total: Row
    # The same figures per goal area over all offices, with their chart.
    by_area: list[Row] = field(default_factory=list)
    chart: StackChart | None = None


@dataclass
class Completeness:
    """How much of the round an office (or the plan) has reported."""

    label: str
    reported: int
    expected: int

    @property
    def percent(self) -> int:
        return round(100 * self.reported / self.expected) if self.expected else 100


def counts(plans: list[Plan], today: date, reader: User | AnonymousUser) -> dict[str, ByPlace]:
    """Per measure, the count per (plan, goal area): one query each."""
    return {
        measure.key: measure.items(plans, today, reader).count_by_place() for measure in MEASURES
    }


def list_url(
    measure: Measure | FollowupColumn,
    root: Plan,
    office: Plan | None,
    area: GoalArea | None,
    *,
    whole_plan: bool = False,
) -> str:
    """The list behind a figure, filtered as the figure counts ("" if it has none): of a goal
    area, of the plan as a whole (`whole_plan`: the items in no goal area), or of all."""
    if not measure.list_name:
        return ""
    params = {"plan": root.key}
    if office is not None:
        params["office"] = office.owner.code
    if area is not None:
        params["goal_area"] = area.key
    elif whole_plan:
        params["goal_area"] = WHOLE_PLAN
    return f"{reverse(measure.list_name)}?{urlencode({**params, **measure.filters})}"


def office_overviews(
    root: Plan,
    offices: list[Plan],
    goal_areas: list[GoalArea],
    measures: Sequence[Measure | FollowupColumn],
    by_measure: dict[str, ByPlace],
) -> tuple[list[OfficeOverview], Row]:
    """A table per office (rows: goal areas) and the plan's total over all offices."""
    overviews = []
    for office in offices:
        areas: list[GoalArea | None] = [*goal_areas, None]
        rows = []
        for area in areas:
            area_id = area.pk if area else None
            numbers = [by_measure[m.key].get((office.pk, area_id), 0) for m in measures]
            if area is None and not any(numbers):
                continue
            label = str(area) if area else _("The plan as a whole")
            rows.append(
                Row(
                    label,
                    area,
                    [
                        Figure(n, list_url(m, root, office, area, whole_plan=area is None))
                        for m, n in zip(measures, numbers, strict=True)
                    ],
                )
            )
        total = Row(
            _("All goal areas"),
            None,
            [
                Figure(sum(f.figures[i].count for f in rows), list_url(m, root, office, None))
                for i, m in enumerate(measures)
            ],
        )
        overviews.append(OfficeOverview(office, rows, total))
    grand_total = Row(
        _("All offices"),
        None,
        [
            Figure(sum(o.total.figures[i].count for o in overviews), list_url(m, root, None, None))
            for i, m in enumerate(measures)
        ],
    )
    return overviews, grand_total


# --- Follow-up -----------------------------------------------------------------------------


def followup_period(request: HttpRequest, root: Plan) -> ReportingPeriod | None:
    """The plan's open period, else its latest started one, as far as the user may see (an
    open round's figures are drafts: for readers at the plan's owner, the board)."""
    return (
        ReportingPeriod.objects.with_reports_readable_by(request.user, root)
        .filter(plan=root)
        .exclude(status=ReportingPeriod.Status.PLANNED)
        .order_by(
            Case(When(status=ReportingPeriod.Status.OPEN, then=Value(0)), default=1), "-as_of"
        )
        .first()
    )


def not_reported(reported: dict[str, ByPlace], totals: ByPlace) -> ByPlace:
    """Per place, the items with no report: all of them less the reported ones."""
    done: Counter = Counter()
    for by_place in reported.values():
        done.update(by_place)
    return {place: n - done[place] for place, n in totals.items()}


def status_counts(
    model: type[Action] | type[Assignment],
    plans: list[Plan],
    period: ReportingPeriod,
    totals: ByPlace,
) -> dict[str, ByPlace]:
    """Per status (and not reported), the count per (plan, goal area): one query."""
    rows = StatusReport.objects.filter(period=period).counted_by_place(model, plans)
    result: dict[str, ByPlace] = {status: {} for status in StatusChoice.values}
    for plan_id, area_id, status, n in rows:
        result[status][(plan_id, area_id)] = n
    result[NOT_REPORTED] = not_reported(result, totals)
    return result


def assessment_counts(
    plans: list[Plan], period: ReportingPeriod, totals: ByPlace
) -> dict[str, ByPlace]:
    """Per attainment (and no outcome), the count of indicators per (plan, goal area), in two
    queries (`reporting.assessed_outcomes`)."""
    outcomes = IndicatorOutcome.objects.filter(period=period, indicator__plan__in=plans)
    result: dict[str, Counter] = {attainment: Counter() for attainment in Attainment.values}
    for outcome, attainment in assessed_outcomes(outcomes, period):
        indicator = outcome.indicator
        result[attainment][(indicator.plan_id, indicator.goal_area_id)] += 1
    counted: dict[str, ByPlace] = {key: dict(by_place) for key, by_place in result.items()}
    counted[NO_OUTCOME] = not_reported(counted, totals)
    return counted


def status_columns(list_name: str, period: ReportingPeriod) -> list[FollowupColumn]:
    return [
        FollowupColumn(status, "status", list_name, {"period": period.key, "status": status})
        for status in [*StatusChoice.values, NOT_REPORTED]
    ]


def followup_tables(
    period: ReportingPeriod,
    root: Plan,
    offices: list[Plan],
    goal_areas: list[GoalArea],
    by_measure: dict[str, ByPlace],
) -> list[FollowupTable]:
    """Actions and assignments by status, and (where the round asks for outcomes)
    indicators by assessment."""
    tables = []
    kinds = [
        (
            "action",
            status_columns("pages:action_list", period),
            status_counts(Action, offices, period, by_measure["actions"]),
        ),
        (
            "assignment",
            status_columns("pages:assignment_list", period),
            status_counts(Assignment, offices, period, by_measure["assignments"]),
        ),
    ]
    if period.expects_outcomes:
        columns = [
            FollowupColumn(
                a, "attainment", "pages:indicator_list", {"period": period.key, "assessment": a}
            )
            for a in [*Attainment.values, NO_OUTCOME]
        ]
        kinds.append(
            ("indicator", columns, assessment_counts(offices, period, by_measure["indicators"]))
        )
    for kind, columns, counted in kinds:
        overviews, total = office_overviews(root, offices, goal_areas, columns, counted)
        table = FollowupTable(kind, columns, [o for o in overviews if o.rows], total)
        table.by_area = area_rows(table, root, goal_areas)
        table.chart = stacked_bars(
            [
                (
                    row.label,
                    [(c.key, f.count, f.url) for c, f in zip(columns, row.figures, strict=True)],
                )
                for row in table.by_area
            ]
        )
        tables.append(table)
    return tables


def area_rows(table: FollowupTable, root: Plan, goal_areas: list[GoalArea]) -> list[Row]:
    """The table's figures per goal area, added up over the offices (no query): the rows of
    the overview's chart, each figure a link to the list of the whole plan's items (in that goal
    area, or in none)."""
    sums: dict[int | None, list[int]] = {}
    for overview in table.overviews:
        for row in overview.rows:
            counts = sums.setdefault(
                row.goal_area.pk if row.goal_area else None, [0] * len(table.columns)
            )
            for i, figure in enumerate(row.figures):
                counts[i] += figure.count
    rows = []
    areas: list[GoalArea | None] = [*goal_areas, None]
    for area in areas:
        totals = sums.get(area.pk if area else None)
        if not totals or not any(totals):
            continue
        rows.append(
            Row(
                str(area) if area else _("The plan as a whole"),
                area,
                [
                    Figure(n, list_url(column, root, None, area, whole_plan=area is None))
                    for column, n in zip(table.columns, totals, strict=True)
                ],
            )
        )
    return rows


def completeness(tables: list[FollowupTable]) -> tuple[list[Completeness], Completeness]:
    """Per office and in all, how many of the items the round asks for are reported (the
    last column of each table counts the unreported)."""
    by_office: dict[Plan, Completeness] = {}
    for table in tables:
        for overview in table.overviews:
            counts = [figure.count for figure in overview.total.figures]
            entry = by_office.setdefault(
                overview.plan, Completeness(overview.plan.owner.name, 0, 0)
            )
            entry.reported += sum(counts) - counts[-1]
            entry.expected += sum(counts)
    total = Completeness(_("All offices"), 0, 0)
    for entry in by_office.values():
        total.reported += entry.reported
        total.expected += entry.expected
    return list(by_office.values()), total


@require_safe
def plan_overview(request: HttpRequest, key: str) -> HttpResponse:
    """The plan at a glance: figures per office and goal area, and the actions that are late."""
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("owner", "parent__owner"), key=key
    )
    root = plan.root
    # A board's plan: its own items (plan-wide indicators) and each office's part.
    offices = plan_family(request.user, root) if plan.parent_id is None else [plan]
    goal_areas = list(root.goal_areas.order_by("position", "pk"))
    today = timezone.localdate()
    by_measure = counts(offices, today, request.user)
    overviews, total = office_overviews(root, offices, goal_areas, MEASURES, by_measure)
    overviews = [o for o in overviews if o.rows]
    period = followup_period(request, root)
    tables = followup_tables(period, root, offices, goal_areas, by_measure) if period else []
    reported, reported_total = completeness(tables)
    # Each goal area's attainment in the round, as the home's tiles show it.
    tiles = (
        glance.goal_area_tiles(period, glance.round_data_for(period, request.user))
        if period
        else []
    )
    # The round's economy: office totals and the board's, forecast against budget.
    economy = economy_for(period, request.user, totals_only=True) if period else None
    late = list(
        Action.objects.filter(plan__in=offices)
        .late(on=today, reader=request.user)
        .select_related("plan__owner")
        .order_by("end_date", *DOCUMENT_ORDER)[:LATE_SHOWN]
    )
    late_measure = next(m for m in MEASURES if m.key == "late_actions")
    return render(
        request,
        "pages/plan_overview.html",
        {
            "plan": plan,
            "measures": MEASURES,
            "overviews": overviews,
            "total": total,
            "late": late,
            "late_total": total.figures[MEASURES.index(late_measure)],
            "period": period,
            "followup_tables": tables,
            "tiles": tiles,
            "completeness": reported,
            "completeness_total": reported_total,
            "economy": economy,
            "can_see_board": period is not None
            and request.user.has_perm("verksam.close_period", period),
            "today": today,
            "breadcrumbs": [*context_crumbs(plan), Crumb(_("Overview"))],
            "title": short(plan),
        },
    )
