"""The budget page of a plan: its tables with the computed rows computed, and every
printed figure that disagrees with the computation flagged in words.

A board's plan shows its offices' tables. The page runs a fixed number of queries
however many tables and rows there are (`BudgetTable.objects.for_display`).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from verksam.budget.models import BudgetTable
from verksam.budget.tables import TableView, table_view
from verksam.core.navigation import Crumb
from verksam.plans.models import Plan


@require_safe
def plan_budget(request: HttpRequest, key: str) -> HttpResponse:
    """A plan's budget tables; for a board's plan those of its offices' parts, per office."""
    visible = Plan.objects.visible_to(request.user)
    plan = get_object_or_404(visible.select_related("owner", "parent"), key=key)
    plans = list(visible.family(plan).select_related("owner"))
    tables = BudgetTable.objects.filter(plan__in=plans).for_display()
    by_plan: dict[int, list[TableView]] = {p.pk: [] for p in plans}
    for table in tables.in_document_order():
        by_plan[table.plan_id].append(table_view(table))
    breadcrumbs = [Crumb(_("Home"), reverse("pages:home"))]
    if plan.parent is not None:
        breadcrumbs.append(Crumb(plan.parent.title, plan.parent.get_absolute_url()))
    breadcrumbs += [Crumb(plan.title, plan.get_absolute_url()), Crumb(_("Budget"))]
    return render(
        request,
        "budget/budget_detail.html",
        {
            "plan": plan,
            "groups": [(p, by_plan[p.pk]) for p in plans if by_plan[p.pk]],
            "breadcrumbs": breadcrumbs,
        },
    )
