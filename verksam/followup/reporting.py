"""Reads of a follow-up round: what must be reported and by whom, what is missing, what
is late, the consistency findings, the goal-attainment roll-up and the snapshot data.

Every function fetches whole lists with a fixed number of queries, whatever the size
of the plan, and works in Python on what it fetched.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.accounts.rules import Role, unit_ids_with_role
from verksam.followup import tallies
from verksam.followup.assessment import (
    Assessment,
    Contribution,
    RollUp,
    assess,
    final,
    roll_up,
    status_attainment,
    target_for,
)
from verksam.followup.models import (
    DEVIATING,
    FINISHED,
    ITEMS,
    Acknowledgement,
    Attainment,
    IndicatorOutcome,
    Item,
    Judgement,
    PeriodText,
    ReportingPeriod,
    StatusChoice,
    StatusReport,
    key_of,
)
from verksam.indicators.models import Indicator, IndicatorValue
from verksam.organisation.models import OrgUnit
from verksam.plans.models import DOCUMENT_ORDER, Action, Assignment, GoalArea, Plan


def is_late(period: ReportingPeriod, item: Item) -> bool:
    """Whether the item is late as of the round's as-of date: derived, never typed, by the
    one definition (`ActionQuerySet.late`, `AssignmentQuerySet.late`)."""
    return type(item).objects.late(on=period.as_of).filter(pk=item.pk).exists()


# --- Rows for the reporting pages ------------------------------------------------------


@dataclass
class Row:
    """An item to report in a period, with its report (None if not reported yet)."""

    kind: str  # "action", "assignment" or "indicator"
    item: Action | Assignment | Indicator
    unit: OrgUnit
    report: StatusReport | IndicatorOutcome | None
    late: bool = False
    assessment: Assessment | None = None

    @property
    def key(self) -> str:
        return self.item.key

    @property
    def label(self) -> str:
        return str(self.item)

    @property
    def is_reported(self) -> bool:
        return self.report is not None


def status_row(
    period: ReportingPeriod, item: Item, report: StatusReport | None, *, late: bool
) -> Row:
    return Row(str(item._meta.model_name), item, item.reporting_unit(), report, late)


def outcome_row(
    period: ReportingPeriod, indicator: Indicator, outcome: IndicatorOutcome | None
) -> Row:
    assessment = outcome_assessment(indicator, outcome, period.year)
    return Row("indicator", indicator, indicator.reporting_unit(), outcome, assessment=assessment)


def rows_for(period: ReportingPeriod, unit_ids: Iterable[int] | None = None) -> list[Row]:
    """Everything to report in the period (of the given units only, if given)."""
    actions = period.actions().with_late(on=period.as_of)
    assignments = period.assignments().with_late(on=period.as_of)
    indicators = period.indicators()
    if unit_ids is not None:
        ids = list(unit_ids)
        actions, assignments, indicators = (
            actions.for_units(ids),
            assignments.for_units(ids),
            indicators.for_units(ids),
        )
    reports = period.status_reports.select_related("author").by_item()
    rows = [status_row(period, a, reports.get(key_of(a)), late=a.is_late) for a in assignments]  # type: ignore[attr-defined]  # annotated by `with_late`
    rows += [status_row(period, a, reports.get(key_of(a)), late=a.is_late) for a in actions]  # type: ignore[attr-defined]  # annotated by `with_late`
    if period.expects_outcomes:
        outcomes = {o.indicator_id: o for o in period.outcomes.select_related("author")}
        rows += [outcome_row(period, i, outcomes.get(i.pk)) for i in indicators]
    return rows


def row_for(
    period: ReportingPeriod,
    item: Item | Indicator,
    *,
    saved: StatusReport | IndicatorOutcome | None = None,
) -> Row:
    """One item's row, read on its own (after an edit, or to cancel one); `saved`: its
    report or outcome just saved (then not read again)."""
    if isinstance(item, Indicator):
        outcome = saved if isinstance(saved, IndicatorOutcome) else None
        if outcome is None:
            outcome = IndicatorOutcome.objects.for_item(item).filter(period=period).first()
        return outcome_row(period, item, outcome)
    report = saved if isinstance(saved, StatusReport) else None
    if report is None:
        report = (
            StatusReport.objects.for_item(item)
            .filter(period=period)
            .select_related("author")
            .first()
        )
    return status_row(period, item, report, late=is_late(period, item))


# How many earlier reports a reporting form shows.
PREVIOUS_SHOWN = 3


@dataclass(frozen=True)
class FormContext:
    """What a reporting form shows beside its fields, so the reporter need not look it up:
    the item's reports in the plan's earlier rounds (latest first); for an indicator also
    its target for the year and the outcomes printed in the plan."""

    previous: list[StatusReport] | list[IndicatorOutcome]
    target: IndicatorValue | None = None
    printed_outcomes: list[IndicatorValue] = field(default_factory=list)


def form_context(period: ReportingPeriod, item: Item | Indicator) -> FormContext:
    """The context of `item`'s reporting form in `period` (one query besides the item's
    prefetched values and responsible units)."""
    if isinstance(item, Indicator):
        outcomes = (
            IndicatorOutcome.objects.for_item(item)
            .filter(period__plan=period.plan_id, period__as_of__lt=period.as_of)
            .select_related("period")
            .order_by("-period__as_of")
        )
        values = list(item.values.all())
        return FormContext(
            list(outcomes[:PREVIOUS_SHOWN]),
            target_for(values, period.year),
            [v for v in values if v.kind == IndicatorValue.Kind.OUTCOME],
        )
    return FormContext(list(StatusReport.objects.for_item(item).before(period)[:PREVIOUS_SHOWN]))


def outcome_assessment(
    indicator: Indicator, outcome: IndicatorOutcome | None, year: int
) -> Assessment | None:
    """The rule's assessment, overridden by a manual one where given."""
    return outcome_assessment_of(indicator, indicator.values.all(), outcome, year)


def assessed_outcomes(
    outcomes: QuerySet[IndicatorOutcome], period: ReportingPeriod
) -> Iterator[tuple[IndicatorOutcome, Attainment]]:
    """The round's outcomes with their attainment: the rule's unless assessed by hand, so the
    outcomes are read with their indicators' printed values (two queries)."""
    read = outcomes.select_related("indicator").prefetch_related(
        Prefetch("indicator__values", queryset=IndicatorValue.objects.order_by("position", "pk"))
    )
    for outcome in read:
        assessment = outcome_assessment(outcome.indicator, outcome, period.year)
        yield outcome, Attainment(assessment.attainment if assessment else Attainment.UNKNOWN)


def outcome_assessment_of(
    indicator: Indicator,
    values: Iterable[IndicatorValue],
    outcome: IndicatorOutcome | None,
    year: int,
) -> Assessment | None:
    """`outcome_assessment` with the indicator's printed values read already."""
    if outcome is None:
        return None
    computed = assess(indicator, target_for(values, year), outcome.raw)
    return final(computed, outcome.manual_attainment, outcome.manual_motivation)


# --- Consistency checks -----------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """Something inconsistent in the round, to be resolved or acknowledged before closing."""

    code: str
    subject: str
    message: str
    url: str
    acknowledgement: Acknowledgement | None = None


CHECK_DONE_WITH_OPEN_ACTION = "done_with_open_action"
CHECK_MET_BUT_MISSES_TARGET = "met_but_misses_target"
CHECK_DEVIATION_WITHOUT_ANALYSIS = "deviation_without_analysis"
CHECK_NEEDS_MANUAL_ASSESSMENT = "needs_manual_assessment"


def findings(period: ReportingPeriod) -> list[Finding]:
    """The consistency checks run before a period is closed, read in the database so that
    their cost follows what is found, not the round's size: assignments reported done with
    actions not finished (counted in SQL), actions and assignments late or deviating (their
    reports' texts read only for those), indicators with an outcome (assessed by the rule,
    which reads the outcome as printed)."""
    acknowledged = {(a.code, a.subject): a for a in period.acknowledgements.all()}
    found: list[tuple[str, str, str, str]] = []  # code, kind, key, message
    finished = StatusReport.objects.filter(
        period=period, action=OuterRef("pk"), status__in=FINISHED
    )
    open_actions = (
        Action.objects.filter(assignment=OuterRef("pk"))
        .exclude(Exists(finished))
        .order_by()
        .values("assignment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    done = (
        Assignment.objects.filter(
            plan__in=period.plans(),
            status_reports__period=period,
            status_reports__status=StatusChoice.DONE,
        )
        .annotate(open_actions=Subquery(open_actions))
        .filter(open_actions__gt=0)
        .in_document_order()
        .values_list("key", "open_actions")
    )
    for key, n in done:
        message = _("The assignment is reported done but %(n)d of its actions are not.") % {"n": n}
        found.append((CHECK_DONE_WITH_OPEN_ACTION, "assignment", key, message))
    for kind in ("assignment", "action"):
        report = StatusReport.objects.filter(period=period, **{kind: OuterRef("pk")})
        suspects = (
            tallies.indexed(period, kind)
            .annotate(
                report_status=Subquery(report.values("status")[:1]),
                report_cause=Subquery(report.values("cause")[:1]),
                report_remedy=Subquery(report.values("remedy")[:1]),
            )
            .filter(Q(is_late=True) | Q(report_status__in=DEVIATING))
            .in_document_order()
            .values_list("key", "is_late", "report_status", "report_cause", "report_remedy")
        )
        for key, late, status, cause, remedy in suspects:
            # As `StatusReport.has_analysis`: a cause and a remedy, each more than blanks.
            if status and (cause or "").strip() and (remedy or "").strip():
                continue
            message = (
                _("The item is late but its report has no analysis (cause and remedy).")
                if late
                else _("The item deviates but its report has no analysis (cause and remedy).")
            )
            found.append((CHECK_DEVIATION_WITHOUT_ANALYSIS, kind, key, message))
    if period.expects_outcomes:
        outcomes = list(
            period.outcomes.filter(indicator__plan__in=period.plans())
            .select_related("indicator")
            .order_by(*(f"indicator__{f}" for f in DOCUMENT_ORDER))
        )
        values: dict[int, list[IndicatorValue]] = {}
        for value in IndicatorValue.objects.filter(
            indicator__in=[o.indicator_id for o in outcomes]
        ).order_by("position", "pk"):
            values.setdefault(value.indicator_id, []).append(value)
        for outcome in outcomes:
            indicator = outcome.indicator
            target = target_for(values.get(indicator.pk, []), period.year)
            computed = assess(indicator, target, outcome.raw)
            if outcome.manual_attainment == Attainment.MET and computed.attainment in {
                Attainment.PARTLY,
                Attainment.NOT_MET,
            }:
                message = _("Assessed met by hand, but the outcome misses its target: %(rule)s") % {
                    "rule": computed.rule
                }
                found.append((CHECK_MET_BUT_MISSES_TARGET, "indicator", indicator.key, message))
            if computed.attainment == Attainment.UNKNOWN and not outcome.manual_attainment:
                message = _("The rule cannot assess the outcome (%(rule)s) and no one has.") % {
                    "rule": computed.rule
                }
                found.append((CHECK_NEEDS_MANUAL_ASSESSMENT, "indicator", indicator.key, message))
    return [
        Finding(
            code,
            key,
            message,
            reverse(f"pages:{kind}_detail", args=[key]),
            acknowledged.get((code, key)),
        )
        for code, kind, key, message in found
    ]


# --- Roll-up ------------------------------------------------------------------------------


@dataclass
class Subject:
    """An objective, goal area or office with its suggestion and the controller's judgement."""

    kind: str  # "objective", "goal_area" or "office"
    obj: Any  # the Objective, GoalArea or Plan (an office's part)
    suggestion: RollUp
    judgement: Judgement | None = None
    children: list["Subject"] = field(default_factory=list)

    @property
    def result(self) -> Attainment:
        return (
            Attainment(self.judgement.attainment) if self.judgement else self.suggestion.attainment
        )

    @property
    def differs(self) -> bool:
        """The judgement and the suggestion disagree: the gap is shown."""
        return (
            self.judgement is not None and self.judgement.attainment != self.suggestion.attainment
        )


@dataclass(frozen=True)
class Placed:
    """An item's contribution to the roll-up and where it counts: its office's part (plan),
    its objectives, else its goal area."""

    contribution: Contribution
    plan_id: int
    goal_area_id: int | None
    objective_ids: tuple[int, ...]


def contribution(row: Row) -> Contribution:
    """A row's result as a child of the roll-up."""
    if row.kind == "indicator":
        attainment = row.assessment.attainment if row.assessment else Attainment.UNKNOWN
    else:
        status = row.report.status if row.report else ""  # type: ignore[union-attr]  # a row's kind fixes its report's type
        attainment = status_attainment(status, late=row.late)
    return Contribution(row.label, "", attainment, row.kind, row.key)


def placed_rows(rows: list[Row]) -> list[Placed]:
    """The rows (`rows_for`) as contributions."""
    return [
        Placed(
            contribution(row),
            row.item.plan_id,
            row.item.goal_area_id,
            tuple(row.item.objective_ids()),
        )
        for row in rows
    ]


def reported_outcomes(period: ReportingPeriod) -> list[Row]:
    """The rows of the indicators with an outcome in the round, in document order (four
    queries: the indicators with their reporting units, the units, the outcomes, the values)."""
    if not period.expects_outcomes:
        return []
    indicators = list(
        tallies.indexed(period, "indicator")
        .filter(is_reported=True)
        .select_related("plan__owner", "goal_area")
        .in_document_order()
    )
    units = OrgUnit.objects.in_bulk({i.reporting_unit_pk for i in indicators})
    outcomes = {
        o.indicator_id: o
        for o in period.outcomes.filter(indicator__in=indicators).select_related("author")
    }
    values: dict[int, list[IndicatorValue]] = {}
    for value in IndicatorValue.objects.filter(indicator__in=indicators).order_by("position", "pk"):
        values.setdefault(value.indicator_id, []).append(value)
    rows = []
    for indicator in indicators:
        outcome = outcomes.get(indicator.pk)
        assessment = outcome_assessment_of(
            indicator, values.get(indicator.pk, []), outcome, period.year
        )
        rows.append(
            Row(
                "indicator",
                indicator,
                units[indicator.reporting_unit_pk],
                outcome,
                assessment=assessment,
            )
        )
    return rows


def placed_items(period: ReportingPeriod, outcomes: list[Row]) -> list[Placed]:
    """Every item of the round as a contribution, in the order of `rows_for`, read as plain
    values (titles, places, report statuses, lateness) rather than whole items with their
    related rows; `outcomes`: `reported_outcomes` (an indicator without one cannot be
    assessed)."""
    plans = period.plans()
    objectives: dict[int, list[int]] = {}
    links = Assignment.objectives.through.objects.filter(assignment__plan__in=plans).order_by(
        "objective__position", "objective__pk"
    )
    for assignment_id, objective_id in links.values_list("assignment_id", "objective_id"):
        objectives.setdefault(assignment_id, []).append(objective_id)
    placed = []
    for kind, model in (("assignment", Assignment), ("action", Action)):
        report = StatusReport.objects.filter(period=period, **{kind: OuterRef("pk")})
        items: Any = (
            model.objects.filter(plan__in=plans)
            .with_late(on=period.as_of)
            .annotate(report_status=Subquery(report.values("status")[:1]))
            .in_document_order()
        )
        fields = ["pk", "key", tallies.LABELS[kind], "plan_id", "goal_area_id", "is_late"]
        objective = "objective_id" if kind == "action" else "pk"
        for pk, key, label, plan_id, area_id, late, status, linked in items.values_list(
            *fields, "report_status", objective
        ):
            attainment = status_attainment(status or "", late=late)
            ids = (
                tuple(objectives.get(pk, []))
                if kind == "assignment"
                else (linked,)
                if linked
                else ()
            )
            placed.append(
                Placed(Contribution(label, "", attainment, kind, key), plan_id, area_id, ids)
            )
    if period.expects_outcomes:
        assessed = {row.item.pk: row.assessment.attainment for row in outcomes if row.assessment}
        indicators = (
            Indicator.objects.filter(plan__in=plans)
            .in_document_order()
            .values_list("pk", "key", "name", "plan_id", "goal_area_id", "objective_id")
        )
        for pk, key, label, plan_id, area_id, objective_id in indicators:
            attainment = assessed.get(pk, Attainment.UNKNOWN)
            placed.append(
                Placed(
                    Contribution(label, "", attainment, "indicator", key),
                    plan_id,
                    area_id,
                    (objective_id,) if objective_id else (),
                )
            )
    return placed


def attainment_tree(
    period: ReportingPeriod,
    rows: list[Row] | None = None,
    outcomes: list[Row] | None = None,
) -> tuple[list[Subject], list[Subject]]:
    """Goal areas (with their objectives) and offices, each with a suggestion from its
    children and the controller's judgement. An objective's children are its indicators,
    actions and assignments; a goal area's are its objectives (their result: judgement if
    given, else suggestion) and the items serving the goal area as a whole; an office's
    are all the items of its part of the plan. `rows`: the period's `rows_for`, when the
    caller has read them already; else the items are read as plain values (`placed_items`;
    `outcomes`: the round's `reported_outcomes`, when the caller has read them)."""
    judged = period.judgements.by_subject()
    if rows is not None:
        placed = placed_rows(rows)
    else:
        placed = placed_items(period, reported_outcomes(period) if outcomes is None else outcomes)
    by_objective: dict[int, list[Contribution]] = {}
    by_goal_area: dict[int, list[Contribution]] = {}
    by_office: dict[int, list[Contribution]] = {}
    for entry in placed:
        by_office.setdefault(entry.plan_id, []).append(entry.contribution)
        for objective_id in entry.objective_ids:
            by_objective.setdefault(objective_id, []).append(entry.contribution)
        if not entry.objective_ids and entry.goal_area_id:
            by_goal_area.setdefault(entry.goal_area_id, []).append(entry.contribution)

    goal_areas = []
    for goal_area in GoalArea.objects.filter(plan=period.plan).prefetch_related("objectives"):
        objectives = [
            Subject(
                "objective",
                objective,
                roll_up(by_objective.get(objective.pk, [])),
                judged.get(key_of(objective)),
            )
            for objective in goal_area.objectives.all()
        ]
        children = [
            Contribution(str(s.obj), s.obj.get_absolute_url(), s.result, "objective")
            for s in objectives
        ] + by_goal_area.get(goal_area.pk, [])
        goal_areas.append(
            Subject(
                "goal_area",
                goal_area,
                roll_up(children),
                judged.get(key_of(goal_area)),
                objectives,
            )
        )
    offices = [
        Subject("office", plan, roll_up(by_office.get(plan.pk, [])), judged.get(key_of(plan)))
        for plan in period.plans().select_related("owner").order_by("position", "key")
        if plan.pk in by_office
    ]
    return goal_areas, offices


@dataclass
class RoundRollUp:
    """A round's roll-up as it stands, computed once for a request and shared by the parts
    of a page that show it (the controller's home: the round's control and how it stands):
    the indicators with an outcome (`reported_outcomes`) and the tree (`attainment_tree`)."""

    outcomes: list[Row]
    goal_areas: list[Subject]
    offices: list[Subject]


def round_roll_up(period: ReportingPeriod) -> RoundRollUp:
    """The round's roll-up from its items as plain values and its reported outcomes."""
    outcomes = reported_outcomes(period)
    return RoundRollUp(outcomes, *attainment_tree(period, outcomes=outcomes))


def suggestion_for(period: ReportingPeriod, subject: models.Model) -> RollUp | None:
    """The computed suggestion for an objective, goal area or office (None for an office
    with nothing to follow up), as the attainment page shows it."""
    goal_areas, offices = attainment_tree(period)
    nodes = [*goal_areas, *(o for g in goal_areas for o in g.children), *offices]
    return next((n.suggestion for n in nodes if key_of(n.obj) == key_of(subject)), None)


# --- Snapshot -----------------------------------------------------------------------------

# Parts that apps above follow-up freeze with a round's reports: name → function of the
# period giving plain JSON data (the economy registers its figures, `economy/apps.py`).
SNAPSHOT_PARTS: dict[str, Callable[[ReportingPeriod], Any]] = {}


def add_snapshot_part(name: str, part: Callable[[ReportingPeriod], Any]) -> None:
    """Freeze `part(period)` under `name` in every snapshot taken from now on."""
    SNAPSHOT_PARTS[name] = part


def frozen_data(period: ReportingPeriod) -> dict:
    """What a snapshot of the round holds: `snapshot_data` and the registered parts."""
    data = snapshot_data(period)
    for name, part in SNAPSHOT_PARTS.items():
        data[name] = part(period)
    return data


def snapshot_data(period: ReportingPeriod) -> dict:
    """Everything the period's report shows, as plain data with titles and texts copied,
    so that it reads the same whatever happens to the plan later: the follow-up report
    of a closed period (`reports/followup_document.py`) is made from it alone."""
    rows = rows_for(period)
    goal_areas, offices = attainment_tree(period, rows)  # the rows once: most of the work
    areas = {ga.obj.pk: ga.obj.number for ga in goal_areas}
    objectives = {o.obj.pk: o.obj.number for ga in goal_areas for o in ga.children}
    items = []
    for row in rows:
        item = row.item
        objective_ids = item.objective_ids()
        entry: dict = {
            "kind": row.kind,
            "key": row.key,
            "title": row.label,
            "office": item.plan.owner.code,
            "office_name": item.plan.owner.name,
            "unit": row.unit.code,
            "goal_area": areas.get(item.goal_area_id, ""),
            "objectives": [objectives[pk] for pk in objective_ids if pk in objectives],
        }
        if row.kind == "indicator":
            outcome: IndicatorOutcome | None = row.report  # type: ignore[assignment]  # a row's kind fixes its report's type
            target = target_for(item.values.all(), period.year)  # type: ignore[union-attr]  # an indicator row
            entry["target"] = target.raw if target else ""
            entry["printed"] = printed_values(item.values.all(), period.year)  # type: ignore[union-attr]  # an indicator row
            entry["outcome"] = outcome_data(outcome) if outcome else None
            entry["attainment"] = row.assessment.attainment.value if row.assessment else None
            entry["rule"] = row.assessment.rule if row.assessment else ""
        else:
            report: StatusReport | None = row.report  # type: ignore[assignment]  # a row's kind fixes its report's type
            end = item.last_day  # type: ignore[union-attr]  # an action or assignment row
            entry["late"] = row.late
            entry["end"] = end.isoformat() if end else None
            entry["report"] = status_data(report) if report else None
        items.append(entry)
    return {
        "period": {
            "key": period.key,
            "kind": period.kind,
            "title": str(period),
            "plan": period.plan.key,
            "plan_title": period.plan.title,
            "as_of": period.as_of.isoformat(),
            "deadline": period.deadline.isoformat(),
            "is_example": period.is_example,
        },
        "items": items,
        "units": unit_data(period, rows),
        "texts": {text.kind: text_data(text) for text in period.texts.select_related("author")},
        "attainment": [subject_data(s) for ga in goal_areas for s in [ga, *ga.children]]
        + [subject_data(s) for s in offices],
        "acknowledged": [
            {
                "code": a.code,
                "item": a.subject,
                "note": a.note,
                "by": a.acknowledged_by.get_username() if a.acknowledged_by else "",
            }
            for a in period.acknowledgements.select_related("acknowledged_by")
        ],
    }


def standing_data(period: ReportingPeriod, rolled: RoundRollUp | None = None) -> dict:
    """The parts of `snapshot_data` that tell how a round stands, read without every item:
    the roll-up (from the items as plain values) and the indicators with an outcome (the
    homes' goal-area tiles and key indicators); no units, no acknowledgements. `rolled`:
    the round's `round_roll_up`, when the caller has computed it."""
    rolled = round_roll_up(period) if rolled is None else rolled
    goal_areas, offices = rolled.goal_areas, rolled.offices
    return {
        "items": [
            {
                "kind": row.kind,
                "key": row.key,
                "outcome": outcome_data(row.report),  # type: ignore[arg-type]  # an indicator row's report is its outcome
                "attainment": row.assessment.attainment.value if row.assessment else None,
                "rule": row.assessment.rule if row.assessment else "",
            }
            for row in rolled.outcomes
        ],
        "attainment": [subject_data(s) for ga in goal_areas for s in [ga, *ga.children]]
        + [subject_data(s) for s in offices],
        "units": [],
        "acknowledged": [],
    }


def unit_data(period: ReportingPeriod, rows: list[Row]) -> list[dict]:
    """Completeness per reporting unit: items to report, reported, when submitted."""
    units: dict[int, dict] = {}
    for row in sorted(rows, key=lambda r: (r.unit.position, r.unit.code)):
        unit = units.setdefault(
            row.unit.pk,
            {"code": row.unit.code, "name": row.unit.name, "expected": 0, "reported": 0},
        )
        unit["expected"] += 1
        unit["reported"] += row.is_reported
    submitted = {s.unit_id: timezone.localdate(s.submitted_at) for s in period.submissions.all()}
    for pk, unit in units.items():
        unit["submitted"] = submitted[pk].isoformat() if pk in submitted else None
    return list(units.values())


def status_data(report: StatusReport) -> dict:
    return {
        "status": report.status,
        "cause": report.cause,
        "remedy": report.remedy,
        "new_forecast": report.new_forecast,
        "new_end_date": report.new_end_date.isoformat() if report.new_end_date else None,
        "analysis": report.analysis,
        "comment": report.comment,
        "progress": report.progress,
        "author": report.author.get_username() if report.author else "",
        "updated_at": report.updated_at.isoformat(),
        "version": report.version,
    }


def printed_values(values: Iterable[IndicatorValue], year: int) -> dict:
    """What the plan printed of an indicator before the round's year, for the report's
    table of outcomes against targets: its first baseline and its latest outcome, each
    as printed with its column label."""
    baseline = next((v for v in values if v.kind == IndicatorValue.Kind.BASELINE and v.raw), None)
    earlier = [
        v for v in values if v.kind == IndicatorValue.Kind.OUTCOME and v.year < year and v.raw
    ]
    latest = max(earlier, key=lambda v: (v.year, v.position), default=None)
    return {
        name: {"label": value.label, "raw": value.raw} if value else None
        for name, value in (("baseline", baseline), ("outcome", latest))
    }


def text_data(text: PeriodText) -> dict:
    """A controller's text of the round (summary, significant events) as frozen."""
    return {
        "text": text.text,
        "author": text.author.get_username() if text.author else "",
        "updated_at": text.updated_at.isoformat(),
        "version": text.version,
    }


def outcome_data(outcome: IndicatorOutcome) -> dict:
    return {
        "raw": outcome.raw,
        "women": str(outcome.women.normalize()) if outcome.women is not None else None,
        "men": str(outcome.men.normalize()) if outcome.men is not None else None,
        "source": outcome.source,
        "comment": outcome.comment,
        "author": outcome.author.get_username() if outcome.author else "",
        "updated_at": outcome.updated_at.isoformat(),
        "version": outcome.version,
    }


def subject_data(subject: Subject) -> dict:
    return {
        "kind": subject.kind,
        "title": str(subject.obj),
        "number": getattr(subject.obj, "number", ""),
        "office": subject.obj.owner.code if isinstance(subject.obj, Plan) else "",
        "suggestion": subject.suggestion.attainment.value,
        "rule": subject.suggestion.rule,
        "judgement": subject.judgement.attainment if subject.judgement else None,
        "motivation": subject.judgement.motivation if subject.judgement else "",
    }


# --- What a reader may see of a round -------------------------------------------------------


@dataclass(frozen=True)
class Readable:
    """What of one round a user may read (`verksam.view_followup`), by key: the items whose
    reports they read, those whose authors they see (a role at the item), and the plans
    (the board's and its offices' parts) whose judgements they read."""

    items: dict[str, frozenset[str]]
    authors: dict[str, frozenset[str]]
    plans: frozenset[int]
    offices: frozenset[str]

    def item(self, kind: str, key: str) -> bool:
        return key in self.items.get(kind, frozenset())

    def author(self, kind: str, key: str) -> bool:
        return key in self.authors.get(kind, frozenset())

    def any_item(self, key: str) -> bool:
        return any(key in keys for keys in self.items.values())

    def any_author(self, key: str) -> bool:
        return any(key in keys for keys in self.authors.values())


def readable(period: ReportingPeriod, user: User | AnonymousUser) -> Readable:
    """The `verksam.view_followup` rule for one round, read in the database (seven queries,
    four without a role):
    with a role at an item (its plan's owner or a responsible unit) every round's report on
    it; without, a closed round's on items of public plans only."""
    plans = period.plans()
    kinds: dict[str, type[Action] | type[Assignment] | type[Indicator]] = {
        **ITEMS,
        "indicator": Indicator,
    }
    items = {
        kind: frozenset(period.readable_items(model, user).values_list("key", flat=True))
        for kind, model in kinds.items()
    }
    reaches = bool(unit_ids_with_role(user, Role.READER))  # no role: no query
    authors = {
        kind: frozenset(
            model.objects.filter(plan__in=plans).reached_by(user).values_list("key", flat=True)
        )
        if reaches
        else frozenset()
        for kind, model in kinds.items()
    }
    public = plans.public() if period.is_closed else plans.none()
    readable_plans = list(
        plans.filter(
            Q(pk__in=public.values("pk")) | Q(pk__in=plans.reached_by(user).values("pk"))
        ).values_list("pk", "owner__code")
    )
    return Readable(
        items,
        authors,
        frozenset(pk for pk, _code in readable_plans),
        frozenset(code for _pk, code in readable_plans),
    )


def readable_data(period: ReportingPeriod, data: dict, user: User | AnonymousUser) -> dict:
    """The part of a round's snapshot data (`snapshot_data`, stored or computed now) that
    `user` may read: the items whose reports they may read, authors only where they hold a
    role at the item, goal areas' and objectives' roll-up where they may read the board's
    judgements, an office's where they may read that office's, the completeness counted over
    the items shown and the acknowledged findings of those items; the controller's texts
    (summary, significant events: about the round as a whole) where they may read the
    board's judgements."""
    allowed = readable(period, user)
    items = []
    for entry in data["items"]:
        if not allowed.item(entry["kind"], entry["key"]):
            continue
        if not allowed.author(entry["kind"], entry["key"]):
            entry = hide_authors(entry)
        items.append(entry)
    board = period.plan_id in allowed.plans
    attainment = [
        subject
        for subject in data["attainment"]
        if (subject.get("office") in allowed.offices if subject["kind"] == "office" else board)
    ]
    acknowledged = [
        {**a, "by": a["by"] if allowed.any_author(a["item"]) else ""}
        for a in data.get("acknowledged", [])
        if allowed.any_item(a["item"])
    ]
    return {
        **data,
        "items": items,
        "units": shown_units(data.get("units", []), items),
        "attainment": attainment,
        "acknowledged": acknowledged,
        "texts": readable_texts(period, data.get("texts", {}), user) if board else {},
    }


def readable_texts(period: ReportingPeriod, texts: dict, user: User | AnonymousUser) -> dict:
    """The controller's texts of a round, naming who wrote them only to people with a role
    at the round's plan (`verksam.view_author`)."""
    if user.has_perm("verksam.view_author", PeriodText(period=period)):
        return texts
    return {kind: {**text, "author": ""} for kind, text in texts.items()}


def hide_authors(entry: dict) -> dict:
    """An item's snapshot entry without who wrote its report or outcome."""
    entry = dict(entry)
    for name in ("report", "outcome"):
        if entry.get(name):
            entry[name] = {**entry[name], "author": ""}
    return entry


def shown_units(units: list[dict], items: list[dict]) -> list[dict]:
    """The completeness per reporting unit, counted over the items shown."""
    expected: dict[str, int] = {}
    reported: dict[str, int] = {}
    for item in items:
        unit = item.get("unit", "")
        expected[unit] = expected.get(unit, 0) + 1
        done = item.get("report") if item["kind"] != "indicator" else item.get("outcome")
        reported[unit] = reported.get(unit, 0) + bool(done)
    return [
        {**unit, "expected": expected[unit["code"]], "reported": reported[unit["code"]]}
        for unit in units
        if unit["code"] in expected
    ]
