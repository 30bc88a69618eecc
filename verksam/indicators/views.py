"""The indicator page: everything about one indicator, all its values and a chart of them."""

from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from verksam.audit.services import history_for
from verksam.core.navigation import Crumb, short
from verksam.core.numbers import format_number
from verksam.followup.models import IndicatorOutcome, ReportingPeriod
from verksam.indicators.charts import value_chart
from verksam.indicators.models import Indicator, IndicatorResponsibility, IndicatorValue
from verksam.plans.views import context_crumbs, office_query, visible_plans


def visible_indicators(request: HttpRequest) -> QuerySet[Indicator]:
    """Indicators of plans the user may read."""
    return Indicator.objects.filter(plan__in=visible_plans(request))


def stored_number(number: Decimal | None) -> str:
    """The number verksam read out of a cell, without the database's trailing zeros."""
    return "" if number is None else format_number(number.normalize())


@require_safe
def indicator_detail(request: HttpRequest, key: str) -> HttpResponse:
    """An indicator with its facts and a table of every value: label, kind, year, as printed."""
    indicator = get_object_or_404(
        visible_indicators(request)
        .select_related("plan__owner", "plan__parent", "goal_area", "objective")
        .prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("position", "pk")),
            Prefetch(
                "responsibilities",
                queryset=IndicatorResponsibility.objects.select_related("unit").order_by(
                    "position", "pk"
                ),
            ),
        ),
        key=key,
    )
    values = [
        {
            "value": value,
            "number": stored_number(value.number),
        }
        for value in indicator.values.all()
    ]
    outcomes = (
        IndicatorOutcome.objects.filter(
            indicator=indicator,
            period__in=ReportingPeriod.objects.with_reports_readable_by(request.user, indicator),
        )
        .select_related("period__plan")
        .order_by("-period__as_of")
    )
    chart = value_chart(indicator, [(o.period.year, o.number, o.display()) for o in outcomes])
    crumbs = context_crumbs(
        indicator.plan,
        goal_area=indicator.goal_area,
        objective=indicator.objective,
        office=indicator.plan,
    )
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "values": values,
            "chart": chart,
            "office_query": office_query(indicator.plan),
            "changes": history_for(
                request.user,
                indicator,
                IndicatorValue.history.filter(indicator_id=indicator.pk),  # type: ignore[attr-defined]
                IndicatorResponsibility.history.filter(indicator_id=indicator.pk),  # type: ignore[attr-defined]
            ),
            "breadcrumbs": [*crumbs, Crumb(short(indicator))],
        },
    )
