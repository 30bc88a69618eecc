"""The start page: what each person must do and how things stand, picked from their roles
(a person may hold several):

- a reporter: per open round the progress counted (`followup.tallies`), the deadline, and the
  first items their units must still report and of their late items, with a link to "Att
  rapportera" for all (`followup.glance.to_report`);
- a controller: per open round of a plan they control its completeness per unit, the checks
  to resolve, the judgements to make, the late items, the submissions and the economy's
  deviation (`followup.glance.round_control`; `economy.reporting.economy_for`, its totals
  summed in SQL); the round's roll-up is computed once and shared with how it stands
  (`reporting.round_roll_up`);
- anyone with a role: the latest round they may read, its goal areas' attainment as tiles
  and the key indicators with their trend (`followup.glance`); without such a round (a
  department's reader while the first round is open), a link to where their units' items
  stand: the round's plan's follow-up;
- everyone: the plans by year and the closed rounds' reports.

Signing in lands here (`LOGIN_REDIRECT_URL`). The page runs a fixed number of queries
whatever the size of the plans: every part counts in SQL or reads a bounded list.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from verksam.accounts.rules import Role, unit_ids_with_role
from verksam.economy.reporting import Economy, economy_for
from verksam.followup import glance
from verksam.followup.models import ReportingPeriod
from verksam.followup.reporting import RoundRollUp, round_roll_up
from verksam.plans.models import Plan

# How many items of a kind a home lists before it links to the whole list.
SHOWN = 8


@dataclass
class PlanFamily:
    plan: Plan
    parts: list[Plan]


def plan_years(user: User | AnonymousUser) -> list[tuple[int, list[PlanFamily]]]:
    """The plans the user may read by year, newest first, each board's plan with its
    offices' parts under it (one query)."""
    plans = list(Plan.objects.visible_to(user).select_related("owner"))
    ids = {p.pk for p in plans}
    parts: dict[int, list[Plan]] = {}
    for plan in plans:
        if plan.parent_id in ids:
            parts.setdefault(plan.parent_id, []).append(plan)
    years: dict[int, list[PlanFamily]] = {}
    for plan in plans:
        if plan.parent_id not in ids:
            years.setdefault(plan.year, []).append(PlanFamily(plan, parts.get(plan.pk, [])))
    return sorted(years.items(), reverse=True)


@dataclass
class Control:
    """A controller's round and its economy."""

    round: glance.RoundControl
    economy: Economy


@dataclass
class Standing:
    """How the latest round the person may read stands."""

    period: ReportingPeriod
    tiles: list[glance.GoalAreaTile]
    indicators: list[glance.KeyIndicator]


def standing(user: User | AnonymousUser, rolled: dict[int, RoundRollUp]) -> Standing | None:
    """How the latest round stands; `rolled`: the roll-ups already computed on this request,
    by round."""
    period = glance.latest_round(user)
    if period is None:
        return None
    data = glance.round_data_for(period, user, rolled.get(period.pk))
    return Standing(
        period, glance.goal_area_tiles(period, data), glance.key_indicators(period, data)
    )


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The person's tasks and how things stand, then the plans by year and the closed
    rounds' reports."""
    user = request.user
    today = timezone.localdate()
    controls = unit_ids_with_role(user, Role.CONTROLLER)
    # A controller's units are in the controller's part; the reporter's part is for the
    # units where the person only reports.
    reports_for = unit_ids_with_role(user, Role.REPORTER) - controls
    has_role = bool(unit_ids_with_role(user, Role.READER))
    open_rounds = (
        list(ReportingPeriod.objects.visible_to(user).open().select_related("plan__owner"))
        if has_role
        else []
    )
    to_report = (
        [glance.to_report(period, reports_for, shown=SHOWN) for period in open_rounds]
        if reports_for
        else []
    )
    # Each controlled round's roll-up once, for its control and, if it is the latest round,
    # for how it stands.
    rolled = {
        period.pk: round_roll_up(period)
        for period in open_rounds
        if user.has_perm("verksam.close_period", period)
    }
    controlled = [
        Control(
            glance.round_control(period, on=today, rolled=rolled[period.pk]),
            economy_for(period, user, totals_only=True),
        )
        for period in open_rounds
        if period.pk in rolled
    ]
    closed = list(
        ReportingPeriod.objects.visible_to(user)
        .filter(status=ReportingPeriod.Status.CLOSED)
        .select_related("plan")
        .order_by("-as_of", "-pk")[:SHOWN]
    )
    stands = standing(user, rolled) if has_role else None
    return render(
        request,
        "pages/home.html",
        {
            "to_report": [r for r in to_report if r.expected],
            "controlled": controlled,
            "standing": stands,
            # With a role but no round to read as a whole (an open round's figures are the
            # board's until it closes): where their units' items stand, the plan's follow-up.
            "followed": open_rounds[0] if has_role and stands is None and open_rounds else None,
            "years": plan_years(user),
            "closed": closed,
            "today": today,
            "shown": SHOWN,
        },
    )
