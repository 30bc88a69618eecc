"""Reads for the homes: a person's share of the open rounds (what their units must still
report, what is next), a controller's view of a round (completeness, checks, judgements, late
items), and how the latest round a person may read stands (goal areas' attainment, key
indicators with their trend).

Each reads a fixed number of queries whatever the size of the plan, through the round's reads
in `reporting.py`, and shows only what the reader may read (`reporting.readable_data`).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, overload

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from verksam.core.numbers import parse_value
from verksam.followup.models import Attainment, Item, ReportingPeriod
from verksam.followup.reporting import (
    Finding,
    RoundRollUp,
    Row,
    Subject,
    findings,
    outcome_assessment_of,
    readable_data,
    round_roll_up,
    standing_data,
)
from verksam.followup.tallies import (
    KINDS,
    RoundTally,
    Tally,
    UnitBoard,
    indexed,
    kinds_of,
    tally,
    unit_boards,
)
from verksam.indicators.models import Indicator, IndicatorValue
from verksam.organisation.models import OrgUnit
from verksam.plans.models import GoalArea, Plan

# --- What a person has to do in an open round (the homes) ---------------------------------


# How many items a home lists of those left to report and of those late, before it links to
# "Att rapportera".
TO_REPORT_SHOWN = 8


@dataclass
class RoundToReport:
    """What the units a person reports for must report in an open round: how far they have
    come (counted), and the first of the items still missing and of those late (read)."""

    period: ReportingPeriod
    counted: RoundTally
    missing: list[Row]  # the first `TO_REPORT_SHOWN`, in the order of `rows_for`
    late: list[Row]  # likewise

    @property
    def expected(self) -> int:
        return self.counted.expected

    @property
    def reported(self) -> int:
        return self.counted.expected - self.counted.missing

    @property
    def missing_count(self) -> int:
        return self.counted.missing

    @property
    def late_count(self) -> int:
        return sum(t.late for t in self.counted.tallies)

    @property
    def percent(self) -> int:
        return round(100 * self.reported / self.expected) if self.expected else 100


def to_report(
    period: ReportingPeriod, unit_ids: Iterable[int], *, shown: int = TO_REPORT_SHOWN
) -> RoundToReport:
    """The units' share of the round, counted in SQL (`tallies.tally`), with the first `shown`
    items missing and late in the order of `rows_for` (`ToReport` in `LIST_ORDER`): a fixed
    number of queries whatever the round's size (none after the counts when the units have
    nothing to report in it)."""
    ids = list(unit_ids)
    counted = tally(period, ids)
    if not counted.expected:
        return RoundToReport(period, counted, [], [])
    found = {
        state: ToReport(period, ids, counted, Filters(state=state), order=LIST_ORDER).found(
            slice(0, shown)
        )
        for state in (MISSING, LATE)
    }
    rows = page_rows(period, found[MISSING] + found[LATE], counted.units)
    split = len(found[MISSING])
    return RoundToReport(period, counted, rows[:split], rows[split:])


def kind_of(item: Item | Indicator) -> str:
    """An item's kind as rows and addresses name it: action, assignment or indicator."""
    return str(item._meta.model_name)


def next_to_report(
    period: ReportingPeriod, unit_ids: Iterable[int], after: Item | Indicator
) -> Row | None:
    """The next item the units have not reported yet, after `after` in the order of "Att
    rapportera" (`rows_for`'s, `LIST_ORDER`; from the top again at the end); None when
    everything is reported. Found in SQL, the first missing item after `after`'s place and
    else the first from the top, then only that row read: the same queries whatever the
    size of the round."""
    ids = list(unit_ids)
    kinds = kinds_of(period)
    rank = kinds.index(kind_of(after))
    for wrapped in (False, True):
        parts = []
        for each_rank, kind in enumerate(kinds):
            items = indexed(period, kind, ids).filter(is_reported=False)
            if each_rank == rank:
                items = items.exclude(pk=after.pk)
                if not wrapped:
                    items = items.filter(placed_after(after))
            elif each_rank < rank and not wrapped:
                continue
            parts.append(
                items.annotate(
                    kind_rank=Value(each_rank, output_field=IntegerField()),
                    item_pk=F("pk"),
                    plan_position=F("plan__position"),
                    plan_key=F("plan__key"),
                )
                .order_by()
                .values_list("kind_rank", "item_pk", "reporting_unit_pk", *NEXT_SORT_KEYS)
            )
        first, *rest = parts
        found = first.union(*rest, all=True).order_by(*LIST_ORDER)[:1]
        for kind_rank, pk, unit_id, *_keys in found:
            units = OrgUnit.objects.in_bulk([unit_id])
            return page_rows(period, [(kinds[kind_rank], pk, unit_id)], units)[0]
    return None


# The sort keys of `LIST_ORDER` besides the kind and the item.
NEXT_SORT_KEYS = ("plan_position", "plan_key", "position")


def placed_after(item: Item | Indicator) -> Q:
    """Items of the same kind after `item` in the list's order: by plan (position, key), then
    by place in the plan (position, pk), as `LIST_ORDER` sorts them."""
    plan, key = item.plan.position, item.plan.key
    return (
        Q(plan__position__gt=plan)
        | Q(plan__position=plan, plan__key__gt=key)
        | Q(plan__position=plan, plan__key=key, position__gt=item.position)
        | Q(plan__position=plan, plan__key=key, position=item.position, pk__gt=item.pk)
    )


@dataclass
class RoundControl:
    """A controller's view of an open round: completeness per unit, the checks still to
    resolve, the objectives, goal areas and offices still to judge, how many items are late
    and the submissions."""

    period: ReportingPeriod
    counted: RoundTally
    units: list[UnitBoard]
    findings: list[Finding]
    goal_areas: list[Subject]
    offices: list[Subject]

    @property
    def expected(self) -> int:
        return self.counted.expected

    @property
    def reported(self) -> int:
        return self.counted.expected - self.counted.missing

    @property
    def percent(self) -> int:
        return round(100 * self.reported / self.expected) if self.expected else 100

    @property
    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.acknowledgement is None]

    @property
    def to_judge(self) -> list[Subject]:
        """Subjects with something followed up under them and no judgement yet."""
        subjects = [
            *(s for area in self.goal_areas for s in [area, *area.children]),
            *self.offices,
        ]
        return [s for s in subjects if s.judgement is None and s.suggestion.children]

    @property
    def late(self) -> int:
        """How many items are late."""
        return sum(t.late for t in self.counted.tallies)

    @property
    def submitted(self) -> list[UnitBoard]:
        return [unit for unit in self.units if unit.submission is not None]


def round_control(
    period: ReportingPeriod, *, on: date, rolled: RoundRollUp | None = None
) -> RoundControl:
    """The controller's view of the round, counted in SQL (a fixed number of queries whose
    cost does not follow the round's items: `tallies.tally`, the submissions, the checks and
    the roll-up read as plain values). `rolled`: the round's `reporting.round_roll_up`, when
    the caller shares it with how the round stands (`round_data_for`)."""
    counted = tally(period)
    rolled = round_roll_up(period) if rolled is None else rolled
    return RoundControl(
        period,
        counted,
        unit_boards(period, counted, on=on),
        findings(period),
        rolled.goal_areas,
        rolled.offices,
    )


# --- How the latest round stands -------------------------------------------------------------

# How many key indicators a home shows.
KEY_INDICATORS_SHOWN = 6


def latest_round(user: User | AnonymousUser) -> ReportingPeriod | None:
    """The newest started round whose reports the user may read as a whole: an open one
    only with a role at its board's plan (its reports are drafts), else a closed one of a
    decided plan (`ReportingPeriodQuerySet.with_reports_readable_by`, for any plan)."""
    return (
        ReportingPeriod.objects.visible_to(user)
        .exclude(status=ReportingPeriod.Status.PLANNED)
        .filter(
            Q(status=ReportingPeriod.Status.CLOSED)
            | Q(plan__in=Plan.objects.reached_by(user).values("pk"))
        )
        .select_related("plan__owner")
        .order_by("-as_of", "-pk")
        .first()
    )


def round_data_for(
    period: ReportingPeriod, user: User | AnonymousUser, rolled: RoundRollUp | None = None
) -> dict:
    """What `user` may read of how the round stands: a closed round's latest snapshot, else
    its reports as they are now (`standing_data`: the roll-up and the outcomes, without
    reading every item; from `rolled`, the round's `reporting.round_roll_up`, when the
    caller has computed it), through `readable_data`."""
    data = None
    if period.is_closed:
        snapshot = period.snapshots.order_by("-number").first()
        data = snapshot.data if snapshot is not None else None
    return readable_data(period, standing_data(period, rolled) if data is None else data, user)


@dataclass(frozen=True)
class GoalAreaTile:
    """A goal area's attainment in the round: the controller's judgement, else the suggestion."""

    goal_area: GoalArea
    attainment: Attainment
    judged: bool

    @property
    def symbol(self) -> str:
        return Attainment(self.attainment).symbol


def goal_area_tiles(period: ReportingPeriod, data: dict) -> list[GoalAreaTile]:
    """The goal areas with their attainment, from a round's readable data (empty when the
    reader may not read the board's judgements); one query for the goal areas."""
    by_number = {
        subject["number"]: subject
        for subject in data["attainment"]
        if subject["kind"] == "goal_area"
    }
    if not by_number:
        return []
    tiles = []
    for goal_area in GoalArea.objects.filter(plan=period.plan_id).order_by("position", "pk"):
        subject = by_number.get(goal_area.number)
        if subject is None:
            continue
        judged = subject["judgement"] is not None
        value = subject["judgement"] if judged else subject["suggestion"]
        tiles.append(GoalAreaTile(goal_area, Attainment(value), judged))
    return tiles


class Trend(StrEnum):
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"
    # Changed, where the indicator's direction does not say which way is better.
    HIGHER = "higher"
    LOWER = "lower"
    UNKNOWN = "unknown"


TREND_WORDS: dict[Trend, tuple[str, Promise]] = {
    Trend.BETTER: ("↑", _("better than before")),
    Trend.SAME: ("→", _("unchanged")),
    Trend.WORSE: ("↓", _("worse than before")),
    Trend.HIGHER: ("↑", _("higher than before")),
    Trend.LOWER: ("↓", _("lower than before")),
    Trend.UNKNOWN: ("·", _("no earlier figure to compare")),
}


@dataclass(frozen=True)
class KeyIndicator:
    """An indicator's outcome in the round, its attainment, and its trend against the latest
    earlier outcome printed in the plan."""

    indicator: Indicator
    outcome: str
    attainment: Attainment
    previous: IndicatorValue | None
    trend: Trend

    @property
    def symbol(self) -> str:
        return Attainment(self.attainment).symbol

    @property
    def trend_symbol(self) -> str:
        return TREND_WORDS[self.trend][0]

    @property
    def trend_word(self) -> Promise:
        return TREND_WORDS[self.trend][1]


def trend(indicator: Indicator, outcome: str, previous: IndicatorValue | None) -> Trend:
    """Better, the same or worse than `previous`, as the indicator's direction reads it; only
    higher or lower where the direction does not say which is better (a target value, a
    qualitative indicator); unknown without two figures."""
    now = parse_value(outcome).number
    if previous is None or previous.number is None or now is None:
        return Trend.UNKNOWN
    before = previous.number
    if now == before:
        return Trend.SAME
    if indicator.direction == Indicator.Direction.HIGHER:
        return Trend.BETTER if now > before else Trend.WORSE
    if indicator.direction == Indicator.Direction.LOWER:
        return Trend.BETTER if now < before else Trend.WORSE
    return Trend.HIGHER if now > before else Trend.LOWER


def previous_outcome(indicator: Indicator, year: int) -> IndicatorValue | None:
    """The latest outcome the plan prints for a year before `year` (values prefetched)."""
    earlier = [
        v
        for v in indicator.values.all()
        if v.kind == IndicatorValue.Kind.OUTCOME and v.year is not None and v.year < year
    ]
    return max(earlier, key=lambda v: (v.year, v.position), default=None)


def key_indicators(period: ReportingPeriod, data: dict) -> list[KeyIndicator]:
    """The indicators with an outcome in the round's readable data, the council's (KF's)
    first, each with its trend; two queries (the indicators and their values)."""
    outcomes = {
        item["key"]: item
        for item in data["items"]
        if item["kind"] == "indicator" and item.get("outcome")
    }
    indicators = (
        Indicator.objects.filter(plan__in=period.plans(), key__in=outcomes.keys())
        .select_related("plan__owner")
        .with_values()
        .in_document_order()
    )
    ordered = sorted(indicators, key=lambda i: i.origin != Indicator.Origin.COUNCIL)
    shown = []
    for indicator in ordered[:KEY_INDICATORS_SHOWN]:
        item = outcomes[indicator.key]
        raw = item["outcome"]["raw"]
        previous = previous_outcome(indicator, period.year)
        shown.append(
            KeyIndicator(
                indicator,
                raw,
                Attainment(item.get("attainment") or Attainment.UNKNOWN),
                previous,
                trend(indicator, raw, previous),
            )
        )
    return shown


# --- "Att rapportera": grouped by office, unit and goal area ---------------------------------

MISSING = "missing"
REPORTED = "reported"
LATE = "late"


def in_state(row: Row, state: str) -> bool:
    """Whether the row is missing, reported or late ("" : any)."""
    if state == MISSING:
        return not row.is_reported
    if state == REPORTED:
        return row.is_reported
    if state == LATE:
        return row.late
    return True


def filter_rows(
    rows: list[Row], *, office: str = "", unit: str = "", goal_area: str = "", state: str = ""
) -> list[Row]:
    """The rows of an office (its plan's owner, by code), a reporting unit (by code), a goal
    area (by key) and a state; an empty filter keeps all."""
    return [
        row
        for row in rows
        if (not office or row.item.plan.owner.code == office)
        and (not unit or row.unit.code == unit)
        and (not goal_area or goal_area_key(row) == goal_area)
        and in_state(row, state)
    ]


def goal_area_key(row: Row) -> str:
    """The key of the row's goal area ("" for an item of the plan as a whole); the goal area
    is selected with the item (`ReportingPeriod.actions` and the others)."""
    area = getattr(row.item, "goal_area", None)
    return area.key if area is not None else ""


@dataclass
class Group:
    """Consecutive rows of one office, reporting unit and goal area."""

    office: str
    unit: str
    goal_area: GoalArea | None
    rows: list[Row]


def group_order(rows: list[Row]) -> list[Row]:
    """The rows by office, reporting unit and goal area, each group in the list's order."""
    position = {id(row): i for i, row in enumerate(rows)}

    def key(row: Row) -> tuple:
        area = getattr(row.item, "goal_area", None)
        return (
            row.item.plan.position,
            row.item.plan.key,
            row.unit.position,
            row.unit.code,
            area is None,
            area.position if area is not None else 0,
            position[id(row)],
        )

    return sorted(rows, key=key)


def grouped(rows: list[Row]) -> list[Group]:
    """Rows already in `group_order`, as groups (a page of them may start inside a group)."""
    groups: list[Group] = []
    for row in rows:
        office = row.item.plan.owner.name
        area = getattr(row.item, "goal_area", None)
        last = groups[-1] if groups else None
        if last and (last.office, last.unit, last.goal_area) == (office, row.unit.name, area):
            last.rows.append(row)
        else:
            groups.append(Group(office, row.unit.name, area, [row]))
    return groups


@dataclass
class UnitCount:
    """How much a reporting unit must report, how much is missing and late."""

    office: str
    unit_code: str
    unit: str
    expected: int = 0
    missing: int = 0
    late: int = 0


def unit_counts(rows: list[Row]) -> list[UnitCount]:
    """Per office and reporting unit, in `group_order`: the items, the missing, the late."""
    counts: dict[tuple[int, int], UnitCount] = {}
    for row in group_order(rows):
        count = counts.setdefault(
            (row.item.plan_id, row.unit.pk),
            UnitCount(row.item.plan.owner.name, row.unit.code, row.unit.name),
        )
        count.expected += 1
        count.missing += not row.is_reported
        count.late += row.late
    return list(counts.values())


def counted_units(counted: RoundTally) -> list[UnitCount]:
    """`unit_counts` from the counts in SQL (`tallies.tally`), without reading the rows."""
    counts: dict[tuple[int, int], UnitCount] = {}
    for t in counted.in_group_order():
        unit = counted.units[t.unit_id]
        count = counts.setdefault(
            (t.plan_id, t.unit_id),
            UnitCount(counted.plans[t.plan_id].owner.name, unit.code, unit.name),
        )
        count.expected += t.expected
        count.missing += t.expected - t.reported
        count.late += t.late
    return list(counts.values())


def filter_choices(counted: RoundTally) -> dict[str, list[tuple[str, str]]]:
    """The choices of "Att rapportera"'s filters (`ToReportFilterForm`): the offices in the
    order the list first meets them, the units by name, the goal areas by position."""
    offices: dict[str, str] = {}
    areas: dict[str, GoalArea] = {}
    for t in counted.in_list_order():
        owner = counted.plans[t.plan_id].owner
        offices.setdefault(owner.code, owner.name)
        if t.goal_area_id:
            area = counted.goal_areas[t.goal_area_id]
            areas.setdefault(area.key, area)
    units = {counted.units[t.unit_id].code: counted.units[t.unit_id].name for t in counted.tallies}
    return {
        "offices": list(offices.items()),
        "units": sorted(units.items(), key=lambda u: u[1]),
        "goal_areas": [
            (key, str(area)) for key, area in sorted(areas.items(), key=lambda a: a[1].position)
        ],
    }


def units_in_list_order(counted: RoundTally, unit_ids: Iterable[int]) -> list[OrgUnit]:
    """Of the given units, those with something to report, in the order the list first meets
    them."""
    ids = set(unit_ids)
    units: dict[int, OrgUnit] = {}
    for t in counted.in_list_order():
        if t.unit_id in ids:
            units.setdefault(t.unit_id, counted.units[t.unit_id])
    return list(units.values())


# --- One page of "Att rapportera" -----------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The filters of "Att rapportera": an office (its plan's owner, by code), a reporting unit
    (by code), a goal area (by key) and a state; "" keeps all."""

    office: str = ""
    unit: str = ""
    goal_area: str = ""
    state: str = ""

    def keeps(self, counted: RoundTally, t: Tally) -> bool:
        """Whether a group's items pass the office, unit and goal-area filters."""
        area = counted.goal_areas.get(t.goal_area_id) if t.goal_area_id else None
        return (
            (not self.office or counted.plans[t.plan_id].owner.code == self.office)
            and (not self.unit or counted.units[t.unit_id].code == self.unit)
            and (not self.goal_area or (area is not None and area.key == self.goal_area))
        )


def filtered(items: QuerySet, filters: Filters, counted: RoundTally) -> QuerySet:
    """`indexed` items narrowed by the filters (the unit by the ids of its code's units)."""
    if filters.office:
        items = items.filter(plan__owner__code=filters.office)
    if filters.unit:
        ids = [pk for pk, unit in counted.units.items() if unit.code == filters.unit]
        items = items.filter(reporting_unit_pk__in=ids)
    if filters.goal_area:
        items = items.filter(goal_area__key=filters.goal_area)
    state = {
        "missing": Q(is_reported=False),
        "reported": Q(is_reported=True),
        "late": Q(is_late=True),
    }.get(filters.state)
    return items if state is None else items.filter(state)


# The columns of a page's union, the sort keys last but one: `glance.group_order` in SQL.
# Not the lateness: PostgreSQL computes a union's columns for every item before sorting, and
# lateness is a subquery per item (at 100× the seed most of the page's time); the page's
# items are read with it (`page_rows`).
PAGE_COLUMNS = (
    "kind_rank",
    "item_pk",
    "reporting_unit_pk",
    "plan_position",
    "plan_key",
    "unit_position",
    "unit_code",
    "area_last",
    "area_position",
    "position",
)
PAGE_ORDER = (
    "plan_position",
    "plan_key",
    "unit_position",
    "unit_code",
    "area_last",
    "area_position",
    "kind_rank",
    "position",
    "item_pk",
)
# The order of `reporting.rows_for`: by kind, then as the plans print the items.
LIST_ORDER = ("kind_rank", "plan_position", "plan_key", "position", "item_pk")


class ToReport(Sequence[Row]):
    """The rows of "Att rapportera" that pass the filters, for a `Paginator`: counted from the
    tallies (no query), sliced in SQL in the list's order (one query for the union of the
    kinds), and only the slice's items read with their reports (`page_rows`)."""

    def __init__(
        self,
        period: ReportingPeriod,
        unit_ids: Iterable[int] | None,
        counted: RoundTally,
        filters: Filters,
        *,
        order: Sequence[str] = PAGE_ORDER,
    ) -> None:
        self.period = period
        self.counted = counted
        self.total = sum(
            t.count(filters.state) for t in counted.tallies if filters.keeps(counted, t)
        )
        ids = None if unit_ids is None else list(unit_ids)
        parts = []
        for rank, kind in enumerate(kinds_of(period)):
            unit = OrgUnit.objects.filter(pk=OuterRef("reporting_unit_pk"))
            parts.append(
                filtered(indexed(period, kind, ids), filters, counted)
                .annotate(
                    kind_rank=Value(rank, output_field=IntegerField()),
                    item_pk=F("pk"),
                    plan_position=F("plan__position"),
                    plan_key=F("plan__key"),
                    unit_position=Subquery(unit.values("position")[:1]),
                    unit_code=Subquery(unit.values("code")[:1]),
                    area_last=Case(
                        When(goal_area__isnull=True, then=Value(1)),
                        default=Value(0),
                        output_field=IntegerField(),
                    ),
                    area_position=Coalesce(F("goal_area__position"), Value(0)),
                )
                .order_by()
                .values_list(*PAGE_COLUMNS)
            )
        first, *rest = parts
        self.query = first.union(*rest, all=True).order_by(*order)

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, part: int) -> Row: ...

    @overload
    def __getitem__(self, part: slice) -> list[Row]: ...

    def __getitem__(self, part: int | slice) -> Row | list[Row]:
        if isinstance(part, int):
            return self[part : part + 1][0]
        return page_rows(self.period, self.found(part), self.counted.units)

    def found(self, part: slice) -> list[tuple[str, int, int]]:
        """The slice's items as (kind, pk, reporting unit), for `page_rows` (one query)."""
        kinds = kinds_of(self.period)
        return [(kinds[rank], pk, unit) for rank, pk, unit, *_ in self.query[part]]


def with_pks(items: QuerySet, pks: list[int]) -> QuerySet:
    """`items` of the primary keys, asked of the database even when there are none (Django
    answers an empty `IN` without a query), so that a page runs the same queries whichever
    kinds it shows; 0 is no row's key."""
    return items.filter(pk__in=[*pks, 0])


def page_rows(
    period: ReportingPeriod, found: list[tuple[str, int, int]], units: dict[int, OrgUnit]
) -> list[Row]:
    """The rows of (kind, pk, reporting unit), in that order, each with its item (and whether
    it is late), unit and report as `rows_for` gives them: five queries (the three kinds, the
    status reports, the outcomes with the indicators' values)."""
    pks: dict[str, list[int]] = {kind: [] for kind in KINDS}
    for kind, pk, _unit in found:
        pks[kind].append(pk)
    items: dict[tuple[str, int], Any] = {}
    for kind, model in KINDS.items():
        read: Any = with_pks(model.objects.select_related("plan__owner", "goal_area"), pks[kind])
        if kind != "indicator":
            read = read.with_late(on=period.as_of)
        items |= {(kind, item.pk): item for item in read}
    reports = {
        report.item_key: report
        for report in period.status_reports.filter(
            Q(action__in=[*pks["action"], 0]) | Q(assignment__in=[*pks["assignment"], 0])
        ).select_related("author")
    }
    outcomes = {
        o.indicator_id: o
        for o in period.outcomes.filter(indicator__in=[*pks["indicator"], 0]).select_related(
            "author"
        )
    }
    values: dict[int, list[IndicatorValue]] = {}
    for value in IndicatorValue.objects.filter(indicator__in=[*outcomes, 0]).order_by(
        "position", "pk"
    ):
        values.setdefault(value.indicator_id, []).append(value)
    rows = []
    for kind, pk, unit_id in found:
        item = items[(kind, pk)]
        if kind == "indicator":
            outcome = outcomes.get(pk)
            assessment = outcome_assessment_of(item, values.get(pk, []), outcome, period.year)
            rows.append(Row(kind, item, units[unit_id], outcome, assessment=assessment))
        else:
            report = reports.get((type(item), pk))
            rows.append(Row(kind, item, units[unit_id], report, item.is_late))
    return rows
