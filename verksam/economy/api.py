"""Economy API: a round's budget, outcome to date, forecast and deviation per office and
department, and the investments with their carry-over. Read like the page: a round the
caller may see; an open round's forecasts (drafts) in full only for readers of the board's
plan, else on the rows the caller reports for. Amounts are tkr as exact decimal strings."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from verksam.economy import reporting
from verksam.followup.models import ReportingPeriod

router = Router(tags=["economy"])


class LineOut(Schema):
    label: str
    unit: str
    budget: str
    outcome: str | None
    forecast: str | None
    deviation: str | None  # positive is better than budget
    deviation_percent: str | None
    verdict: str | None  # better, as_budgeted, worse
    comment: str
    is_sum: bool


class CarryOverOut(Schema):
    proposed: str
    decision: str
    approved: str | None
    note: str


class InvestmentOut(LineOut):
    unspent: str | None
    carry_over: CarryOverOut | None = None


class OfficeOut(Schema):
    office: str
    office_name: str
    operating: list[LineOut]
    departments: list[LineOut]
    total: LineOut | None


class InvestmentTableOut(Schema):
    title: str
    office: str
    lines: list[InvestmentOut]
    total: InvestmentOut


class EconomyOut(Schema):
    period: str
    as_of: str
    comment_threshold_percent: str
    offices: list[OfficeOut]
    board: LineOut
    investments: list[InvestmentTableOut]


@router.get("/periods/{key}", response=EconomyOut)
def period_economy(request: HttpRequest, key: str) -> dict:
    """The round's economy (see the module for what an open round shows)."""
    period = get_object_or_404(
        ReportingPeriod.objects.visible_to(request.user).select_related("plan__owner"), key=key
    )
    economy = reporting.economy_of(period)
    if not (period.is_closed or request.user.has_perm("verksam.view_internal", period)):
        economy.hide_drafts(economy.rows_forecast_by(request.user))
    return {"period": period.key, **economy.as_data()}
