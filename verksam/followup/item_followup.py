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
from django.db.models import Model, Prefetch, QuerySet
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


def with_readable_reports(
    items: QuerySet, user: User | AnonymousUser, lookup: str = "status_reports"
) -> QuerySet:
    """Actions or assignments (or, through `lookup`, e.g. `actions__status_reports`, the
    actions of assignments) with the status reports the user may read (`visible_to`), latest
    round first, as `readable_reports`: a page shows each item's latest status in one more
    query, however many items it shows."""
    reports = (
        StatusReport.objects.visible_to(user)
        .select_related("period")
        .order_by("-period__as_of", "-pk")
    )
    return items.prefetch_related(Prefetch(lookup, queryset=reports, to_attr="readable_reports"))
