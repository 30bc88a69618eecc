"""Writes of a follow-up round. Views, the API and commands all call these functions;
each checks the actor's permission, runs in one transaction and leaves history.

Reports use optimistic locking: a save names the `version` it was based on (0 for a
new report); if someone else saved in between, `EditConflict` carries their version
and nothing is overwritten.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.accounts.models import Membership, Role
from verksam.followup import reporting
from verksam.followup.models import (
    DEVIATING,
    Acknowledgement,
    Attainment,
    CarryOverDecision,
    IndicatorOutcome,
    Judgement,
    ReportingPeriod,
    Snapshot,
    StatusChoice,
    StatusReport,
    Submission,
)
from verksam.indicators.models import Indicator
from verksam.organisation.models import OrgUnit
from verksam.plans.models import (
    Action,
    ActionResponsibility,
    Assignment,
    CarriedOverAssignment,
    GoalArea,
    Objective,
    Plan,
)

Actor = AbstractBaseUser | AnonymousUser
Subject = Objective | GoalArea | Plan

# The standard rounds of a year: monthly reports (not in the months of the interim and
# annual reports, nor January and July), the two interim reports and the annual report.
MONTHLY_MONTHS = (2, 3, 5, 6, 9, 10, 11)
DEADLINE_DAYS = 10


class PeriodNotOpen(ValidationError):
    """Reports can be written only in an open period; a closed one is read-only."""


class EditConflict(Exception):
    """Someone else saved the report since it was read; `current` is their version."""

    def __init__(self, current: Model) -> None:
        super().__init__(_("Someone else saved this report while you were editing it."))
        self.current = current


class ClosingBlocked(Exception):
    """Consistency findings are neither resolved nor acknowledged."""

    def __init__(self, findings: list[reporting.Finding]) -> None:
        super().__init__(
            _("%(n)d findings must be resolved or acknowledged before closing.")
            % {"n": len(findings)}
        )
        self.findings = findings


def require(actor: Actor, perm: str, obj: Any) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this here."))


def record_actor(row: Model, actor: Actor) -> None:
    """Name the actor in the row's next history record, also outside a web request
    (commands, the demo loader), where simple_history's middleware does not."""
    if actor.is_authenticated:
        row._history_user = actor  # type: ignore[attr-defined]


def require_open(period: ReportingPeriod) -> None:
    """Lock the period's row for the transaction and read it again, so that a write and
    a close of the same round never interleave; refuse unless it is open."""
    period.status = (
        ReportingPeriod.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=period.pk)
    )
    if not period.is_open:
        raise PeriodNotOpen(
            _("The period %(period)s is %(status)s: reports cannot be changed.")
            % {"period": period, "status": period.get_status_display()}
        )


# --- Periods ----------------------------------------------------------------------------


def period_key(plan: Plan, kind: str, as_of: date) -> str:
    code = {
        ReportingPeriod.Kind.MONTHLY: f"m{as_of.month:02d}",
        ReportingPeriod.Kind.INTERIM_APRIL: "t1",
        ReportingPeriod.Kind.INTERIM_AUGUST: "t2",
        ReportingPeriod.Kind.ANNUAL: "ar",
    }[ReportingPeriod.Kind(kind)]
    return f"{plan.key}-{code}"


def standard_periods(year: int) -> list[tuple[str, date]]:
    """The kinds and as-of dates of a year's standard rounds, in date order."""
    month_end = [date(year, m, calendar.monthrange(year, m)[1]) for m in range(1, 13)]
    periods = [(ReportingPeriod.Kind.MONTHLY.value, month_end[m - 1]) for m in MONTHLY_MONTHS]
    periods += [
        (ReportingPeriod.Kind.INTERIM_APRIL.value, month_end[3]),
        (ReportingPeriod.Kind.INTERIM_AUGUST.value, month_end[7]),
        (ReportingPeriod.Kind.ANNUAL.value, month_end[11]),
    ]
    return sorted(periods, key=lambda p: p[1])


@transaction.atomic
def create_periods(plan: Plan, *, actor: Actor) -> list[ReportingPeriod]:
    """The year's standard rounds of a board's plan, deadlines ten days after the as-of
    date; periods that exist are left as they are."""
    require(actor, "verksam.close_period", plan)
    if plan.parent_id is not None:
        raise ValidationError(_("Reporting periods belong to the board's plan, not to a part."))
    periods = []
    for kind, as_of in standard_periods(plan.year):
        period, _created = ReportingPeriod.objects.get_or_create(
            plan=plan,
            kind=kind,
            as_of=as_of,
            defaults={
                "key": period_key(plan, kind, as_of),
                "deadline": as_of + timedelta(days=DEADLINE_DAYS),
            },
        )
        periods.append(period)
    return periods


@transaction.atomic
def open_period(period: ReportingPeriod, *, actor: Actor, deadline: date | None = None) -> None:
    """Open a round for reporting (one open round per plan at a time)."""
    require(actor, "verksam.close_period", period)
    if period.is_open:
        return
    if period.is_closed:
        raise ValidationError(_("A closed period is reopened, with a reason, not opened."))
    if ReportingPeriod.objects.filter(plan=period.plan_id).open().exists():
        raise ValidationError(_("Another period of this plan is open: close it first."))
    if deadline is not None:
        if deadline < period.as_of:
            raise ValidationError(_("The deadline cannot be before the as-of date."))
        period.deadline = deadline
    period.status = ReportingPeriod.Status.OPEN
    period.opened_at = timezone.now()
    record_actor(period, actor)
    period.save()


@transaction.atomic
def close_period(period: ReportingPeriod, *, actor: Actor) -> Snapshot:
    """Close a round after its consistency checks, and freeze its reports in a snapshot."""
    require(actor, "verksam.close_period", period)
    require_open(period)
    blocking = [f for f in reporting.findings(period) if f.acknowledgement is None]
    if blocking:
        raise ClosingBlocked(blocking)
    number = (period.snapshots.aggregate(n=Max("number"))["n"] or 0) + 1
    snapshot = Snapshot.objects.create(
        period=period,
        number=number,
        taken_by=actor if actor.is_authenticated else None,
        data=reporting.snapshot_data(period),
    )
    period.status = ReportingPeriod.Status.CLOSED
    period.closed_at = timezone.now()
    record_actor(period, actor)
    period.save()
    return snapshot


@transaction.atomic
def reopen_period(period: ReportingPeriod, *, actor: Actor, reason: str) -> None:
    """Reopen a closed round; the reason is recorded. Its snapshots stay as they were."""
    require(actor, "verksam.close_period", period)
    if not period.is_closed:
        raise ValidationError(_("Only a closed period can be reopened."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening the period.")})
    if ReportingPeriod.objects.filter(plan=period.plan_id).open().exists():
        raise ValidationError(_("Another period of this plan is open: close it first."))
    period.status = ReportingPeriod.Status.OPEN
    period.reopen_reason = reason.strip()
    period._change_reason = reason.strip()  # type: ignore[attr-defined]
    record_actor(period, actor)
    period.save()


# --- Reports ------------------------------------------------------------------------------


def locked(model: type[Model], expected_version: int, **lookup: Any) -> Any:
    """The current row, locked for update; `EditConflict` if its version is not the one
    the edit was based on (0: the edit expects no report yet)."""
    current = model.objects.select_for_update().filter(**lookup).first()
    current_version = current.version if current else 0
    if current_version != expected_version:
        raise EditConflict(current)
    return current


def validate_status(fields: dict[str, Any]) -> None:
    """A deviating status needs its analysis; progress is a percentage."""
    errors: dict[str, str] = {}
    status = fields.get("status", "")
    if status not in StatusChoice.values:
        errors["status"] = _("Choose a status.")
    if status in DEVIATING:
        if not fields.get("cause", "").strip():
            errors["cause"] = _("Describe the cause of the deviation.")
        if not fields.get("remedy", "").strip():
            errors["remedy"] = _("Describe what is done about the deviation.")
        if not (fields.get("new_forecast", "").strip() or fields.get("new_end_date")):
            errors["new_forecast"] = _("Give a new forecast or a new end date.")
    progress = fields.get("progress")
    if progress is not None and not 0 <= progress <= 100:
        errors["progress"] = _("Progress is a percentage between 0 and 100.")
    if status == StatusChoice.DONE and progress not in (None, 100):
        errors["progress"] = _("A finished item has progress 100 %.")
    if errors:
        raise ValidationError(errors)


NULLABLE_DEFAULTS = {"progress": None, "new_end_date": None}
STATUS_FIELDS = ("status", "cause", "remedy", "new_forecast", "new_end_date", "comment", "progress")


@transaction.atomic
def submit_status(
    period: ReportingPeriod,
    item: Action | Assignment,
    *,
    actor: Actor,
    expected_version: int,
    **fields: Any,
) -> StatusReport:
    """Save the status of an action or assignment in an open period."""
    require(actor, "verksam.report", item)
    require_open(period)
    unknown = set(fields) - set(STATUS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown status fields: {sorted(unknown)}")
    validate_status(fields)
    lookup = {"action": item} if isinstance(item, Action) else {"assignment": item}
    report = locked(StatusReport, expected_version, period=period, **lookup)
    if report is None:
        report = StatusReport(period=period, **lookup)
    for name in STATUS_FIELDS:
        setattr(report, name, fields.get(name, NULLABLE_DEFAULTS.get(name, "")))
    report.author = actor  # type: ignore[assignment]
    report.version = expected_version + 1
    record_actor(report, actor)
    return save_new_or_conflict(report, StatusReport, period=period, **lookup)


def save_new_or_conflict(row: Model, model: type[Model], **lookup: Any) -> Any:
    """Save; two people creating the same report at once: the second gets a conflict."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise EditConflict(model.objects.get(**lookup)) from None
    return row


OUTCOME_FIELDS = ("raw", "women", "men", "source", "comment")


@transaction.atomic
def record_outcome(
    period: ReportingPeriod,
    indicator: Indicator,
    *,
    actor: Actor,
    expected_version: int,
    raw: str,
    women: Decimal | None = None,
    men: Decimal | None = None,
    source: str = "",
    comment: str = "",
) -> IndicatorOutcome:
    """Save an indicator's outcome (a number as printed, `2,4 %`, or a qualitative text)."""
    require(actor, "verksam.report", indicator)
    require_open(period)
    if not raw.strip():
        raise ValidationError({"raw": _("Give the outcome, a number or a short text.")})
    if len(raw) > 200:
        raise ValidationError({"raw": _("The outcome is at most 200 characters.")})
    outcome = locked(IndicatorOutcome, expected_version, period=period, indicator=indicator)
    if outcome is None:
        outcome = IndicatorOutcome(period=period, indicator=indicator)
    outcome.raw, outcome.women, outcome.men = raw.strip(), women, men
    outcome.source, outcome.comment = source, comment
    outcome.author = actor  # type: ignore[assignment]
    outcome.version = expected_version + 1
    record_actor(outcome, actor)
    return save_new_or_conflict(outcome, IndicatorOutcome, period=period, indicator=indicator)


@transaction.atomic
def assess_outcome(
    outcome: IndicatorOutcome,
    *,
    actor: Actor,
    expected_version: int,
    attainment: str,
    motivation: str,
) -> IndicatorOutcome:
    """A controller's manual assessment (or "" to go back to the rule), with motivation."""
    require(actor, "verksam.assess", outcome.indicator)
    require_open(outcome.period)
    if attainment and attainment not in Attainment.values:
        raise ValidationError({"attainment": _("Choose an assessment.")})
    if attainment and not motivation.strip():
        raise ValidationError({"motivation": _("A manual assessment needs a motivation.")})
    current = locked(IndicatorOutcome, expected_version, pk=outcome.pk)
    current.manual_attainment = attainment
    current.manual_motivation = motivation.strip() if attainment else ""
    current.version += 1
    record_actor(current, actor)
    current.save()
    return current


@transaction.atomic
def judge(
    period: ReportingPeriod,
    subject: Subject,
    *,
    actor: Actor,
    expected_version: int,
    attainment: str,
    motivation: str,
) -> Judgement:
    """A controller's samlad bedömning of an objective or goal area (the board's
    controllers) or of an office (also that office's controllers)."""
    require(actor, "verksam.assess", subject)
    require_open(period)
    errors = {}
    if attainment not in Attainment.values:
        errors["attainment"] = _("Choose an assessment.")
    if not motivation.strip():
        errors["motivation"] = _("A judgement needs a motivation.")
    if errors:
        raise ValidationError(errors)
    field_name = {Objective: "objective", GoalArea: "goal_area", Plan: "office"}[type(subject)]
    lookup = {"period": period, field_name: subject}
    judgement = locked(Judgement, expected_version, **lookup) or Judgement(**lookup)
    judgement.attainment, judgement.motivation = attainment, motivation.strip()
    judgement.author = actor  # type: ignore[assignment]
    judgement.version = expected_version + 1
    record_actor(judgement, actor)
    return save_new_or_conflict(judgement, Judgement, **lookup)


@transaction.atomic
def submit_unit_report(period: ReportingPeriod, unit: OrgUnit, *, actor: Actor) -> Submission:
    """Mark a unit's report for the period as submitted; everything it must report must be
    reported first."""
    require_open(period)
    if not actor.has_perm("verksam.report", Submission(period=period, unit=unit)):
        raise PermissionDenied(_("You may not do this here."))
    missing = [r for r in reporting.rows_for(period) if r.unit == unit and not r.is_reported]
    if missing:
        raise ValidationError(
            _("%(n)d items are not reported yet, e.g. %(item)s.")
            % {"n": len(missing), "item": missing[0].label}
        )
    submission, _created = Submission.objects.get_or_create(
        period=period, unit=unit, defaults={"submitted_by": actor}
    )
    return submission


@transaction.atomic
def acknowledge_finding(
    period: ReportingPeriod, *, actor: Actor, code: str, subject: str, note: str
) -> Acknowledgement:
    """Accept a consistency finding so that the period can be closed, saying why."""
    require(actor, "verksam.close_period", period)
    require_open(period)
    if not note.strip():
        raise ValidationError({"note": _("Say why the finding is acceptable.")})
    if not any(f.code == code and f.subject == subject for f in reporting.findings(period)):
        raise ValidationError(_("There is no such finding in this period."))
    acknowledgement, _created = Acknowledgement.objects.update_or_create(
        period=period,
        code=code,
        subject=subject,
        defaults={"note": note.strip(), "acknowledged_by": actor},
    )
    return acknowledgement


# --- Reminders ----------------------------------------------------------------------------


def reporters_of(units: list[OrgUnit]) -> dict[int, set[str]]:
    """E-mail addresses of the reporters at each unit or a unit above it (two queries)."""
    parents = dict(OrgUnit.objects.values_list("id", "parent_id"))
    held: dict[int, set[str]] = {}
    for unit_id, email in (
        Membership.objects.filter(role=Role.REPORTER)
        .exclude(user__email="")
        .values_list("unit_id", "user__email")
    ):
        held.setdefault(unit_id, set()).add(email)
    found = {}
    for unit in units:
        emails: set[str] = set()
        current: int | None = unit.pk
        while current is not None:
            emails |= held.get(current, set())
            current = parents.get(current)
        found[unit.pk] = emails
    return found


@transaction.atomic
def send_reminders(period: ReportingPeriod, *, actor: Actor, on: date) -> int:
    """E-mail the reporters of every unit that has not submitted and has items missing;
    returns how many e-mails were sent."""
    require(actor, "verksam.close_period", period)
    require_open(period)
    behind = [
        p for p in reporting.completeness(period, on=on) if p.submission is None and p.missing
    ]
    recipients = reporters_of([p.unit for p in behind])
    link = settings.SITE_URL + reverse("followup:report_list")
    messages = []
    for progress in behind:
        if not recipients[progress.unit.pk]:
            continue
        lines = "\n".join(f"- {row.label}" for row in progress.missing)
        body = _(
            "The report for %(period)s is due %(deadline)s. %(unit)s has %(n)d items left "
            "to report:\n\n%(items)s\n\nReport them here: %(link)s"
        ) % {
            "period": period,
            "deadline": period.deadline.isoformat(),
            "unit": progress.unit.name,
            "n": len(progress.missing),
            "items": lines,
            "link": link,
        }
        subject = _("Reminder: report for %(period)s") % {"period": period}
        messages.append(
            (subject, body, settings.DEFAULT_FROM_EMAIL, sorted(recipients[progress.unit.pk]))
        )
    return send_mass_mail(messages, fail_silently=False)


# --- Carry-over ---------------------------------------------------------------------------


def final_statuses(plan: Plan) -> dict[tuple[str, int], StatusReport]:
    """Each item's latest status report of the year's rounds (the annual report if any)."""
    latest: dict[tuple[str, int], StatusReport] = {}
    reports = StatusReport.objects.filter(period__plan=plan.root).order_by("period__as_of")
    for report in reports:
        key = (
            ("action", report.action_id)
            if report.action_id
            else ("assignment", report.assignment_id)
        )
        latest[key] = report  # type: ignore[index]
    return latest


def is_finished(item: Action | Assignment, statuses: dict[tuple[str, int], StatusReport]) -> bool:
    kind = "action" if isinstance(item, Action) else "assignment"
    report = statuses.get((kind, item.pk))
    return report is not None and report.is_finished


@transaction.atomic
def decide_carry_over(
    item: Action | Assignment,
    *,
    actor: Actor,
    decision: str,
    motivation: str = "",
    replacement: str = "",
) -> CarryOverDecision:
    """A controller's decision on an unfinished item at year end: continue, close, replace."""
    require(actor, "verksam.carry_over", item)
    if decision not in CarryOverDecision.Decision.values:
        raise ValidationError({"decision": _("Choose continue, close or replace.")})
    if decision == CarryOverDecision.Decision.REPLACE and not replacement.strip():
        raise ValidationError({"replacement": _("Say what replaces the item.")})
    if is_finished(item, final_statuses(item.plan)):
        raise ValidationError(_("A finished item is not carried over."))
    lookup = {"action": item} if isinstance(item, Action) else {"assignment": item}
    current = CarryOverDecision.objects.filter(**lookup).first()
    if current is not None and current.result is not None:
        raise ValidationError(_("The item has already been carried over; the decision stands."))
    decided, _created = CarryOverDecision.objects.update_or_create(
        **lookup,
        defaults={
            "decision": decision,
            "motivation": motivation.strip(),
            "replacement": replacement.strip() if decision == "replace" else "",
            "decided_by": actor,
        },
    )
    return decided


@dataclass
class CarryOverResult:
    """What a carry-over run did: plans made, items carried now, items already carried,
    unfinished items still without a decision."""

    plans: list[Plan] = field(default_factory=list)
    carried: list[Action | Assignment] = field(default_factory=list)
    already: int = 0
    undecided: list[Action | Assignment] = field(default_factory=list)


def next_key(key: str, from_year: int, to_year: int) -> str:
    """An item's key in next year's plan: the year in it replaced (`ksk-2022-1.1-u1` →
    `ksk-2023-1.1-u1`), else the year appended."""
    replaced = re.sub(rf"(?<!\d){from_year}(?!\d)", str(to_year), key)
    return replaced if replaced != key else f"{key}-{to_year}"


class Carrier:
    """Copies a board's plan frame (plans, goal areas, objectives) into the next year on
    first use and continued items into it, matching by key so that a second run finds
    what the first made."""

    def __init__(self, board: Plan, to_year: int) -> None:
        self.board, self.from_year, self.to_year = board, board.year, to_year
        self.plans: dict[int, Plan] = {}
        self.made: list[Plan] = []
        self.goal_areas: dict[int, GoalArea] = {}
        self.objectives: dict[int, Objective] = {}

    def key(self, key: str) -> str:
        return next_key(key, self.from_year, self.to_year)

    def plan(self, plan: Plan) -> Plan:
        if plan.pk not in self.plans:
            parent = self.plan(plan.parent) if plan.parent else None
            new, created = Plan.objects.get_or_create(
                owner=plan.owner,
                year=self.to_year,
                defaults={
                    "key": self.key(plan.key),
                    "parent": parent,
                    "title": plan.title.replace(str(self.from_year), str(self.to_year)),
                    "status": Plan.Status.DRAFT,
                    "horizon_start": self.to_year,
                    "horizon_end": max(plan.horizon_end, self.to_year),
                    "position": plan.position,
                },
            )
            if created:
                self.made.append(new)
            self.plans[plan.pk] = new
        return self.plans[plan.pk]

    def goal_area(self, goal_area: GoalArea) -> GoalArea:
        if goal_area.pk not in self.goal_areas:
            self.goal_areas[goal_area.pk], _ = GoalArea.objects.get_or_create(
                plan=self.plan(goal_area.plan),
                number=goal_area.number,
                defaults={
                    "key": self.key(goal_area.key),
                    "title": goal_area.title,
                    "ambition": goal_area.ambition,
                    "position": goal_area.position,
                },
            )
        return self.goal_areas[goal_area.pk]

    def objective(self, objective: Objective | None) -> Objective | None:
        if objective is None:
            return None
        if objective.pk not in self.objectives:
            self.objectives[objective.pk], _ = Objective.objects.get_or_create(
                goal_area=self.goal_area(objective.goal_area),
                number=objective.number,
                defaults={
                    "key": self.key(objective.key),
                    "title": objective.title,
                    "position": objective.position,
                },
            )
        return self.objectives[objective.pk]

    def assignment(self, old: Assignment, decision: CarryOverDecision) -> Assignment:
        title = decision.replacement or old.title
        new = Assignment.objects.create(
            key=self.key(old.key),
            plan=self.plan(old.plan),
            goal_area=self.goal_area(old.goal_area),
            kind=old.kind,
            kind_label=old.kind_label,
            title=title,
            description=old.description,
            origin=old.origin or f"VP {self.from_year}",
            notes=[*old.notes, lineage_note(old, decision, self.from_year)],
            position=old.position,
        )
        new.objectives.set([self.objective(o) for o in old.objectives.all()])
        new.focus_areas.set(old.focus_areas.all())
        CarriedOverAssignment.objects.create(
            key=self.key(old.key) + "-bilaga1",
            plan=self.plan(old.plan).root,
            goal_area=new.goal_area,
            title=title,
            origin=new.origin,
            assignment=new,
            position=old.position,
        )
        return new

    def action(self, old: Action, decision: CarryOverDecision) -> Action:
        carried_assignment = (
            getattr(old.assignment, "carry_over", None) if old.assignment_id else None
        )
        new = Action.objects.create(
            key=self.key(old.key),
            plan=self.plan(old.plan),
            goal_area=self.goal_area(old.goal_area),
            objective=self.objective(old.objective),
            assignment=carried_assignment.result_assignment if carried_assignment else None,
            text=decision.replacement or old.text,
            completion_criterion=old.completion_criterion,
            responsible_raw=old.responsible_raw,
            start_raw=old.start_raw,
            end_raw=str(self.to_year),
            notes=[*old.notes, lineage_note(old, decision, self.from_year)],
            position=old.position,
        )
        for responsibility in old.responsibilities.all():
            ActionResponsibility.objects.create(
                action=new,
                unit=responsibility.unit,
                role=responsibility.role,
                position=responsibility.position,
            )
        new.focus_areas.set(old.focus_areas.all())
        return new


def lineage_note(old: Action | Assignment, decision: CarryOverDecision, year: int) -> str:
    if decision.decision == CarryOverDecision.Decision.REPLACE:
        return _("Replaces %(key)s of the plan for %(year)d.") % {"key": old.key, "year": year}
    return _("Carried over from %(key)s of the plan for %(year)d.") % {"key": old.key, "year": year}


@transaction.atomic
def carry_over_plan(board: Plan, *, actor: Actor, to_year: int) -> CarryOverResult:
    """Make next year's plan (a draft, with the board's goal areas and objectives as far
    as used) with every unfinished item decided "continue" or "replace". Finished items
    are never carried; items already carried are not carried again."""
    require(actor, "verksam.carry_over", board)
    if board.parent_id is not None:
        raise ValidationError(_("Carry over the board's plan, not one of its parts."))
    if to_year <= board.year:
        raise ValidationError(_("Carry over goes to a later year."))
    carrier = Carrier(board, to_year)
    result = CarryOverResult()
    statuses = final_statuses(board)
    family = Plan.objects.family(board)
    carrying = {CarryOverDecision.Decision.CONTINUE, CarryOverDecision.Decision.REPLACE}
    for model in (Assignment, Action):
        items = (
            model.objects.filter(plan__in=family)
            .select_related("plan__parent", "goal_area__plan", "carry_over")
            .order_by("plan__position", "plan__key", "position", "pk")
        )
        for item in items:
            if is_finished(item, statuses):
                continue
            decision = getattr(item, "carry_over", None)
            if decision is None:
                result.undecided.append(item)
            elif decision.result is not None:
                result.already += 1
            elif decision.decision in carrying:
                new = (
                    carrier.assignment(item, decision)
                    if isinstance(item, Assignment)
                    else carrier.action(item, decision)  # type: ignore[arg-type]
                )
                setattr(decision, f"result_{model._meta.model_name}", new)
                decision.save()
                result.carried.append(new)
    result.plans = carrier.made
    return result
