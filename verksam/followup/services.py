"""Writes of a follow-up round. Views, the API and commands all call these functions;
each checks the actor's permission, runs in one transaction and leaves history.

Reports, outcomes and judgements use optimistic locking (`save_version`): a save names the
`version` it was based on (0 for a new one); if someone else saved in between,
`EditConflict` carries their version and nothing is overwritten. Carry-over at year end is
in `carry_over.py`.
"""

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.accounts.models import Membership, Role
from verksam.core.numbers import parse_value
from verksam.core.validation import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    TITLE_MAX,
    clean_number,
    clean_text,
)
from verksam.followup import reporting, tallies
from verksam.followup.models import (
    DEVIATING,
    Acknowledgement,
    Attainment,
    IndicatorOutcome,
    Judgement,
    PeriodText,
    ReportingPeriod,
    Snapshot,
    StatusChoice,
    StatusReport,
    Subject,
    Submission,
    Versioned,
)
from verksam.indicators.models import Indicator
from verksam.organisation.models import OrgUnit
from verksam.plans.models import Action, Assignment, Plan

Actor = User | AnonymousUser
V = TypeVar("V", bound=Versioned)


def person(actor: Actor) -> User | None:
    """The actor as the person a record names (the services let no anonymous actor write)."""
    return actor if isinstance(actor, User) else None


# The standard rounds of a year: monthly reports (not in the months of the interim and
# annual reports, nor January and July), the two interim reports and the annual report.
MONTHLY_MONTHS = (2, 3, 5, 6, 9, 10, 11)
DEADLINE_DAYS = 10


class PeriodNotOpen(ValidationError):
    """Reports can be written only in an open period; a closed one is read-only."""


class EditConflict(Exception, Generic[V]):
    """Someone else saved the report since it was read; `current` is their version (None
    if it is gone)."""

    def __init__(self, current: V | None) -> None:
        super().__init__(_("Someone else saved this report while you were editing it."))
        self.current = current


class ClosingBlocked(Exception):
    """Consistency findings are neither resolved nor acknowledged."""

    def __init__(self, findings: list[reporting.Finding]) -> None:
        super().__init__(
            ngettext(
                "%(n)d finding must be resolved or acknowledged before closing.",
                "%(n)d findings must be resolved or acknowledged before closing.",
                len(findings),
            )
            % {"n": len(findings)}
        )
        self.findings = findings


# The most characters of each text a follow-up write takes (docs/security.md, "Input").
TEXT_LIMITS = {
    "cause": LONG_TEXT_MAX,
    "analysis": LONG_TEXT_MAX,
    "remedy": LONG_TEXT_MAX,
    "comment": LONG_TEXT_MAX,
    "motivation": LONG_TEXT_MAX,
    "reason": LONG_TEXT_MAX,
    "new_forecast": TITLE_MAX,
    "source": TITLE_MAX,
    "note": TITLE_MAX,
    "replacement": TITLE_MAX,
    "raw": SHORT_TEXT_MAX,
    "text": LONG_TEXT_MAX,
}
ONE_LINE = {"new_forecast", "source", "note", "replacement", "raw"}


def check_input(**fields: Any) -> None:
    """Every text and number under the input rules (verksam.core.validation), whichever
    entrance it came through: ValidationError with a message per field."""
    errors: dict[str, str] = {}
    for name, value in fields.items():
        try:
            if isinstance(value, str):
                clean_text(value, max_length=TEXT_LIMITS[name], multiline=name not in ONE_LINE)
                if name == "raw" and (number := parse_value(value).number) is not None:
                    clean_number(number)
            elif isinstance(value, Decimal):
                clean_number(value)
        except ValueError as error:
            errors[name] = str(error)
    if errors:
        raise ValidationError(errors)


def require(actor: Actor, perm: str, obj: Any) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this here."))


def record_actor(row: Model, actor: Actor) -> None:
    """Name the actor in the row's next history record, also outside a web request
    (commands, the demo loader), where simple_history's middleware does not."""
    if actor.is_authenticated:
        row._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook for who changed it


def require_open(period: ReportingPeriod, *, closing: bool = False) -> None:
    """Lock the period's row for the transaction and read it again, so that a write and
    a close of the same round never interleave; refuse unless it is open. The writes in
    the round share the lock (a round's reporters save at once), a close holds it alone."""
    period.status = ReportingPeriod.objects.locked_status(period.pk, exclusive=closing)
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
    require_open(period, closing=True)
    blocking = [f for f in reporting.findings(period) if f.acknowledgement is None]
    if blocking:
        raise ClosingBlocked(blocking)
    number = (period.snapshots.aggregate(n=Max("number"))["n"] or 0) + 1
    snapshot = Snapshot.objects.create(
        period=period,
        number=number,
        taken_by=actor if actor.is_authenticated else None,
        data=reporting.frozen_data(period),
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
    check_input(reason=reason)
    if ReportingPeriod.objects.filter(plan=period.plan_id).open().exists():
        raise ValidationError(_("Another period of this plan is open: close it first."))
    period.status = ReportingPeriod.Status.OPEN
    period.reopen_reason = reason.strip()
    period._change_reason = reason.strip()  # type: ignore[attr-defined]  # simple-history's hook for why
    record_actor(period, actor)
    period.save()


# --- Reports ------------------------------------------------------------------------------


def save_version(
    rows: QuerySet[V],
    *,
    expected_version: int,
    actor: Actor,
    change: Callable[[V], None],
    new: Callable[[], V] | None = None,
) -> V:
    """The one way a versioned row is written: lock the current row of `rows` (at most
    one), check that it is the version the edit was based on (0: none yet, then `new()`
    makes it), apply `change` to it and save it as the next version. If someone saved in
    between, or created the same row at the same moment, `EditConflict` carries their
    version and nothing is written."""
    current = rows.select_for_update().first()
    if (current.version if current else 0) != expected_version:
        raise EditConflict(current)
    row = current if current is not None else new() if new is not None else None
    if row is None:
        raise EditConflict(None)
    change(row)
    row.version = expected_version + 1
    record_actor(row, actor)
    if current is not None:
        row.save()  # the locked row: nobody can write it in between
        return row
    # A new row: someone may insert the same one at the same moment (no row to lock yet).
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise EditConflict(rows.first()) from None
    return row


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
STATUS_FIELDS = (
    "status",
    "cause",
    "remedy",
    "new_forecast",
    "new_end_date",
    "analysis",
    "comment",
    "progress",
)


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
    check_input(**{k: v for k, v in fields.items() if k in TEXT_LIMITS})

    def change(report: StatusReport) -> None:
        for name in STATUS_FIELDS:
            setattr(report, name, fields.get(name, NULLABLE_DEFAULTS.get(name, "")))
        report.author = actor  # type: ignore[assignment]  # the services let no anonymous actor write

    return save_version(
        StatusReport.objects.for_item(item).filter(period=period),
        expected_version=expected_version,
        actor=actor,
        change=change,
        new=lambda: StatusReport.of(period, item),
    )


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
    check_input(raw=raw.strip(), women=women, men=men, source=source, comment=comment)

    def change(outcome: IndicatorOutcome) -> None:
        outcome.raw, outcome.women, outcome.men = raw.strip(), women, men
        outcome.source, outcome.comment = source, comment
        outcome.author = actor  # type: ignore[assignment]  # the services let no anonymous actor write

    return save_version(
        IndicatorOutcome.objects.for_item(indicator).filter(period=period),
        expected_version=expected_version,
        actor=actor,
        change=change,
        new=lambda: IndicatorOutcome.of(period, indicator),
    )


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
    check_input(motivation=motivation)

    def change(current: IndicatorOutcome) -> None:
        current.manual_attainment = attainment
        current.manual_motivation = motivation.strip() if attainment else ""

    return save_version(
        IndicatorOutcome.objects.filter(pk=outcome.pk),
        expected_version=expected_version,
        actor=actor,
        change=change,
    )


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
    check_input(motivation=motivation)

    def change(judgement: Judgement) -> None:
        judgement.attainment, judgement.motivation = attainment, motivation.strip()
        judgement.author = actor  # type: ignore[assignment]  # the services let no anonymous actor write

    return save_version(
        Judgement.objects.for_subject(subject).filter(period=period),
        expected_version=expected_version,
        actor=actor,
        change=change,
        new=lambda: Judgement.of(period, subject),
    )


# A bullet as people type one in a text box, made the prose convention's `• `.
TYPED_BULLET = re.compile(r"^[ \t]*[-*][ \t]+", re.MULTILINE)


def prose_text(text: str) -> str:
    """A typed text in the prose convention of the plan's texts (`core.prose`): line ends
    as `\n`, no blanks at the ends of lines, bullets `- ` and `* ` written `• `."""
    lines = TYPED_BULLET.sub("• ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in lines.strip().split("\n"))


@transaction.atomic
def write_period_text(
    period: ReportingPeriod, kind: str, *, actor: Actor, expected_version: int, text: str
) -> PeriodText:
    """The round's controller writes its summary or significant events before closing
    (the summary is offered as a draft from the figures, `followup.summary`; only what
    they save is recorded). Refused once the round is closed: a closed round's texts are
    those its snapshot froze."""
    require(actor, "verksam.close_period", period)
    require_open(period)
    if kind not in PeriodText.Kind.values:
        raise ValidationError(_("There is no such text of a round."))
    check_input(text=text)
    text = prose_text(text)
    if not text:
        raise ValidationError({"text": _("Write the text.")})

    def change(row: PeriodText) -> None:
        row.text = text
        row.author = actor  # type: ignore[assignment]  # the services let no anonymous actor write

    return save_version(
        period.texts.filter(kind=kind),
        expected_version=expected_version,
        actor=actor,
        change=change,
        new=lambda: PeriodText.of(period, kind),
    )


@transaction.atomic
def submit_unit_report(period: ReportingPeriod, unit: OrgUnit, *, actor: Actor) -> Submission:
    """Mark a unit's report for the period as submitted; everything it must report must be
    reported first."""
    require_open(period)
    if not actor.has_perm("verksam.report", Submission(period=period, unit=unit)):
        raise PermissionDenied(_("You may not do this here."))
    missing, first = tallies.missing_of_unit(period, unit.pk)
    if missing:
        raise ValidationError(
            ngettext(
                "%(n)d item is not reported yet: %(item)s.",
                "%(n)d items are not reported yet, e.g. %(item)s.",
                missing,
            )
            % {"n": missing, "item": first}
        )
    submission, _created = Submission.objects.get_or_create(
        period=period, unit=unit, defaults={"submitted_by": person(actor)}
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
    check_input(note=note)
    if not any(f.code == code and f.subject == subject for f in reporting.findings(period)):
        raise ValidationError(_("There is no such finding in this period."))
    acknowledgement, _created = Acknowledgement.objects.update_or_create(
        period=period,
        code=code,
        subject=subject,
        defaults={"note": note.strip(), "acknowledged_by": person(actor)},
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
    behind = [p for p in tallies.board(period, on=on) if p.submission is None and p.missing]
    recipients = reporters_of([p.unit for p in behind])
    link = settings.SITE_URL + reverse("followup:report_list")
    messages = []
    for progress in behind:
        if not recipients[progress.unit.pk]:
            continue
        lines = "\n".join(f"- {item.label}" for item in progress.missing)
        body = ngettext(
            "The report for %(period)s is due %(deadline)s. %(unit)s has %(n)d item left "
            "to report:\n\n%(items)s\n\nReport it here: %(link)s",
            "The report for %(period)s is due %(deadline)s. %(unit)s has %(n)d items left "
            "to report:\n\n%(items)s\n\nReport them here: %(link)s",
            len(progress.missing),
        ) % {
            "period": period,
            "deadline": date_format(period.deadline, "DATE_FORMAT"),
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
