"""The plan: a board's verksamhetsplan with its offices' parts, Mål och budget's goal
areas and objectives, and the assignments and actions that carry them out.

Every item has a stable `key` (the id in the data files and the export), so that a
file can be edited and loaded again and update the same rows.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, Self, TypedDict, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from verksam.accounts.rules import Role, unit_ids_with_role
from verksam.core.dates import PartialDate, Precision, normalise_date
from verksam.core.validation import KEY_MAX_LENGTH
from verksam.organisation.models import OrgUnit


class _KeyOptions(TypedDict):
    max_length: int
    unique: bool


# A stable id (verksam.core.validation's key rule), unique across a model's rows.
KEY: _KeyOptions = {"max_length": KEY_MAX_LENGTH, "unique": True}
# The printed document's order of a plan's content: part by part in the plan's order (the
# board's common part first), then as printed.
DOCUMENT_ORDER = ("plan__position", "plan__key", "position", "pk")

M = TypeVar("M", bound=models.Model)


class Responsibility(Protocol):
    """A unit's responsibility for an item (of an action or an indicator)."""

    unit: OrgUnit
    role: str
    position: int


# Who answers for an item first: its lead unit, else a responsible one, else a contributor.
ROLE_ORDER = {"lead": 0, "responsible": 1, "contributing": 2}


def reporting_unit_of(responsibilities: Iterable[Responsibility], owner: OrgUnit) -> OrgUnit:
    """The unit that answers for an item in a follow-up round: its lead (else responsible,
    else contributing) unit inside the municipality, else the plan's owner."""
    inside = sorted(
        (r for r in responsibilities if r.unit.kind != OrgUnit.Kind.EXTERNAL),
        key=lambda r: (ROLE_ORDER.get(r.role, 1), r.position),
    )
    return inside[0].unit if inside else owner


class PlanLocked(ValidationError):
    """A decided or archived plan is read-only: it changes only by an amendment."""

    def __init__(self, plan_key: str) -> None:
        super().__init__(
            _(
                "The plan %(plan)s is decided: it cannot be changed, only amended "
                "(an amendment with a reason and a decision reference)."
            )
            % {"plan": plan_key},
            code="plan_locked",
        )
        self.plan_key = plan_key


# The plans (by pk) being amended in this context: only the amendment service enters it
# (and tests that set up their cases by editing the decided seed: `testing.seed_editable`).
_amending: ContextVar[frozenset[int]] = ContextVar("amending", default=frozenset())
_amending_all: ContextVar[bool] = ContextVar("amending_all", default=False)


@contextmanager
def amending(plans: Iterable["Plan"] | None) -> Iterator[None]:
    """Inside, the content of `plans` (None: of every plan) may be written although they
    are decided: an amendment (`planning.services.amend_plan`) records what it changes."""
    if plans is None:
        everything = _amending_all.set(True)
        try:
            yield
        finally:
            _amending_all.reset(everything)
        return
    token = _amending.set(_amending.get() | {p.pk for p in plans})
    try:
        yield
    finally:
        _amending.reset(token)


def is_amending(plan_pk: int) -> bool:
    return _amending_all.get() or plan_pk in _amending.get()


def check_editable(plan: "Plan | None") -> None:
    """Raise `PlanLocked` when the plan, as stored now, is decided or archived and not
    being amended. Reads the stored status, not the (possibly stale) object's."""
    if plan is None or plan.pk is None or is_amending(plan.pk):
        return
    status = Plan.objects.filter(pk=plan.pk).values_list("status", flat=True).first()
    if status in Plan.LOCKED:
        raise PlanLocked(plan.key)


class PartOfPlan:
    """Permission hooks of a plan's content and records (see accounts.rules): it is read
    like its plan and acted on by roles at its plan's owner. `owner_path` is the lookup
    from a row to that owner (or several, any of which may match), for filtering lists
    (and audit records) in the database; see `accounts.rules.owned_by`."""

    owner_path: str | tuple[str, ...] = "plan__owner"

    if TYPE_CHECKING:  # a foreign key on some models, a property on others

        @property
        def plan(self) -> "Plan": ...

    def unit_ids(self) -> set[int]:
        return self.plan.unit_ids()


class PlanContent(PartOfPlan):
    """What a plan says (its texts, items, values, tables, risks), as opposed to records
    about it such as follow-up reports: read-only while the plan is decided or archived.
    Saving or deleting a row raises `PlanLocked` unless the plan is being amended
    (`amending`). Bulk writes (`QuerySet.update`, `bulk_create`) skip this, as they skip
    `save()`: plan content is written through `planning.services` and the loader, which
    check themselves."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        check_editable(self.plan)
        super().save(*args, **kwargs)  # type: ignore[misc]  # PlanContent is mixed into models

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        check_editable(self.plan)
        return super().delete(*args, **kwargs)  # type: ignore[misc]  # PlanContent is mixed into models


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible_to(self, user: User | AnonymousUser) -> "PlanQuerySet":
        """Decided and archived plans are public; a draft or a plan in review (and the
        parts of one) is read by readers and above of its owner's unit, and a plan in
        review also by its other reviewers (`reviewed_by`): the `verksam.view` rule."""
        return self.filter(
            Q(pk__in=Plan.objects.public().values("pk"))
            | Q(owner_id__in=unit_ids_with_role(user, Role.READER))
            | Q(pk__in=Plan.objects.reviewed_by(user).values("pk"))
        )

    def reviewed_by(self, user: User | AnonymousUser) -> "PlanQuerySet":
        """Plans in review that the user reviews: a role (reader or higher) at the plan's
        owner, or at a unit responsible for one of its actions or indicators. The one rule
        of the review: whoever it names comments on the plan's items
        (`verksam.comment_plan`) and reads the plan, its items and its review comments
        while it is in review (pages, API, documents); nobody else does."""
        scope = unit_ids_with_role(user, Role.READER)
        if not scope:
            return self.none()
        responsible = Plan.objects.filter(actions__responsible_units__in=scope).values("pk")
        measured = Plan.objects.filter(indicators__responsible_units__in=scope).values("pk")
        return self.filter(status=Plan.Status.REVIEW).filter(
            Q(owner_id__in=scope) | Q(pk__in=responsible) | Q(pk__in=measured)
        )

    def public(self) -> "PlanQuerySet":
        """Decided and archived plans and their parts (unless the board's plan they belong to
        is not decided yet): public records (`Plan.is_public`)."""
        return self.filter(status__in=Plan.LOCKED).filter(
            Q(parent__isnull=True) | Q(parent__status__in=Plan.LOCKED)
        )

    def reached_by(self, user: User | AnonymousUser) -> "PlanQuerySet":
        """Plans whose owner is in the user's reader scope (a role there or above)."""
        return self.filter(owner_id__in=unit_ids_with_role(user, Role.READER))

    def family(self, plan: "Plan") -> "PlanQuerySet":
        """The plan and its offices' parts."""
        return self.filter(Q(pk=plan.pk) | Q(parent=plan))

    def board_first(self) -> "PlanQuerySet":
        """The board's plan (no parent) before its parts, the parts in the plan's order; the
        same on PostgreSQL, which sorts a missing parent last, as on SQLite."""
        return self.order_by(F("parent_id").asc(nulls_first=True), "position", "key")


class PlanContentQuerySet(models.QuerySet[M]):
    """Reads of what a plan holds (its texts, items and tables), whatever the kind."""

    # Whether the rows name responsible units besides their plan's owner.
    has_responsible_units = False

    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Content of plans the user may read (an office's readers read their own part of a
        board plan that is still a draft)."""
        return self.filter(plan__in=Plan.objects.visible_to(user))

    def in_document_order(self) -> Self:
        """As the plan prints them: part by part, then in printed order."""
        return self.order_by(*DOCUMENT_ORDER)

    def count_by_place(self) -> dict[tuple[int, int | None], int]:
        """How many rows each (plan, goal area) holds, in one grouped query (for rows
        placed in a goal area: items and texts)."""
        rows = self.order_by().values_list("plan_id", "goal_area_id").annotate(n=Count("pk"))
        return {(plan_id, area_id): n for plan_id, area_id, n in rows}

    def for_units(self, unit_ids: Iterable[int]) -> Self:
        """Rows the units answer for: their plan's owner is one of them or, for rows with
        responsible units, one of those is."""
        ids = list(unit_ids)
        condition = Q(plan__owner_id__in=ids)
        if self.has_responsible_units:
            condition |= Q(responsible_units__in=ids)
        return self.filter(pk__in=self.model._default_manager.filter(condition).values("pk"))

    def reached_by(self, user: User | AnonymousUser) -> Self:
        """Rows at whose units (plan owner or responsible unit) the user holds a role,
        reader or higher, directly or from a unit above (`accounts.rules.is_reader`)."""
        return self.for_units(unit_ids_with_role(user, Role.READER))


class Plan(models.Model):
    """A verksamhetsplan, one per owner and year; an office's part has the board's as parent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        REVIEW = "review", _("in review")
        DECIDED = "decided", _("decided")
        ARCHIVED = "archived", _("archived")

    # A plan's life: a draft is sent to review, which decides it or sends it back; a
    # decided plan is archived when its year is over. Nothing else.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.REVIEW}),
        Status.REVIEW: frozenset({Status.DRAFT, Status.DECIDED}),
        Status.DECIDED: frozenset({Status.ARCHIVED}),
        Status.ARCHIVED: frozenset(),
    }
    # Decided and archived plans are public records and read-only (amendments aside).
    LOCKED = frozenset({Status.DECIDED, Status.ARCHIVED})

    key = models.CharField(_("id"), **KEY)
    owner = models.ForeignKey(OrgUnit, verbose_name=_("owner"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
    )
    title = models.TextField(_("title"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    decided_by = models.CharField(
        _("decided by"), max_length=100, blank=True, help_text=_("The body, e.g. KS.")
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reference = models.CharField(
        _("decision reference"),
        max_length=100,
        blank=True,
        help_text=_("E.g. KS 2021/123 §45."),
    )
    horizon_start = models.PositiveSmallIntegerField(_("horizon from"))
    horizon_end = models.PositiveSmallIntegerField(_("horizon to"))
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "year"], name="plan_one_per_owner_and_year"),
            models.CheckConstraint(
                condition=Q(horizon_start__lte=F("year")) & Q(horizon_end__gte=F("year")),
                name="plan_year_within_horizon",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="plan_not_own_parent"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "review", "decided", "archived"]),
                name="plan_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A decided or archived plan, as stored, keeps its fields: only the move to
        archived is allowed (and anything inside an amendment)."""
        if self.pk is not None and not is_amending(self.pk):
            stored = Plan.objects.filter(pk=self.pk).values(*PLAN_FIELDS).first()
            if stored is not None and stored["status"] in self.LOCKED:
                changed = {f for f in PLAN_FIELDS if stored[f] != getattr(self, f)}
                moving = stored["status"] != self.status
                if changed - {"status"} or (
                    moving and self.status not in self.TRANSITIONS[stored["status"]]
                ):
                    raise PlanLocked(self.key)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("pages:plan_detail", args=[self.key])

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        check_editable(self)
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        """Decided or archived: read-only but for amendments."""
        return self.status in self.LOCKED

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    def move_to(self, status: str) -> None:
        """Set the next state, or raise ValidationError naming the states when the plan's
        life does not allow the move (it is saved by the caller)."""
        if not self.can_move_to(status):
            allowed = ", ".join(
                str(self.Status(s).label) for s in sorted(self.TRANSITIONS[self.status])
            )
            raise ValidationError(
                _(
                    "The plan %(plan)s is %(current)s and cannot become %(target)s "
                    "(allowed: %(allowed)s)."
                )
                % {
                    "plan": self.key,
                    "current": self.get_status_display(),
                    "target": self.Status(status).label if status in self.Status.values else status,
                    "allowed": allowed or _("none"),
                },
                code="transition",
            )
        self.status = status

    owner_path = "owner"

    @property
    def plan(self) -> "Plan":
        """A plan is its own plan, so that permission rules treat plans and items alike."""
        return self

    @property
    def is_public(self) -> bool:
        """Decided and archived plans are public records; so are their parts, unless the
        board's plan they belong to is not decided yet."""
        return self.status in self.LOCKED and (
            self.parent is None or self.parent.status in self.LOCKED
        )

    def unit_ids(self) -> set[int]:
        """The units whose roles apply to the plan (see accounts.rules)."""
        return {self.owner_id}

    def is_reviewed_by(self, user: User | AnonymousUser) -> bool:
        """The plan is in review and `user` reviews it (`PlanQuerySet.reviewed_by`, the
        `accounts.rules.reviews_plan` predicate): no query unless the plan is in review and
        the user has no role at its owner."""
        if self.status != Plan.Status.REVIEW:
            return False
        scope = unit_ids_with_role(user, Role.READER)
        if not scope:
            return False
        if self.owner_id in scope:
            return True
        return Plan.objects.reviewed_by(user).filter(pk=self.pk).exists()

    @property
    def root(self) -> "Plan":
        return self.parent or self

    @property
    def horizon(self) -> str:
        return f"{self.horizon_start}–{self.horizon_end}"


PLAN_FIELDS = (
    "key",
    "owner_id",
    "year",
    "parent_id",
    "title",
    "status",
    "decided_by",
    "decided_on",
    "decision_reference",
    "horizon_start",
    "horizon_end",
    "position",
)


class PlanSection(PlanContent, models.Model):
    """A prose section of a plan, kept so that the document can be printed back."""

    class Kind(models.TextChoices):
        PURPOSE = "purpose", _("purpose and structure")
        CONCEPTS = "concepts", _("concepts")
        IDEA = "idea", _("idea and scope")
        DIRECTION = "direction", pgettext_lazy("plan section", "direction")
        CONDITIONS = "conditions", _("conditions")
        EMPLOYER = "employer", _("the municipality as employer")
        CONTRIBUTION = "contribution", _("contribution to the goal area")
        CORE_MISSION = "core_mission", _("core mission")
        ORGANISATION = "organisation", _("organisation")
        GOVERNING_DOCUMENTS = "governing_documents", _("governing documents")
        OTHER = "other", _("other")

    key = models.CharField(_("id"), **KEY)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    goal_area = models.ForeignKey(
        "GoalArea",
        verbose_name=_("goal area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sections",
    )
    objective = models.ForeignKey(
        "Objective",
        verbose_name=_("objective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sections",
    )
    heading = models.TextField(_("heading"))
    body = models.TextField(_("text"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Optimistic locking of edits (`planning.services`): a save names the version it read.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = PlanContentQuerySet["PlanSection"].as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.heading


class GoverningDocument(PlanContent, models.Model):
    """One entry of "Styrdokument av särskild betydelse"."""

    key = models.CharField(_("id"), **KEY)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="governing_documents"
    )
    category = models.TextField(_("category"), blank=True)
    title = models.TextField(_("title"))
    notes = models.JSONField(_("notes"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Optimistic locking of edits (`planning.services`): a save names the version it read.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = PlanContentQuerySet["GoverningDocument"].as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("governing document")
        verbose_name_plural = _("governing documents")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class GoalArea(PlanContent, models.Model):
    """Målområde of Mål och budget, adopted by the board's plan."""

    key = models.CharField(_("id"), **KEY)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goal_areas"
    )
    number = models.CharField(_("number"), max_length=10)
    title = models.TextField(_("title"))
    ambition = models.TextField(_("ambition 2030"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Optimistic locking of edits (`planning.services`): a save names the version it read.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = PlanContentQuerySet["GoalArea"].as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal area")
        verbose_name_plural = _("goal areas")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="goalarea_number_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("pages:goalarea_detail", args=[self.key])


class Objective(PlanContent, models.Model):
    """Inriktningsmål, e.g. "1.1 En ekonomi i balans"."""

    key = models.CharField(_("id"), **KEY)
    goal_area = models.ForeignKey(
        GoalArea, verbose_name=_("goal area"), on_delete=models.CASCADE, related_name="objectives"
    )
    number = models.CharField(_("number"), max_length=10)
    title = models.TextField(_("title"))
    position = models.PositiveIntegerField(_("position"), default=0)
    # Optimistic locking of edits (`planning.services`): a save names the version it read.
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal_area", "number"], name="objective_number_per_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("pages:objective_detail", args=[self.key])

    owner_path = "goal_area__plan__owner"

    @property
    def plan(self) -> Plan:
        return self.goal_area.plan


class Strategy(models.Model):
    """A strategy or action programme whose focus areas plan items refer to."""

    class Kind(models.TextChoices):
        STRATEGY = "strategy", _("strategy")
        ACTION_PROGRAMME = "action_programme", _("action programme")

    key = models.CharField(_("id"), **KEY)
    title = models.TextField(_("title"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.STRATEGY)
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class FocusArea(models.Model):
    """Fokusområde of a strategy (or verksamhetsmål of an action programme)."""

    key = models.CharField(_("id"), **KEY)
    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="focus_areas"
    )
    number = models.CharField(_("number"), max_length=10)
    title = models.TextField(_("title"))
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "number"], name="focusarea_number_per_strategy"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.strategy}: {self.number}. {self.title}"


# The statuses of a follow-up report (followup.models.StatusChoice) that finish an item: a
# finished item is never late.
FINISHED_STATUSES = ("done", "cancelled")


def ended_before(on: date) -> Q:
    """The end, read with its precision, is before the day `on`: `2022-04-30` (a day) on
    1 May, `2022-04` (a month) and `Q2 2022` (a quarter, stored as its first day) once the
    month or quarter is over, `2022` (a year) on 1 January 2023. An action without an end
    (none, ongoing) never ends."""
    day_passed = Q(end_precision=Precision.DAY, end_date__lt=on)
    month_passed = Q(end_precision=Precision.MONTH, end_date__lt=on.replace(day=1))
    quarter_start = on.replace(month=3 * ((on.month - 1) // 3) + 1, day=1)
    quarter_passed = Q(end_precision=Precision.QUARTER, end_date__lt=quarter_start)
    year_passed = Q(end_precision=Precision.YEAR, end_date__year__lt=on.year)
    return day_passed | month_passed | quarter_passed | year_passed


# A closed follow-up round (followup.models.ReportingPeriod.Status.CLOSED): its reports are
# public where their item's plan is.
CLOSED_ROUND = "closed"


def finished_as_of(
    model: type[models.Model], on: date, reader: User | AnonymousUser | None = None
) -> Q:
    """Rows of `model` (an action or assignment) reported done or cancelled as of the day
    `on`: in a follow-up round whose as-of date is that day or earlier. With `reader`, only
    reports the reader may read count (the `verksam.view_followup` rule: a role at the item,
    or a closed round and a public plan), so that "late" tells nothing of a draft report.
    Read through the reverse relation `status_reports` (followup stands on a higher floor).
    Correlated to the outer row, so that the database looks up that row's reports by their
    index rather than every finished report of every round (100 times slower on an item page
    at 10× with years of rounds, bench/pages.py)."""
    reports = Q(status_reports__status__in=FINISHED_STATUSES, status_reports__period__as_of__lte=on)
    if reader is not None:
        reached = model._default_manager.reached_by(reader).values("pk")  # type: ignore[attr-defined]  # every plan-content manager has it
        public = Plan.objects.public().values("pk")
        reports &= Q(pk__in=reached) | Q(
            status_reports__period__status=CLOSED_ROUND, plan__in=public
        )
    return Q(Exists(model._default_manager.filter(reports, pk=OuterRef("pk"))))


def late_on(items: models.QuerySet, days: Iterable[date]) -> set[tuple[int, date]]:
    """(pk, day) for each of `items` late on each of the days, in one query (a union)."""
    queries = [
        items.late(on=day)  # type: ignore[attr-defined]  # assignments' and actions' querysets
        .order_by()
        .annotate(day=Value(day, output_field=models.DateField()))
        .values_list("pk", "day")
        for day in sorted(set(days))
    ]
    if not queries:
        return set()
    first, *rest = queries
    # Unordered: the model's default ordering is not a column of the union.
    return {(pk, day) for pk, day in first.union(*rest, all=True).order_by()}


def ordered_objectives() -> Prefetch:
    return Prefetch("objectives", queryset=Objective.objects.order_by("position", "pk"))


class AssignmentQuerySet(PlanContentQuerySet["Assignment"]):
    def late(self, *, on: date, reader: User | AnonymousUser | None = None) -> "AssignmentQuerySet":
        """Late on the day `on`, as an action is (`ActionQuerySet.late`): its end, the latest
        end of its actions (none while an action has no end), has passed, and it is not
        finished as of that day (by the reports `reader` may read, if given)."""
        actions = Action.objects.filter(assignment=OuterRef("pk"))
        return (
            self.filter(Exists(actions))
            .exclude(Exists(actions.exclude(ended_before(on))))
            .exclude(finished_as_of(self.model, on, reader))
        )

    def with_late(
        self, *, on: date, reader: User | AnonymousUser | None = None
    ) -> "AssignmentQuerySet":
        """With `is_late`: whether each assignment is late on the day `on` (`late`)."""
        late = Assignment.objects.late(on=on, reader=reader)
        return self.annotate(is_late=Exists(late.filter(pk=OuterRef("pk"))))

    def late_on(self, days: Iterable[date]) -> set[tuple[int, date]]:
        """(pk, day) for each assignment late on each of the days, in one query."""
        return late_on(self, days)

    def with_objectives_and_actions(self) -> "AssignmentQuerySet":
        """With what the pages print of an assignment: its objectives and its actions."""
        return self.prefetch_related(
            ordered_objectives(),
            Prefetch("actions", queryset=Action.objects.order_by("position", "pk")),
        )


class Assignment(PlanContent, models.Model):
    """Uppdrag: from the council, the board's or the office's own initiative, or a programme."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("assignment from the council")
        BOARD_INITIATIVE = "board_initiative", _("the board's initiative")
        OFFICE_INITIATIVE = "office_initiative", _("the office's own initiative")
        ACTION_PROGRAMME = "action_programme", _("assignment from an action programme")
        OTHER = "other", _("other")

    key = models.CharField(_("id"), **KEY)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="assignments"
    )
    goal_area = models.ForeignKey(
        GoalArea, verbose_name=_("goal area"), on_delete=models.PROTECT, related_name="assignments"
    )
    objectives = models.ManyToManyField(
        Objective, verbose_name=_("objectives"), blank=True, related_name="assignments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    kind_label = models.TextField(_("label as printed"), blank=True)
    title = models.TextField(_("title"))
    description = models.TextField(_("description"), blank=True)
    origin = models.TextField(_("origin"), blank=True)
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), blank=True, related_name="assignments"
    )
    notes = models.JSONField(_("notes"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Optimistic locking of edits (`planning.services`): a save names the version it read.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[objectives, focus_areas])

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:assignment_detail", args=[self.key])

    def reporting_unit(self) -> OrgUnit:
        """Assignments have no responsible units: the plan's owner answers for them."""
        return self.plan.owner

    def objective_ids(self) -> list[int]:
        """The objectives the assignment serves (from its prefetched objectives)."""
        return [o.pk for o in self.objectives.all()]

    @property
    def last_day(self) -> date | None:
        """The last day it is planned to run: its latest action's end (None while it has no
        action or any action has no end)."""
        ends = [a.end.last_day for a in self.actions.all()]
        if not ends or None in ends:
            return None
        return max(end for end in ends if end is not None)


class ActionQuerySet(PlanContentQuerySet["Action"]):
    has_responsible_units = True

    def without_assignment(self) -> "ActionQuerySet":
        """Actions printed in tables that serve an objective or goal area as a whole."""
        return self.filter(assignment__isnull=True)

    def with_responsibilities(self) -> "ActionQuerySet":
        """With the responsible units in printed order."""
        return self.prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=ActionResponsibility.objects.select_related("unit").order_by(
                    "position", "pk"
                ),
            )
        )

    def late(self, *, on: date, reader: User | AnonymousUser | None = None) -> "ActionQuerySet":
        """Late on the day `on` (docs/followup.md, "Late"): the end, read with its precision,
        has passed and the action is not finished as of that day. The one definition of late,
        used by the overview, the lists and their filters, the follow-up and its documents.
        With `reader`, only the reports the reader may read tell it finished (pages showing
        everyone's late items); the follow-up, whose rounds are shown only to readers of their
        reports, counts them all."""
        return self.filter(ended_before(on)).exclude(finished_as_of(self.model, on, reader))

    def with_late(
        self, *, on: date, reader: User | AnonymousUser | None = None
    ) -> "ActionQuerySet":
        """With `is_late`: whether each action is late on the day `on` (`late`)."""
        late = Action.objects.late(on=on, reader=reader)
        return self.annotate(is_late=Exists(late.filter(pk=OuterRef("pk"))))

    def late_on(self, days: Iterable[date]) -> set[tuple[int, date]]:
        """(pk, day) for each action late on each of the days, in one query."""
        return late_on(self, days)


class Action(PlanContent, models.Model):
    """Åtgärd: what is done, when it counts as done, who does it, from when to when."""

    key = models.CharField(_("id"), **KEY)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="actions"
    )
    goal_area = models.ForeignKey(
        GoalArea, verbose_name=_("goal area"), on_delete=models.PROTECT, related_name="actions"
    )
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
    )
    text = models.TextField(_("action"))
    completion_criterion = models.TextField(_("completion criterion"), blank=True)
    responsible_raw = models.TextField(_("responsible as printed"), blank=True)
    responsible_units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("responsible units"),
        through="ActionResponsibility",
        related_name="actions",
        blank=True,
    )
    start_raw = models.TextField(_("start as printed"), blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    start_precision = models.CharField(
        _("start precision"), max_length=10, choices=Precision, blank=True
    )
    end_raw = models.TextField(_("end as printed"), blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    end_precision = models.CharField(
        _("end precision"), max_length=10, choices=Precision, blank=True
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), blank=True, related_name="actions"
    )
    notes = models.JSONField(_("notes"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Optimistic locking of edits (`planning.services`): a save names the version it read.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[focus_areas])

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | ~Q(start_precision__in=["", "ongoing"]),
                name="action_start_date_has_precision",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | ~Q(end_precision__in=["", "ongoing"]),
                name="action_end_date_has_precision",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs) -> None:
        """Keep the normalised dates in step with the dates as printed."""
        self.normalise_dates()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"start_raw", "end_raw"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, *DATE_FIELDS}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("pages:action_detail", args=[self.key])

    def unit_ids(self) -> set[int]:
        """The plan's owner and the responsible units (a department reports its actions)."""
        return self.plan.unit_ids() | {r.unit_id for r in self.responsibilities.all()}

    def normalise_dates(self) -> None:
        year = self.plan.year
        start = normalise_date(self.start_raw, plan_year=year)
        end = normalise_date(self.end_raw, plan_year=year)
        self.start_date, self.start_precision = start.value, start.precision
        self.end_date, self.end_precision = end.value, end.precision

    @property
    def start(self) -> PartialDate:
        return PartialDate(self.start_date, self.start_precision)

    @property
    def end(self) -> PartialDate:
        return PartialDate(self.end_date, self.end_precision)

    @property
    def last_day(self) -> date | None:
        """The last day it is planned to run: its end, read with its precision."""
        return self.end.last_day

    def reporting_unit(self) -> OrgUnit:
        return reporting_unit_of(self.responsibilities.all(), self.plan.owner)

    def objective_ids(self) -> list[int]:
        return [self.objective_id] if self.objective_id else []


DATE_FIELDS = ("start_date", "start_precision", "end_date", "end_precision")


class ActionResponsibility(PlanContent, models.Model):
    """A unit responsible for an action, with its role ("TKN huvudansvarig, KSK stab bidrar")."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead")
        CONTRIBUTING = "contributing", _("contributing")
        RESPONSIBLE = "responsible", _("responsible")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="responsibilities")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT)
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.RESPONSIBLE)
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["action", "unit"], name="action_unit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.get_role_display()})"

    owner_path = "action__plan__owner"

    @property
    def plan(self) -> Plan:
        return self.action.plan


class CarriedOverAssignmentQuerySet(PlanContentQuerySet["CarriedOverAssignment"]):
    def in_appendix_order(self) -> "CarriedOverAssignmentQuerySet":
        """As Bilaga 1 prints them: goal area by goal area."""
        return self.order_by("goal_area__position", "position", "pk")


class CarriedOverAssignment(PlanContent, models.Model):
    """A row of Bilaga 1: an assignment from an earlier year's plan not yet finished."""

    key = models.CharField(_("id"), **KEY)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="carried_over"
    )
    goal_area = models.ForeignKey(
        GoalArea, verbose_name=_("goal area"), on_delete=models.PROTECT, related_name="carried_over"
    )
    title = models.TextField(_("title"))
    origin = models.TextField(_("origin"))
    origin_inferred = models.BooleanField(_("origin inferred"), default=False)
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("same assignment in this plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_over_rows",
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = CarriedOverAssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("carried-over assignment")
        verbose_name_plural = _("carried-over assignments")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class Amendment(models.Model):
    """A revision (revidering) of a decided plan: why, by which decision, and what it
    changed, item by item (kind, id, added/removed/changed, each field before → after)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="amendments"
    )
    number = models.PositiveIntegerField(_("number"))
    reason = models.TextField(_("reason"))
    decision_reference = models.CharField(_("decision reference"), max_length=100)
    decided_on = models.DateField(_("decided on"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)
    changes = models.JSONField(_("changes"), default=list, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="amendment_number_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.key} rev. {self.number}"

    owner_path = "plan__owner"

    def unit_ids(self) -> set[int]:
        return self.plan.unit_ids()

    def item_keys(self) -> set[str]:
        """The ids of the items the amendment changed."""
        return {change["key"] for change in self.changes}


class PlanSnapshot(models.Model):
    """A plan's content (its family: the board's plan and its parts) as it stood at a
    step of its life: sent to review, decided, amended. What `planning.diff` compares a
    plan with ("what changed since the decision")."""

    class Event(models.TextChoices):
        REVIEW = "review", _("sent to review")
        DECISION = "decision", _("decided")
        AMENDMENT = "amendment", _("amended")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="snapshots"
    )
    event = models.CharField(_("event"), max_length=10, choices=Event)
    amendment = models.OneToOneField(
        Amendment,
        verbose_name=_("amendment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="snapshot",
    )
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data = models.JSONField(_("content"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan snapshot")
        verbose_name_plural = _("plan snapshots")
        ordering = ["plan", "taken_at", "pk"]
        get_latest_by = ["taken_at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan.key}: {self.get_event_display()} {self.taken_at:%Y-%m-%d}"

    owner_path = "plan__owner"

    def unit_ids(self) -> set[int]:
        return self.plan.unit_ids()
