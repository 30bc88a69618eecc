"""Reads of a round's economy: per office and department its budget, outcome to date,
forecast and deviation, the board's total, and the investments with their carry-over.
A fixed number of queries whatever the number of rows (`economy_of`); the offices' and
the board's totals alone are summed in SQL (`economy_totals`, for the summaries)."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from verksam.budget.models import BudgetCell, BudgetRow, BudgetTable
from verksam.core.numbers import number_text
from verksam.economy import figures
from verksam.economy.models import CarryOver, Forecast, Outcome, budget_unit
from verksam.economy.services import IN_TOTAL, comment_threshold, followed, followed_rows
from verksam.followup.models import ReportingPeriod
from verksam.organisation.models import OrgUnit
from verksam.plans.models import Plan


@dataclass(frozen=True)
class VerdictDisplay:
    """How a deviation is shown: a symbol, a word and a colour (never colour alone)."""

    symbol: str
    word: Promise
    css: str


VERDICTS = {
    figures.Verdict.BETTER: VerdictDisplay("▲", _("better than budget"), "better"),
    figures.Verdict.AS_BUDGETED: VerdictDisplay("●", _("as budgeted"), "as-budgeted"),
    figures.Verdict.WORSE: VerdictDisplay("▼", _("worse than budget"), "worse"),
}


@dataclass
class Line:
    """One budget row in a round, or a sum of rows."""

    label: str
    unit: OrgUnit | None
    sign: figures.Sign
    budget: Decimal = Decimal(0)
    outcome: Decimal | None = None
    forecast: Decimal | None = None
    comment: str = ""
    row: BudgetRow | None = None
    forecast_row: Forecast | None = None
    carry_over: CarryOver | None = None
    is_sum: bool = False
    # A sum has a forecast only when every line in it has one.
    forecasts_missing: int = 0

    @property
    def full_forecast(self) -> Decimal | None:
        return None if self.forecasts_missing else self.forecast

    @property
    def deviation(self) -> figures.Deviation | None:
        forecast = self.full_forecast
        if forecast is None:
            return None
        return figures.deviation(self.budget, forecast, self.sign)

    @property
    def verdict(self) -> VerdictDisplay | None:
        deviation = self.deviation
        return None if deviation is None else VERDICTS[deviation.verdict]

    @property
    def unspent(self) -> Decimal | None:
        forecast = self.full_forecast
        if forecast is None or self.sign is not figures.Sign.EXPENDITURE:
            return None
        return figures.unspent(self.budget, forecast)

    def add(self, other: "Line") -> None:
        self.budget += other.budget
        if other.outcome is not None:
            self.outcome = (self.outcome or Decimal(0)) + other.outcome
        if other.forecast is None:
            self.forecasts_missing += 1
        else:
            self.forecast = (self.forecast or Decimal(0)) + other.forecast
        self.forecasts_missing += other.forecasts_missing

    def as_data(self) -> dict[str, Any]:
        """Plain data for documents, snapshots and the API (tkr as strings, exact)."""
        deviation = self.deviation
        return {
            "label": self.label,
            "unit": self.unit.code if self.unit else "",
            "budget": str(self.budget),
            "outcome": None if self.outcome is None else str(self.outcome),
            "forecast": None if self.full_forecast is None else str(self.full_forecast),
            "deviation": None if deviation is None else str(deviation.tkr),
            "deviation_percent": None
            if deviation is None or deviation.percent is None
            else str(deviation.percent),
            "verdict": None if deviation is None else deviation.verdict.value,
            "comment": self.comment,
            "is_sum": self.is_sum,
        }


@dataclass
class OfficeEconomy:
    """An office's part: its operating budget rows (outcome only), its departments with
    forecasts, and the office's total of the departments."""

    plan: Plan
    operating: list[Line] = field(default_factory=list)
    departments: list[Line] = field(default_factory=list)
    total: Line | None = None


@dataclass
class InvestmentTable:
    """A printed investment table's projects and their total (tables are not added up: the
    board's table and an office's may print the same money, as the seed's Räddningstjänsten
    4 400 and TSK's Fordon 4 065 + Materiel 335)."""

    title: str
    plan: Plan
    lines: list[Line] = field(default_factory=list)
    total: Line = field(
        default_factory=lambda: Line("Summa", None, figures.Sign.EXPENDITURE, is_sum=True)
    )

    def as_data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "office": self.plan.owner.code,
            "lines": [
                {
                    **line.as_data(),
                    "unspent": None if line.unspent is None else str(line.unspent),
                    "carry_over": carry_over_data(line.carry_over),
                }
                for line in self.lines
            ],
            "total": {
                **self.total.as_data(),
                "unspent": None if self.total.unspent is None else str(self.total.unspent),
            },
        }


@dataclass
class Economy:
    period: ReportingPeriod
    offices: list[OfficeEconomy]
    board: Line
    investments: list[InvestmentTable]
    threshold: Decimal

    @property
    def month(self) -> int:
        return self.period.as_of.month

    def forecast_lines(self) -> list[Line]:
        """The lines that take a forecast: departments and investment projects."""
        return [
            *(line for office in self.offices for line in office.departments),
            *(line for table in self.investments for line in table.lines),
        ]

    def rows_forecast_by(self, user: Any) -> set[int]:
        """The rows whose forecast the user may write (`verksam.report` at the row's unit)."""
        return {
            line.row.pk
            for line in self.forecast_lines()
            if line.row is not None and user.has_perm("verksam.report", Forecast(row=line.row))
        }

    def hide_drafts(self, visible_row_ids: set[int]) -> None:
        """Leave out an open round's forecasts (drafts) except on `visible_row_ids`, and the
        sums' forecasts, which would tell the hidden ones."""
        for line in self.forecast_lines():
            if line.row is not None and line.row.pk not in visible_row_ids:
                line.forecast, line.comment = None, ""
                line.forecast_row, line.carry_over = None, None
        sums = [self.board, *(o.total for o in self.offices if o.total)]
        for line in [*sums, *(table.total for table in self.investments)]:
            line.forecasts_missing = max(line.forecasts_missing, 1)

    def as_data(self) -> dict[str, Any]:
        lines = [
            *(line for office in self.offices for line in office.operating),
            *self.forecast_lines(),
        ]
        return {
            "as_of": self.period.as_of.isoformat(),
            # Whether the round has any outcome or forecast (a report leaves it out if not).
            "has_figures": any(
                line.outcome is not None or line.forecast is not None for line in lines
            ),
            "comment_threshold_percent": str(self.threshold),
            "offices": [
                {
                    "office": office.plan.owner.code,
                    "office_name": office.plan.owner.name,
                    "operating": [line.as_data() for line in office.operating],
                    "departments": [line.as_data() for line in office.departments],
                    "total": office.total.as_data() if office.total else None,
                }
                for office in self.offices
            ],
            "board": self.board.as_data(),
            "investments": [table.as_data() for table in self.investments],
        }


def carry_over_data(carry_over: CarryOver | None) -> dict[str, Any] | None:
    if carry_over is None:
        return None
    return {
        "proposed": str(carry_over.proposed),
        "decision": carry_over.decision,
        "approved": None if carry_over.approved is None else str(carry_over.approved),
        "note": carry_over.note,
    }


def economy_totals(period: ReportingPeriod) -> Economy:
    """The offices' totals and the board's as `economy_of` adds them up, summed in SQL: two
    queries (the sums per office, the offices) whatever the number of rows. Only the sums,
    for a summary: the offices have no lines of their own and there are no investments."""
    budget = (
        BudgetCell.objects.filter(row=OuterRef("pk"), column__year=period.year)
        .filter(~Q(column__kind="outcome"))
        .values("number")
    )
    outcome = Outcome.objects.filter(period=period, row=OuterRef("pk")).values("amount")
    forecast = Forecast.objects.filter(period=period, row=OuterRef("pk")).values("amount")
    summed = Q(table__kind=BudgetTable.Kind.DEPARTMENTS) & IN_TOTAL
    sums = list(
        followed(period)
        .exclude(table__kind=BudgetTable.Kind.INVESTMENTS)
        .annotate(
            row_budget=Subquery(budget[:1]),
            row_outcome=Subquery(outcome[:1]),
            row_forecast=Subquery(forecast[:1]),
        )
        .values("table__plan")
        .annotate(
            rows=Count("pk", filter=summed),
            budget=Sum("row_budget", filter=summed),
            outcome=Sum("row_outcome", filter=summed),
            forecast=Sum("row_forecast", filter=summed),
            forecasts=Count("row_forecast", filter=summed),
        )
        .order_by("table__plan__position", "table__plan__key")
    )
    plans = Plan.objects.select_related("owner").in_bulk([s["table__plan"] for s in sums])
    board = Line(str(period.plan.owner.name), period.plan.owner, figures.Sign.NET, is_sum=True)
    offices = []
    for each in sums:
        office = OfficeEconomy(plans[each["table__plan"]])
        if each["rows"]:
            owner = office.plan.owner
            office.total = Line(
                owner.name,
                owner,
                figures.Sign.NET,
                budget=each["budget"] or Decimal(0),
                outcome=each["outcome"],
                forecast=each["forecast"],
                is_sum=True,
                forecasts_missing=each["rows"] - each["forecasts"],
            )
            board.add(office.total)
        offices.append(office)
    return Economy(period, offices, board, [], comment_threshold())


def economy_of(period: ReportingPeriod) -> Economy:
    """The round's economy in five queries: the rows (with tables, plans, owners, units),
    their budget cells for the year, the outcomes, the forecasts and the carry-overs."""
    rows = followed_rows(period)
    ids = [r.pk for r in rows]
    budgets = dict(
        BudgetCell.objects.filter(row__in=ids, column__year=period.year)
        .filter(~Q(column__kind="outcome"))
        .values_list("row_id", "number")
    )
    outcomes = dict(Outcome.objects.filter(period=period).values_list("row_id", "amount"))
    forecasts = {f.row_id: f for f in Forecast.objects.filter(period=period)}
    carry_overs = {c.row_id: c for c in CarryOver.objects.filter(period=period)}
    offices: dict[int, OfficeEconomy] = {}
    investments: dict[int, InvestmentTable] = {}
    board = Line(str(period.plan.owner.name), period.plan.owner, figures.Sign.NET, is_sum=True)
    for row in rows:
        kind = row.table.kind
        forecast = forecasts.get(row.pk) if kind != "operating" else None
        line = Line(
            label=row.label,
            unit=budget_unit(row),
            sign=figures.sign_of(kind),
            budget=budgets.get(row.pk) or Decimal(0),
            outcome=outcomes.get(row.pk),
            forecast=forecast.amount if forecast else None,
            comment=forecast.comment if forecast else "",
            row=row,
            forecast_row=forecast,
            carry_over=carry_overs.get(row.pk),
        )
        if kind == "investments":
            table = investments.setdefault(
                row.table_id, InvestmentTable(row.table.title, row.table.plan)
            )
            table.lines.append(line)
            table.total.add(line)
            continue
        office = offices.setdefault(row.table.plan_id, OfficeEconomy(row.table.plan))
        if kind == "operating":
            office.operating.append(line)
            continue
        office.departments.append(line)
        if row.in_total:  # type: ignore[attr-defined]  # annotated by `followed_rows`
            if office.total is None:
                owner = row.table.plan.owner
                office.total = Line(owner.name, owner, figures.Sign.NET, is_sum=True)
            office.total.add(line)
    for office in offices.values():
        if office.total is not None:
            board.add(office.total)
    return Economy(
        period,
        list(offices.values()),
        board,
        list(investments.values()),
        comment_threshold(),
    )


def economy_for(period: ReportingPeriod, user: Any, *, totals_only: bool = False) -> Economy:
    """The round's economy as `user` may read it: an open round's forecasts are drafts,
    shown in full to readers of the board's plan (`verksam.view_internal`), otherwise only
    on the rows the user reports for (`Economy.hide_drafts`). `totals_only`: the sums alone
    (`economy_totals`)."""
    economy = economy_totals(period) if totals_only else economy_of(period)
    if not (period.is_closed or user.has_perm("verksam.view_internal", period)):
        economy.hide_drafts(economy.rows_forecast_by(user))
    return economy


def tkr(value: Decimal | None) -> str:
    """An amount as reports print it: whole tkr, Swedish format; empty for none."""
    return number_text(None if value is None else figures.round_tkr(value), decimals=0)


def percent(value: Decimal | None) -> str:
    return number_text(value, "%", 1)
