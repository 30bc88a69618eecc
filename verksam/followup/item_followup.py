"""The follow-up section of an item's page: an action's or assignment's status per round,
its lineage across years and the history of its reports; an indicator's outcomes with
their assessment. The page's view fetches it (a fixed number of queries) and the
template only prints it.

Who sees what: the reports the visitor may read (`visible_to`, the `verksam.view_followup`
rule: closed rounds' on items of public plans; every round's with a role at the item); the
history of the reports names people, so only those with a role at the item see it
(`verksam.view_author`).
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model, OuterRef, Prefetch, QuerySet, Subquery
from django.urls import reverse
from django.utils.text import capfirst

from verksam.core.numbers import number_text
from verksam.followup.assessment import Assessment
from verksam.followup.models import (
    Attainment,
    CarryOverDecision,
    IndicatorOutcome,
    Item,
    ReportingPeriod,
    StatusChoice,
    StatusReport,
)
from verksam.followup.reporting import outcome_assessment
from verksam.indicators.models import Indicator

# The fields whose changes the history lists, per kind of report.
TRACKED: dict[type[Model], tuple[str, ...]] = {
    StatusReport: (
        "status",
        "progress",
        "cause",
        "remedy",
        "new_forecast",
        "new_end_date",
        "analysis",
        "comment",
    ),
    IndicatorOutcome: ("raw", "women", "men", "source", "comment", "manual_attainment"),
}


@dataclass
class Change:
    """One saved version of a report: who, when, and each field before → after."""

    period: ReportingPeriod
    when: datetime
    who: Any
    fields: list[tuple[str, str, str]]


def shown(name: str, value: Any) -> str:
    if value in ("", None):
        return "–"
    if name == "status":
        return str(capfirst(StatusChoice(value).label))
    if name == "manual_attainment":
        return str(capfirst(Attainment(value).label))
    if isinstance(value, Decimal):
        return number_text(value.normalize())
    return str(value)


def changes_of(reports: list[StatusReport] | list[IndicatorOutcome]) -> list[Change]:
    """Each report's history records, compared with the record before (one query)."""
    model = type(reports[0])
    periods = {r.pk: r.period for r in reports}
    records = (
        model.history.filter(id__in=periods.keys())
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    previous: dict[int, Any] = {}
    changes = []
    for record in records:
        before = previous.get(record.id)
        fields = [
            (
                str(getattr(model._meta.get_field(name), "verbose_name", name)),
                shown(name, getattr(before, name) if before else None),
                shown(name, getattr(record, name)),
            )
            for name in TRACKED[model]
            if getattr(record, name) != (getattr(before, name) if before else None)
            and (before is not None or getattr(record, name) not in ("", None))
        ]
        changes.append(Change(periods[record.id], record.history_date, record.history_user, fields))
        previous[record.id] = record
    return changes[::-1]


def report_url(user: User | AnonymousUser, item: Item) -> str:
    """The item's report form in its plan's open round, for a user who may report it."""
    if not user.is_authenticated or not user.has_perm("verksam.report", item):
        return ""
    plan = item.plan
    period = ReportingPeriod.objects.open().filter(plan_id=plan.parent_id or plan.pk).first()
    if period is None:
        return ""
    return reverse("followup:report_edit", args=[period.key, item._meta.model_name, item.key])


@dataclass
class StatusSection:
    """An action's or assignment's follow-up: the link to report it, its reports with
    whether it was late then, where it was carried from and what was decided for it."""

    report_url: str = ""
    rows: list[tuple[StatusReport, bool]] = field(default_factory=list)
    carried_from: CarryOverDecision | None = None
    decision: CarryOverDecision | None = None
    changes: list[Change] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.rows or self.carried_from or self.decision or self.report_url)


def status_section(user: User | AnonymousUser, item: Item) -> StatusSection:
    """An action's or assignment's status per period the visitor may read (late derived
    from its dates), its lineage across years (carried from, decided, carried into), and
    for people with a role at the item the history of its reports."""
    reports = list(
        StatusReport.objects.visible_to(user)
        .for_item(item)
        .filter(period__in=ReportingPeriod.objects.visible_to(user))
        .select_related("period", "author")
        .order_by("-period__as_of")
    )
    late = type(item).objects.filter(pk=item.pk).late_on(r.period.as_of for r in reports)
    decisions = list(CarryOverDecision.objects.about(item))
    show_history = reports and user.has_perm("verksam.view_author", item)
    return StatusSection(
        report_url=report_url(user, item),
        rows=[(report, (item.pk, report.period.as_of) in late) for report in reports],
        carried_from=next((d for d in decisions if d.result == item), None),
        decision=next((d for d in decisions if d.item == item), None),
        changes=changes_of(reports) if show_history else [],
    )


@dataclass
class OutcomeSection:
    """An indicator's outcomes, each with its assessment, and the history of them."""

    rows: list[tuple[IndicatorOutcome, Assessment | None]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def outcomes(self) -> list[IndicatorOutcome]:
        return [outcome for outcome, _assessment in self.rows]


def outcome_section(user: User | AnonymousUser, indicator: Indicator) -> OutcomeSection:
    """An indicator's outcomes per period the visitor may read, each with its assessment
    against that year's target and the rule that produced it."""
    outcomes = (
        IndicatorOutcome.objects.visible_to(user)
        .for_item(indicator)
        .filter(period__in=ReportingPeriod.objects.visible_to(user))
        .select_related("period__plan")
        .order_by("-period__as_of")
    )
    rows = [
        (outcome, outcome_assessment(indicator, outcome, outcome.period.year))
        for outcome in outcomes
    ]
    show_history = rows and user.has_perm("verksam.view_author", indicator)
    return OutcomeSection(rows, changes_of([o for o, _ in rows]) if show_history else [])


# An item's state when the visitor may read no report of it, or no outcome of an indicator.
NOT_REPORTED = "not_reported"
NO_OUTCOME = "no_outcome"


def with_readable_reports(
    items: QuerySet, user: User | AnonymousUser, lookup: str = "status_reports"
) -> QuerySet:
    """Actions or assignments (or, through `lookup`, e.g. `actions__status_reports`, the
    actions of assignments) with the latest status report the user may read (`visible_to`)
    as `readable_reports`, a list of at most one: a page shows each item's latest status in
    one more query, however many items it shows. Only the latest is read (a window in SQL):
    reading every round's report made a plan's page read years of reports per item."""
    reports = StatusReport.objects.visible_to(user).select_related("period").latest_first()
    return items.prefetch_related(
        Prefetch(lookup, queryset=reports[:1], to_attr="readable_reports")
    )


def latest_report(item: Item) -> StatusReport | None:
    """The item's latest report of the rounds the visitor may read (`with_readable_reports`,
    no query)."""
    reports: list[StatusReport] = item.readable_reports  # type: ignore[union-attr]  # prefetched by `with_readable_reports`
    return reports[0] if reports else None


def status_state(item: Item) -> str:
    """The item's latest status the visitor may read, or `NOT_REPORTED` (no query)."""
    report = latest_report(item)
    return report.status if report is not None else NOT_REPORTED


def with_latest_status(items: QuerySet, user: User | AnonymousUser) -> QuerySet:
    """Actions or assignments with `latest_status`: the status of the latest report the user
    may read (None without one), in the database, to count and filter a whole plan's items
    by the status its pages show (`with_readable_reports`: the same reports, the same order)."""
    reports = StatusReport.objects.visible_to(user).latest_first().for_outer_item(items.model)
    return items.annotate(latest_status=Subquery(reports.values("status")[:1]))


def with_readable_outcomes(
    indicators: QuerySet, user: User | AnonymousUser, *, every: bool = False
) -> QuerySet:
    """Indicators with the latest outcome the user may read (`visible_to`) as
    `readable_outcomes`, a list of at most one (one more query; only the latest is read, as
    `with_readable_reports`). Their assessment needs the indicators' values (`with_values`):
    the targets. `every`: the caller reads every one of `indicators` (a plan's page), so each
    one's latest is picked by a subquery on its own outcomes (by their index), then read by
    pk; numbering every outcome in a window (for a page of a list) took 7 times as long for
    a whole plan at 100× the seed."""
    outcomes = IndicatorOutcome.objects.visible_to(user)
    if every:
        latest = outcomes.filter(indicator=OuterRef("pk")).latest_first().values("pk")[:1]
        picked = outcomes.filter(
            pk__in=indicators.order_by().annotate(latest=Subquery(latest)).values("latest")
        )
    else:
        picked = outcomes.latest_first()[:1]
    return indicators.prefetch_related(
        Prefetch(
            "outcomes",
            queryset=picked.select_related("period__plan"),
            to_attr="readable_outcomes",
        )
    )


@dataclass(frozen=True)
class LatestOutcome:
    """An indicator's latest outcome the visitor may read, with its round and its assessment
    against that year's target (the rule's, or a controller's by hand)."""

    outcome: IndicatorOutcome
    assessment: Assessment | None

    @property
    def period(self) -> ReportingPeriod:
        return self.outcome.period

    @property
    def attainment(self) -> Attainment:
        return self.assessment.attainment if self.assessment else Attainment.UNKNOWN


def latest_outcome(indicator: Indicator) -> LatestOutcome | None:
    """From `with_readable_outcomes` and `with_values` (no query)."""
    outcomes: list[IndicatorOutcome] = indicator.readable_outcomes  # type: ignore[attr-defined]  # prefetched by `with_readable_outcomes`
    if not outcomes:
        return None
    outcome = outcomes[0]
    return LatestOutcome(outcome, outcome_assessment(indicator, outcome, outcome.period.year))


def outcome_state(indicator: Indicator) -> str:
    """The attainment of the indicator's latest outcome the visitor may read, or
    `NO_OUTCOME` (no query)."""
    latest = latest_outcome(indicator)
    return latest.attainment.value if latest is not None else NO_OUTCOME
