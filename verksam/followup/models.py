"""Follow-up rounds: reporting periods of a plan year, status reports on actions and
assignments, indicator outcomes with their assessment, controllers' judgements,
submissions, acknowledged check findings, frozen snapshots and carry-over decisions.

Every report carries a `version` for optimistic locking (see services) and a history
(django-simple-history), so that who changed what, when, is kept.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import connections, models
from django.db.models import OuterRef, Q
from django.db.transaction import TransactionManagementError
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from verksam.accounts.rules import Role, unit_ids_with_role
from verksam.core.fields import NumberField
from verksam.core.numbers import parse_value, value_text
from verksam.indicators.models import Indicator, IndicatorQuerySet
from verksam.organisation.models import OrgUnit
from verksam.plans.models import (
    Action,
    ActionQuerySet,
    Assignment,
    AssignmentQuerySet,
    GoalArea,
    Objective,
    PartOfPlan,
    Plan,
    PlanQuerySet,
)

USER = settings.AUTH_USER_MODEL

# What a status report and a carry-over decision are about.
Item = Action | Assignment
# What a judgement is about: an objective, a goal area or an office (its part of the plan).
Subject = Objective | GoalArea | Plan
# A row's identity without fetching it: its model and primary key.
RowKey = tuple[type[models.Model], int | None]


def key_of(row: models.Model) -> RowKey:
    return (type(row), row.pk)


# The kinds of item a status report is about, by the names the addresses and the API use.
ITEMS: dict[str, type[Action] | type[Assignment]] = {"action": Action, "assignment": Assignment}


def item_field(model: type[Item]) -> str:
    """The field of a status report or carry-over decision that points at an item of
    `model` (the one place that tells actions and assignments apart)."""
    return "action" if issubclass(model, Action) else "assignment"


def item_lookup(item: Item, prefix: str = "") -> dict[str, Any]:
    """The lookup of the rows about `item`."""
    return {prefix + item_field(type(item)): item}


def followup_readable(
    model: type[Item] | type[Indicator] | type[Plan], user: User | AnonymousUser, prefix: str
) -> Q:
    """The rows whose report on a row of `model` (reached by the lookup `prefix`, e.g.
    `action`) the user may read: the `verksam.view_followup` rule in the database. A role
    (reader or higher) at the row's units reads every round's; anyone reads a closed
    round's on content of a public plan."""
    reached = model.objects.reached_by(user).values("pk")
    public = Plan.objects.public().values("pk")
    plan_path = prefix if model is Plan else f"{prefix}__plan"
    return Q(**{f"{prefix}__in": reached}) | Q(
        **{"period__status": ReportingPeriod.Status.CLOSED, f"{plan_path}__in": public}
    )


def subject_lookup(subject: Subject) -> dict[str, Any]:
    """The field of a judgement that points at `subject`, with it."""
    field = {Objective: "objective", GoalArea: "goal_area", Plan: "office"}[type(subject)]
    return {field: subject}


class Attainment(models.TextChoices):
    """Måluppfyllelse, from best to unknown."""

    MET = "met", _("met")
    PARTLY = "partly", _("partly met")
    NOT_MET = "not_met", _("not met")
    UNKNOWN = "unknown", _("cannot be assessed")

    @property
    def symbol(self) -> str:
        """The symbol printed beside the word, so that it reads without colour: the same on
        the pages (their badges draw it in verksam.css) and in the documents (each one in
        the fonts that come with Typst: ✗, not ✕)."""
        return ATTAINMENT_SYMBOLS[self]


ATTAINMENT_SYMBOLS = {
    Attainment.MET: "✓",
    Attainment.PARTLY: "◐",
    Attainment.NOT_MET: "✗",
    Attainment.UNKNOWN: "?",
}


class ReportingPeriodQuerySet(models.QuerySet["ReportingPeriod"]):
    def visible_to(self, user: User | AnonymousUser) -> "ReportingPeriodQuerySet":
        """Closed periods of decided plans are public. Every round is visible to anyone
        holding a role in the organisation: reporters in departments must find the open
        round; what each page shows of it is checked per item and unit."""
        if unit_ids_with_role(user, Role.READER):
            return self.all()
        return self.filter(status=ReportingPeriod.Status.CLOSED, plan__status__in=Plan.LOCKED)

    def open(self) -> "ReportingPeriodQuerySet":
        return self.filter(status=ReportingPeriod.Status.OPEN)

    def locked_status(self, pk: int, *, exclusive: bool) -> str:
        """The period's status, its row locked until the transaction ends: shared (FOR
        SHARE) by the writes in the round, so that reporters saving at once do not wait for
        each other, exclusive (FOR UPDATE) by a change of its status, which waits for those
        writes and they for it. Django's ORM locks only exclusively, hence the SQL; SQLite
        takes no row locks (it has one writer at a time)."""
        rows = self.filter(pk=pk).order_by().values_list("status", flat=True)
        connection = connections[self.db]
        if exclusive or not connection.features.has_select_for_update:
            return rows.select_for_update().get()
        if connection.get_autocommit():
            raise TransactionManagementError("A row is locked only inside a transaction.")
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} FOR SHARE", params)
            found = cursor.fetchone()
        if found is None:
            raise self.model.DoesNotExist
        return found[0]

    def with_reports_readable_by(
        self, user: User | AnonymousUser, obj: models.Model
    ) -> "ReportingPeriodQuerySet":
        """The rounds whose reports on `obj` (an item or a plan) the user may read: closed
        rounds of decided plans; open ones, whose reports are still drafts, only with a
        role at the item's units (`verksam.view_history`)."""
        periods = self.visible_to(user)
        if not user.has_perm("verksam.view_history", obj):
            periods = periods.filter(status=ReportingPeriod.Status.CLOSED)
        return periods


class ReportingPeriod(PartOfPlan, models.Model):
    """A follow-up round of a board's plan: a monthly report, an interim report (per
    30 April, per 31 August) or the annual report. Opened and closed by a controller;
    reports can be written only while it is open."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("monthly report")
        INTERIM_APRIL = "interim_april", _("interim report 1 (per 30 April)")
        INTERIM_AUGUST = "interim_august", _("interim report 2 (per 31 August)")
        ANNUAL = "annual", _("annual report")

    class Status(models.TextChoices):
        PLANNED = "planned", _("not yet open")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    key = models.CharField(_("id"), max_length=80, unique=True)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reporting_periods"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    as_of = models.DateField(_("as of"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Invented for the demo (verksam demo), not a real follow-up."),
    )

    objects = ReportingPeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["plan", "as_of", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "as_of"], name="period_once"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status="open"), name="period_one_open_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("as_of")), name="period_deadline_after_as_of"
            ),
        ]

    def __str__(self) -> str:
        """As people name the round: "Månadsrapport mars 2022", "Delårsrapport 1 (per 30
        april) 2022", "Årsredovisning 2022"."""
        if self.kind == self.Kind.MONTHLY:
            when = date_format(self.as_of, "YEAR_MONTH_FORMAT")
        else:
            when = str(self.as_of.year)
        return capfirst(f"{self.get_kind_display()} {when}")

    def get_absolute_url(self) -> str:
        return reverse("followup:period_detail", args=[self.key])

    @property
    def year(self) -> int:
        return self.plan.year

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def days_overdue(self, on: date) -> int:
        return max(0, (on - self.deadline).days)

    @property
    def expects_outcomes(self) -> bool:
        """Monthly reports follow up actions and assignments; interim and annual reports
        also indicators' outcomes."""
        return self.kind != self.Kind.MONTHLY

    def plans(self) -> PlanQuerySet:
        """The board's plan and its offices' parts: what the round follows up."""
        return Plan.objects.family(self.plan)

    def readable_items(
        self, model: type[Action] | type[Assignment] | type[Indicator], user: User | AnonymousUser
    ) -> Any:
        """The items of `model` in the round whose reports the user may read
        (`verksam.view_followup`): with a role at the item (its plan's owner or a responsible
        unit) in every round; without, in a closed round on items of public plans."""
        in_round = model.objects.filter(plan__in=self.plans())
        reached = in_round.reached_by(user)
        if not self.is_closed:
            return reached
        return in_round.filter(
            Q(plan__in=Plan.objects.public().values("pk")) | Q(pk__in=reached.values("pk"))
        )

    def actions(self) -> ActionQuerySet:
        """The actions the round follows up, with what deciding who reports them needs."""
        return (
            Action.objects.filter(plan__in=self.plans())
            .select_related("plan__owner", "goal_area")
            .with_responsibilities()
            .in_document_order()
        )

    def assignments(self) -> AssignmentQuerySet:
        """The assignments the round follows up, with their objectives and actions."""
        return (
            Assignment.objects.filter(plan__in=self.plans())
            .select_related("plan__owner", "goal_area")
            .with_objectives_and_actions()
            .in_document_order()
        )

    def indicators(self) -> IndicatorQuerySet:
        """The indicators the round follows up, with their values (the targets) and units."""
        return (
            Indicator.objects.filter(plan__in=self.plans())
            .select_related("plan__owner", "goal_area")
            .with_values()
            .with_responsibilities()
            .in_document_order()
        )


class StatusChoice(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    ON_TRACK = "on_track", _("in progress as planned")
    DEVIATION = "deviation", _("in progress with deviation")
    DELAYED = "delayed", _("delayed")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")
    POSTPONED = "postponed", _("moved to next year")


# Statuses that need a structured analysis (cause, remedy, new forecast).
DEVIATING = {StatusChoice.DEVIATION, StatusChoice.DELAYED, StatusChoice.POSTPONED}
FINISHED = {StatusChoice.DONE, StatusChoice.CANCELLED}


class Versioned(models.Model):
    """A report written by people in turn: who wrote it last, when, and its version for
    optimistic locking (a save must name the version it was based on)."""

    author = models.ForeignKey(
        USER, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class StatusReportQuerySet(models.QuerySet["StatusReport"]):
    def visible_to(self, user: User | AnonymousUser) -> "StatusReportQuerySet":
        """The reports the user may read (`verksam.view_followup`)."""
        return self.filter(
            followup_readable(Action, user, "action")
            | followup_readable(Assignment, user, "assignment")
        )

    def for_item(self, item: Item) -> "StatusReportQuerySet":
        return self.filter(**item_lookup(item))

    def latest_first(self) -> "StatusReportQuerySet":
        """The latest round first (and of one round the last written): an item's first
        report in this order is its latest status, in the pages' prefetch and in their
        counts alike (`followup.item_followup`)."""
        return self.order_by("-period__as_of", "-pk")

    def for_outer_item(self, model: type[Item]) -> "StatusReportQuerySet":
        """Reports on the row of an outer query of `model` (inside `Exists`)."""
        return self.filter(**{item_field(model): OuterRef("pk")})

    def counted_by_place(
        self, model: type[Item], plans: Iterable[Plan]
    ) -> models.QuerySet[Any, tuple[int, int, str, int]]:
        """How many reports on items of `model` in `plans` have each status, per plan and
        goal area: rows of (plan id, goal area id, status, count), one query."""
        field = item_field(model)
        return (
            self.filter(**{f"{field}__plan__in": plans})
            .order_by()
            .values_list(f"{field}__plan_id", f"{field}__goal_area_id", "status")
            .annotate(n=models.Count("pk"))
        )

    def before(self, period: "ReportingPeriod") -> "StatusReportQuerySet":
        """Reports of the same plan's earlier rounds, the latest first."""
        return (
            self.filter(period__plan=period.plan_id, period__as_of__lt=period.as_of)
            .select_related("period")
            .order_by("-period__as_of")
        )

    def by_item(self) -> dict[RowKey, "StatusReport"]:
        """The reports by the item they are about (`key_of(item)`); with several reports
        of one item, the last one read."""
        return {report.item_key: report for report in self}


class StatusReport(Versioned):
    """A status report on one action or assignment in one period."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="status_reports"
    )
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="status_reports"
    )
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="status_reports"
    )
    status = models.CharField(_("status"), max_length=12, choices=StatusChoice)
    cause = models.TextField(_("cause of the deviation"), blank=True)
    remedy = models.TextField(_("remedy"), blank=True)
    new_forecast = models.TextField(_("new forecast"), blank=True)
    new_end_date = models.DateField(_("new end date"), null=True, blank=True)
    analysis = models.TextField(
        _("analysis"),
        blank=True,
        help_text=_("What was done and what happens next; any status can have one."),
    )
    comment = models.TextField(_("comment"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)

    objects = StatusReportQuerySet.as_manager()
    history = HistoricalRecords()
    owner_path = ("action__plan__owner", "assignment__plan__owner")

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__isnull=True) ^ Q(assignment__isnull=True),
                name="statusreport_one_item",
            ),
            models.UniqueConstraint(fields=["period", "action"], name="statusreport_action_once"),
            models.UniqueConstraint(
                fields=["period", "assignment"], name="statusreport_assignment_once"
            ),
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__lte=100),
                name="statusreport_progress_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_status_display()}"

    @classmethod
    def of(cls, period: ReportingPeriod, item: Item) -> "StatusReport":
        """A new report on `item` in `period`."""
        return cls(period=period, **item_lookup(item))

    @property
    def item(self) -> Item:
        return self.action or self.assignment  # type: ignore[return-value]  # one of them is set (a constraint)

    @property
    def item_key(self) -> RowKey:
        """`key_of(self.item)` without fetching the item."""
        if self.action_id is not None:
            return (Action, self.action_id)
        return (Assignment, self.assignment_id)

    @property
    def item_kind(self) -> str:
        """The kind of its item as the addresses and the API name it (a key of `ITEMS`)."""
        return item_field(Action if self.action_id is not None else Assignment)

    @property
    def plan(self) -> Plan:
        return self.item.plan

    def unit_ids(self) -> set[int]:
        return self.item.unit_ids()

    @property
    def is_deviating(self) -> bool:
        return self.status in DEVIATING

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def has_analysis(self) -> bool:
        return bool(self.cause.strip() and self.remedy.strip())


class IndicatorOutcomeQuerySet(models.QuerySet["IndicatorOutcome"]):
    def visible_to(self, user: User | AnonymousUser) -> "IndicatorOutcomeQuerySet":
        """The outcomes the user may read (`verksam.view_followup`)."""
        return self.filter(followup_readable(Indicator, user, "indicator"))

    def for_item(self, indicator: Indicator) -> "IndicatorOutcomeQuerySet":
        return self.filter(indicator=indicator)

    def latest_first(self) -> "IndicatorOutcomeQuerySet":
        """The latest round first: an indicator's first outcome in this order is its latest."""
        return self.order_by("-period__as_of", "-pk")


class IndicatorOutcome(Versioned):
    """An indicator's outcome in a period (the annual period gives the year's outcome),
    with a manual assessment where the rule cannot decide or a controller disagrees."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="outcomes")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="outcomes")
    raw = models.CharField(_("outcome"), max_length=200)
    number = NumberField(_("number"), null=True, blank=True)
    text = models.TextField(_("qualitative value"), blank=True)
    women = NumberField(_("women"), null=True, blank=True)
    men = NumberField(_("men"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    manual_attainment = models.CharField(
        _("manual assessment"), max_length=10, choices=Attainment, blank=True
    )
    manual_motivation = models.TextField(_("motivation"), blank=True)

    objects = IndicatorOutcomeQuerySet.as_manager()
    history = HistoricalRecords()
    owner_path = "indicator__plan__owner"

    class Meta:
        verbose_name = _("indicator outcome")
        verbose_name_plural = _("indicator outcomes")
        constraints = [
            models.UniqueConstraint(fields=["period", "indicator"], name="outcome_once"),
            models.CheckConstraint(
                condition=Q(manual_attainment="") | ~Q(manual_motivation=""),
                name="outcome_manual_assessment_motivated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.raw}"

    def save(self, *args, **kwargs) -> None:
        """Keep the number read out of the outcome in step with it."""
        parsed = parse_value(self.raw)
        self.number, self.text = parsed.number, parsed.text
        super().save(*args, **kwargs)

    @classmethod
    def of(cls, period: ReportingPeriod, indicator: Indicator) -> "IndicatorOutcome":
        """A new outcome of `indicator` in `period`."""
        return cls(period=period, indicator=indicator)

    @property
    def plan(self) -> Plan:
        return self.indicator.plan

    def unit_ids(self) -> set[int]:
        return self.indicator.unit_ids()

    def display(self) -> str:
        """The outcome as the reporter wrote it (`value_text`)."""
        return value_text(self.raw)

    @property
    def is_split_by_gender(self) -> bool:
        return self.women is not None or self.men is not None


class JudgementQuerySet(models.QuerySet["Judgement"]):
    def visible_to(self, user: User | AnonymousUser) -> "JudgementQuerySet":
        """The judgements the user may read (`verksam.view_followup`): by the plan of what
        they judge (the board's for objectives and goal areas, the office's part)."""
        return self.filter(
            followup_readable(Plan, user, "objective__goal_area__plan")
            | followup_readable(Plan, user, "goal_area__plan")
            | followup_readable(Plan, user, "office")
        )

    def for_subject(self, subject: Subject) -> "JudgementQuerySet":
        return self.filter(**subject_lookup(subject))

    def by_subject(self) -> dict[RowKey, "Judgement"]:
        """The judgements by what they judge (`key_of(subject)`)."""
        return {judgement.subject_key: judgement for judgement in self}


class Judgement(Versioned):
    """A controller's samlad bedömning of an objective, a goal area or an office (a plan
    part) in a period, shown beside the computed suggestion."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="judgements")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    goal_area = models.ForeignKey(
        GoalArea, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    office = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    attainment = models.CharField(_("judgement"), max_length=10, choices=Attainment)
    motivation = models.TextField(_("motivation"))

    objects = JudgementQuerySet.as_manager()
    history = HistoricalRecords()
    owner_path = ("objective__goal_area__plan__owner", "goal_area__plan__owner", "office__owner")

    class Meta:
        verbose_name = _("judgement")
        verbose_name_plural = _("judgements")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(objective__isnull=False, goal_area__isnull=True, office__isnull=True)
                    | Q(objective__isnull=True, goal_area__isnull=False, office__isnull=True)
                    | Q(objective__isnull=True, goal_area__isnull=True, office__isnull=False)
                ),
                name="judgement_one_subject",
            ),
            models.UniqueConstraint(fields=["period", "objective"], name="judgement_objective"),
            models.UniqueConstraint(fields=["period", "goal_area"], name="judgement_goal_area"),
            models.UniqueConstraint(fields=["period", "office"], name="judgement_office"),
            models.CheckConstraint(condition=~Q(motivation=""), name="judgement_motivated"),
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.get_attainment_display()}"

    @classmethod
    def of(cls, period: ReportingPeriod, subject: Subject) -> "Judgement":
        """A new judgement of `subject` in `period`."""
        return cls(period=period, **subject_lookup(subject))

    @property
    def subject(self) -> Subject:
        return self.objective or self.goal_area or self.office  # type: ignore[return-value]  # one of them is set (a constraint)

    @property
    def subject_key(self) -> RowKey:
        """`key_of(self.subject)` without fetching it."""
        if self.objective_id is not None:
            return (Objective, self.objective_id)
        if self.goal_area_id is not None:
            return (GoalArea, self.goal_area_id)
        return (Plan, self.office_id)

    @property
    def plan(self) -> Plan:
        """The plan of what it judges: the board's for an objective or a goal area, the
        office's part for an office (whose publicity decides who reads the judgement)."""
        return self.subject.plan

    def unit_ids(self) -> set[int]:
        return self.subject.unit_ids()


class PeriodTextQuerySet(models.QuerySet["PeriodText"]):
    def by_kind(self) -> dict[str, "PeriodText"]:
        """The round's texts by their kind."""
        return {text.kind: text for text in self}


class PeriodText(PartOfPlan, Versioned):
    """A text the round's controller writes for its report before closing it: the
    summary (sammanfattning, offered as a draft from the figures) or the significant
    events (väsentliga händelser). Stored as the plan's prose is: paragraphs separated by
    an empty line, bullet lines starting with `• ` (`core.prose`). Frozen into the round's
    snapshot when it is closed; the report of a closed round prints it from there."""

    class Kind(models.TextChoices):
        SUMMARY = "summary", _("summary")
        EVENTS = "events", _("significant events")

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="texts")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    text = models.TextField(_("text"))

    objects = PeriodTextQuerySet.as_manager()
    history = HistoricalRecords()
    owner_path = "period__plan__owner"

    class Meta:
        verbose_name = _("text of a round")
        verbose_name_plural = _("texts of rounds")
        constraints = [
            models.UniqueConstraint(fields=["period", "kind"], name="period_text_once"),
            models.CheckConstraint(condition=~Q(text=""), name="period_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.get_kind_display()}"

    @classmethod
    def of(cls, period: ReportingPeriod, kind: str) -> "PeriodText":
        """A new text of `kind` for `period`."""
        return cls(period=period, kind=kind)

    @property
    def plan(self) -> Plan:
        return self.period.plan


class Submission(PartOfPlan, models.Model):
    """A unit's report for a period marked as submitted (inlämnad)."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="submissions"
    )
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT)
    submitted_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    history = HistoricalRecords()
    owner_path = "unit"

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="submission_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period}"

    @property
    def plan(self) -> Plan:
        return self.period.plan

    def unit_ids(self) -> set[int]:
        return {self.unit_id}


class Acknowledgement(PartOfPlan, models.Model):
    """A consistency finding a controller has accepted before closing, with why."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    code = models.CharField(_("check"), max_length=40)
    subject = models.CharField(_("item"), max_length=80)
    note = models.TextField(_("note"))
    acknowledged_by = models.ForeignKey(
        USER, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), auto_now_add=True)

    history = HistoricalRecords()
    owner_path = "period__plan__owner"

    class Meta:
        verbose_name = _("acknowledged finding")
        verbose_name_plural = _("acknowledged findings")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "code", "subject"], name="acknowledgement_once"
            ),
            models.CheckConstraint(condition=~Q(note=""), name="acknowledgement_has_note"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.subject}"

    @property
    def plan(self) -> Plan:
        return self.period.plan


class Snapshot(PartOfPlan, models.Model):
    """The period's reports frozen when it was closed, so that the interim report can be
    reproduced years later whatever is edited afterwards. Never changed once written;
    a reopened and closed again period gets a new snapshot beside the old one."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="snapshots")
    number = models.PositiveSmallIntegerField(_("number"))
    taken_at = models.DateTimeField(_("taken"), auto_now_add=True)
    taken_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(_("data"))

    history = HistoricalRecords()
    owner_path = "period__plan__owner"

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["period", "number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="snapshot_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.period} #{self.number}"

    def save(self, *args, **kwargs) -> None:
        """A snapshot is evidence: it is written once and never updated."""
        if not self._state.adding:
            raise ValueError("A snapshot cannot be changed.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("followup:snapshot_detail", args=[self.period.key, self.number])

    @property
    def plan(self) -> Plan:
        return self.period.plan


class CarryOverDecisionQuerySet(models.QuerySet["CarryOverDecision"]):
    def for_item(self, item: Item) -> "CarryOverDecisionQuerySet":
        """The decision on `item` (at most one)."""
        return self.filter(**item_lookup(item))

    def about(self, item: Item) -> "CarryOverDecisionQuerySet":
        """The decision on `item` and the one that made it (its lineage across years)."""
        on, made = item_lookup(item), item_lookup(item, prefix="result_")
        return self.filter(Q(**on) | Q(**made)).select_related(*on, *made)


class CarryOverDecision(models.Model):
    """What happens at year end to an unfinished action or assignment: continued into next
    year's plan, closed, or replaced by a new item. `result_*` is the item made in the
    next year's plan; it is the lineage across years and keeps carry-over idempotent."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", _("continue next year")
        CLOSE = "close", _("close")
        REPLACE = "replace", _("replace")

    action = models.OneToOneField(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="carry_over"
    )
    assignment = models.OneToOneField(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="carry_over"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision)
    replacement = models.TextField(_("replaced by"), blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    decided_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided"), auto_now=True)
    result_action = models.OneToOneField(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_from"
    )
    result_assignment = models.OneToOneField(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_from"
    )

    objects = CarryOverDecisionQuerySet.as_manager()
    history = HistoricalRecords()
    owner_path = ("action__plan__owner", "assignment__plan__owner")

    class Meta:
        verbose_name = _("carry-over decision")
        verbose_name_plural = _("carry-over decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__isnull=True) ^ Q(assignment__isnull=True),
                name="carryover_one_item",
            ),
            models.CheckConstraint(
                condition=~Q(decision="replace") | ~Q(replacement=""),
                name="carryover_replacement_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_decision_display()}"

    @property
    def item(self) -> Action | Assignment:
        return self.action or self.assignment  # type: ignore[return-value]  # one of them is set (a constraint)

    @property
    def result(self) -> Item | None:
        """The item made from this one in the next year's plan."""
        return self.result_action or self.result_assignment

    @result.setter
    def result(self, item: Item) -> None:
        for name, value in item_lookup(item, prefix="result_").items():
            setattr(self, name, value)

    @property
    def plan(self) -> Plan:
        return self.item.plan

    def unit_ids(self) -> set[int]:
        return self.item.unit_ids()
