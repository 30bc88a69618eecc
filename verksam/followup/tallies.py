"""Reads of a follow-up round computed in the database, so that a page's cost does not grow
with the round's items: how many items each reporting unit (per office and goal area) has,
how many are reported and late, what is missing, and one page of "Att rapportera" at a time.

`reporting.rows_for` reads every item with its report and works out each row in Python;
these read the same facts as annotations (the reporting unit, reported, late: `indexed`),
then count and group them in SQL (the page of "Att rapportera" in `glance.ToReport`, the
checks in `reporting.findings`). The tests hold both to the same answers.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse

from verksam.followup.models import IndicatorOutcome, ReportingPeriod, StatusReport, Submission
from verksam.indicators.models import Indicator, IndicatorResponsibility
from verksam.organisation.models import OrgUnit
from verksam.plans.models import (
    DOCUMENT_ORDER,
    ROLE_ORDER,
    Action,
    ActionResponsibility,
    Assignment,
    GoalArea,
    PlanContentQuerySet,
)

# The kinds in the order `rows_for` lists them (within a group of "Att rapportera" too).
KINDS: dict[str, type[Assignment] | type[Action] | type[Indicator]] = {
    "assignment": Assignment,
    "action": Action,
    "indicator": Indicator,
}
# Where an item's title is (its `__str__`).
LABELS = {"assignment": "title", "action": "text", "indicator": "name"}
# An item's place in its plan as one number, so that the first item of a group in document
# order (position, then pk) is a minimum: positions and pks stay far below it.
PLACE = 10**12


def kinds_of(period: ReportingPeriod) -> list[str]:
    """The kinds the round follows up: indicators only where it expects outcomes."""
    return [kind for kind in KINDS if kind != "indicator" or period.expects_outcomes]


def reporting_unit(responsibilities: QuerySet) -> Coalesce:
    """The unit that answers for the item of the outer query, as `plans.models.reporting_unit_of`
    picks it: its first responsible unit inside the municipality by role (lead, responsible,
    contributing) and printed order, else its plan's owner."""
    rank = Case(
        *(When(role=role, then=Value(n)) for role, n in ROLE_ORDER.items()),
        default=Value(1),
        output_field=IntegerField(),
    )
    first = (
        responsibilities.exclude(unit__kind=OrgUnit.Kind.EXTERNAL)
        .annotate(rank=rank)
        .order_by("rank", "position", "pk")
        .values("unit_id")[:1]
    )
    return Coalesce(Subquery(first), F("plan__owner_id"), output_field=BigIntegerField())


def indexed(
    period: ReportingPeriod, kind: str, unit_ids: Iterable[int] | None = None
) -> PlanContentQuerySet[Any]:
    """The round's items of `kind` (those the units answer for, if given, as `rows_for`),
    annotated with `reporting_unit_pk`, `is_reported` (a report or outcome in the round) and
    `is_late` (`late`, the one definition; never for an indicator)."""
    items: Any = KINDS[kind].objects.filter(plan__in=period.plans())
    if unit_ids is not None:
        items = items.for_units(list(unit_ids))
    if kind == "indicator":
        return items.annotate(
            reporting_unit_pk=reporting_unit(
                IndicatorResponsibility.objects.filter(indicator=OuterRef("pk"))
            ),
            is_reported=Exists(
                IndicatorOutcome.objects.filter(period=period, indicator=OuterRef("pk"))
            ),
            is_late=Value(False, output_field=BooleanField()),
        )
    unit: Combinable
    if kind == "action":
        unit = reporting_unit(ActionResponsibility.objects.filter(action=OuterRef("pk")))
    else:
        unit = F("plan__owner_id")  # assignments have no responsible units
    return items.with_late(on=period.as_of).annotate(
        reporting_unit_pk=unit,
        is_reported=Exists(StatusReport.objects.filter(period=period, **{kind: OuterRef("pk")})),
    )


# --- Counts per office, reporting unit and goal area --------------------------------------


@dataclass(frozen=True)
class Tally:
    """The items of one kind of one plan (an office's part), reporting unit and goal area."""

    kind: str
    plan_id: int
    unit_id: int
    goal_area_id: int | None
    expected: int
    reported: int
    late: int
    first: int  # the place of the group's first item in its plan (`PLACE`)

    def count(self, state: str) -> int:
        """How many items are in the state ("missing", "reported", "late"; "": all)."""
        return {
            "missing": self.expected - self.reported,
            "reported": self.reported,
            "late": self.late,
        }.get(state, self.expected)


@dataclass
class RoundTally:
    """The round's items counted per kind, office, reporting unit and goal area, with the
    plans, units and goal areas they name (a fixed number of queries: one per kind, then the
    plans, the units and the goal areas)."""

    period: ReportingPeriod
    tallies: list[Tally]
    plans: dict[int, Any] = field(default_factory=dict)
    units: dict[int, OrgUnit] = field(default_factory=dict)
    goal_areas: dict[int, GoalArea] = field(default_factory=dict)

    @property
    def expected(self) -> int:
        return sum(t.expected for t in self.tallies)

    @property
    def missing(self) -> int:
        return sum(t.expected - t.reported for t in self.tallies)

    def in_list_order(self) -> list[Tally]:
        """The groups in the order `rows_for` first meets their items: by kind, then plan,
        then the group's first item."""
        order = list(KINDS)
        return sorted(
            self.tallies,
            key=lambda t: (
                order.index(t.kind),
                self.plans[t.plan_id].position,
                self.plans[t.plan_id].key,
                t.first,
            ),
        )

    def in_group_order(self, tallies: Iterable[Tally] | None = None) -> list[Tally]:
        """The groups in the order of "Att rapportera" (`glance.group_order`)."""
        order = list(KINDS)

        def key(t: Tally) -> tuple:
            plan, unit = self.plans[t.plan_id], self.units[t.unit_id]
            area = self.goal_areas.get(t.goal_area_id) if t.goal_area_id else None
            return (
                plan.position,
                plan.key,
                unit.position,
                unit.code,
                area is None,
                area.position if area is not None else 0,
                order.index(t.kind),
            )

        return sorted(self.tallies if tallies is None else tallies, key=key)


def tally(period: ReportingPeriod, unit_ids: Iterable[int] | None = None) -> RoundTally:
    """The round's items (of the units, if given) counted in SQL per kind, office, reporting
    unit and goal area."""
    ids = None if unit_ids is None else list(unit_ids)
    tallies = []
    for kind in kinds_of(period):
        groups = (
            indexed(period, kind, ids)
            .order_by()
            .values("plan_id", "reporting_unit_pk", "goal_area_id")
            .annotate(
                expected=Count("pk"),
                reported=Count("pk", filter=Q(is_reported=True)),
                late=Count("pk", filter=Q(is_late=True)),
                first=Min(F("position") * PLACE + F("pk"), output_field=BigIntegerField()),
            )
        )
        tallies += [
            Tally(
                kind,
                g["plan_id"],
                g["reporting_unit_pk"],
                g["goal_area_id"],
                g["expected"],
                g["reported"],
                g["late"],
                g["first"],
            )
            for g in groups
        ]
    return RoundTally(
        period,
        tallies,
        {p.pk: p for p in period.plans().select_related("owner")},
        OrgUnit.objects.in_bulk({t.unit_id for t in tallies}),
        GoalArea.objects.in_bulk({t.goal_area_id for t in tallies if t.goal_area_id}),
    )


def missing_of_unit(period: ReportingPeriod, unit_id: int) -> tuple[int, str]:
    """How many of the round's items the unit answers for (as their reporting unit) are not
    reported yet, and the first of them by title in the order of `rows_for` ("" if none):
    counted in SQL, at most two queries per kind."""
    count, first = 0, ""
    for kind in kinds_of(period):
        missing = indexed(period, kind).filter(reporting_unit_pk=unit_id, is_reported=False)
        found = missing.count()
        if found and not first:
            first = missing.in_document_order().values_list(LABELS[kind], flat=True)[0]
        count += found
    return count, first


# --- The completeness board ----------------------------------------------------------------


@dataclass(frozen=True)
class MissingItem:
    """An item not reported yet: what the board and the reminders name."""

    kind: str
    key: str
    label: str

    def get_absolute_url(self) -> str:
        return reverse(f"pages:{self.kind}_detail", args=[self.key])


@dataclass
class UnitBoard:
    """One unit's share of the round, counted: its items, those reported, the missing ones,
    its submission, how many days it is overdue."""

    unit: OrgUnit
    expected: int = 0
    reported: int = 0
    missing: list[MissingItem] = field(default_factory=list)  # the first ones, if `board` limits
    submission: Submission | None = None
    days_overdue: int = 0

    @property
    def missing_count(self) -> int:
        return self.expected - self.reported


def unit_boards(period: ReportingPeriod, counted: RoundTally, *, on: date) -> list[UnitBoard]:
    """Per reporting unit (in the units' order): its items and those reported (from the
    counts), its submission and the days overdue; one query (the submissions)."""
    units: dict[int, UnitBoard] = {}
    for t in counted.tallies:
        progress = units.setdefault(t.unit_id, UnitBoard(counted.units[t.unit_id]))
        progress.expected += t.expected
        progress.reported += t.reported
    for submission in period.submissions.select_related("submitted_by"):
        if submission.unit_id in units:
            units[submission.unit_id].submission = submission
    for progress in units.values():
        if progress.submission is None:
            progress.days_overdue = period.days_overdue(on)
    return sorted(units.values(), key=lambda p: (p.unit.position, p.unit.code))


def board(period: ReportingPeriod, *, on: date, shown: int | None = None) -> list[UnitBoard]:
    """Per reporting unit (in the units' order): the items counted in SQL, the missing ones
    by title (the only thing read per item, and only of those missing; with `shown`, each
    unit's first `shown` only, numbered per unit in SQL), the submission and the days
    overdue; as `reporting.completeness`, without reading every item."""
    boards = unit_boards(period, tally(period), on=on)
    units = {progress.unit.pk: progress for progress in boards}
    for kind in kinds_of(period):
        missing = indexed(period, kind).filter(is_reported=False)
        if shown is not None:
            missing = missing.annotate(
                number=Window(
                    RowNumber(),
                    partition_by=F("reporting_unit_pk"),
                    order_by=[F(name).asc() for name in DOCUMENT_ORDER],
                )
            ).filter(number__lte=shown)
        rows = missing.in_document_order().values_list("reporting_unit_pk", "key", LABELS[kind])
        for unit_id, key, label in rows:
            units[unit_id].missing.append(MissingItem(kind, key, label))
    if shown is not None:
        for progress in boards:
            del progress.missing[shown:]
    return boards
