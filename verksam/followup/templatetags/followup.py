"""Badges for statuses and attainment (words first, colour second), and the follow-up
section of the plan's item pages."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from verksam.core.numbers import format_number
from verksam.followup.assessment import status_attainment
from verksam.followup.models import (
    Attainment,
    CarryOverDecision,
    IndicatorOutcome,
    ReportingPeriod,
    StatusChoice,
    StatusReport,
)
from verksam.followup.reporting import is_late, outcome_assessment

register = template.Library()

STATUS_TONE = {
    Attainment.MET: "good",
    Attainment.PARTLY: "warn",
    Attainment.NOT_MET: "bad",
    Attainment.UNKNOWN: "none",
}
TRACKED = {
    StatusReport: (
        "status",
        "progress",
        "cause",
        "remedy",
        "new_forecast",
        "new_end_date",
        "comment",
    ),
    IndicatorOutcome: ("raw", "women", "men", "source", "comment", "manual_attainment"),
}


@register.simple_tag
def attainment(value: str | None) -> str:
    """An attainment in words with its colour class."""
    value = value or Attainment.UNKNOWN
    return format_html(
        '<span class="attainment attainment--{}">{}</span>',
        value,
        capfirst(Attainment(value).label),
    )


@register.simple_tag
def status(value: str | None) -> str:
    """A status in words, coloured by how it counts in the roll-up."""
    if not value:
        return format_html('<span class="status status--none">{}</span>', _("Not reported"))
    tone = STATUS_TONE[status_attainment(value, late=False)]
    label = capfirst(StatusChoice(value).label)
    return format_html('<span class="status status--{}">{}</span>', tone, label)


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
        return capfirst(StatusChoice(value).label)
    if name == "manual_attainment":
        return capfirst(Attainment(value).label)
    if isinstance(value, Decimal):
        return format_number(value.normalize())
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
                str(model._meta.get_field(name).verbose_name),
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


def report_url(request: Any, item: Any, kind: str) -> str:
    """The item's report form in its plan's open round, for a user who may report it."""
    if not request.user.is_authenticated or not request.user.has_perm("verksam.report", item):
        return ""
    plan = item.plan
    period = ReportingPeriod.objects.open().filter(plan_id=plan.parent_id or plan.pk).first()
    if period is None:
        return ""
    return reverse("followup:report_edit", args=[period.key, kind, item.key])


@register.inclusion_tag("followup/_item_followup.html", takes_context=True)
def item_followup(context: dict[str, Any], item: Any) -> dict[str, Any]:
    """An action's or assignment's status per period the visitor may read (late derived
    from its dates), its lineage across years (carried from, decided, carried into), and
    for people with a role at the item the history of its reports."""
    request = context["request"]
    kind = item._meta.model_name
    reports = list(
        StatusReport.objects.filter(
            **{kind: item},
            period__in=ReportingPeriod.objects.with_reports_readable_by(request.user, item),
        )
        .select_related("period", "author")
        .order_by("-period__as_of")
    )
    rows = [(report, is_late(item, report, report.period.as_of)) for report in reports]
    decisions = list(
        CarryOverDecision.objects.filter(
            Q(**{kind: item}) | Q(**{f"result_{kind}": item})
        ).select_related(kind, f"result_{kind}")
    )
    # The history names people: only for those with a role at the item (as its page's).
    show_history = reports and request.user.has_perm("verksam.view_history", item)
    return {
        "report_url": report_url(request, item, kind),
        "rows": rows,
        "carried_from": next((d for d in decisions if d.result == item), None),
        "decision": next((d for d in decisions if d.item == item), None),
        "changes": changes_of(reports) if show_history else [],
    }


@register.inclusion_tag("followup/_indicator_outcomes.html", takes_context=True)
def indicator_outcomes(context: dict[str, Any], indicator: Any) -> dict[str, Any]:
    """An indicator's outcomes per period the visitor may read, each with its assessment
    against that year's target and the rule that produced it."""
    request = context["request"]
    outcomes = (
        IndicatorOutcome.objects.filter(
            indicator=indicator,
            period__in=ReportingPeriod.objects.with_reports_readable_by(request.user, indicator),
        )
        .select_related("period__plan")
        .order_by("-period__as_of")
    )
    rows = [
        (outcome, outcome_assessment(indicator, outcome, outcome.period.year))
        for outcome in outcomes
    ]
    show_history = rows and request.user.has_perm("verksam.view_history", indicator)
    return {"rows": rows, "changes": changes_of([o for o, _ in rows]) if show_history else []}
