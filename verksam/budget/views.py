"""The budget page of a plan: its tables with the computed rows computed, and every
printed figure that disagrees with the computation flagged in words.

A board's plan shows its offices' tables. The page runs a fixed number of queries
however many tables and rows there are (`BudgetTable.objects.for_display`).
"""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from verksam.budget.models import BudgetColumn, BudgetRow, BudgetTable
from verksam.budget.services import Figure
from verksam.plans.models import Plan


@dataclass(frozen=True)
class RowView:
    """A row and its figures in column order."""

    row: BudgetRow
    figures: list[Figure]


@dataclass
class TableView:
    """A table as the page shows it; `disagreements` names each printed figure that differs."""

    table: BudgetTable
    columns: list[BudgetColumn]
    rows: list[RowView] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)


def table_view(table: BudgetTable) -> TableView:
    columns = list(table.columns.all())
    figures = table.figures()
    view = TableView(table, columns)
    for row in table.rows.all():
        cells = [figures[row.key][c.year] for c in columns]
        view.rows.append(RowView(row, cells))
        for column, figure in zip(columns, cells, strict=True):
            if figure.disagrees:
                view.disagreements.append(
                    _("%(row)s, %(column)s: printed %(printed)s, computed %(computed)s")
                    % {
                        "row": row.label,
                        "column": column.label,
                        "printed": figure.display_printed(),
                        "computed": figure.display(),
                    }
                )
    return view


@require_safe
def plan_budget(request: HttpRequest, key: str) -> HttpResponse:
    """A plan's budget tables; for a board's plan those of its offices' parts, per office."""
    visible = Plan.objects.visible_to(request.user)
    plan = get_object_or_404(visible.select_related("owner", "parent"), key=key)
    plans = list(visible.family(plan).select_related("owner"))
    tables = BudgetTable.objects.filter(plan__in=plans).for_display()
    by_plan: dict[int, list[TableView]] = {p.pk: [] for p in plans}
    for table in tables.order_by("plan__position", "plan__key", "position"):
        by_plan[table.plan_id].append(table_view(table))  # type: ignore[attr-defined]
    breadcrumbs = [(_("Home"), reverse("plans:home"))]
    if plan.parent is not None:
        breadcrumbs.append((plan.parent.title, plan.parent.get_absolute_url()))
    breadcrumbs += [(plan.title, plan.get_absolute_url()), (_("Budget"), "")]
    return render(
        request,
        "budget/budget_detail.html",
        {
            "plan": plan,
            "groups": [(p, by_plan[p.pk]) for p in plans if by_plan[p.pk]],
            "breadcrumbs": [{"label": label, "url": url} for label, url in breadcrumbs],
        },
    )
