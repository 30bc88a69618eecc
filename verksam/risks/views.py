"""The risk page of a plan: its risk analysis (or its offices' analyses) and the
internal-control areas that apply to it, in a fixed number of queries."""

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from verksam.core.navigation import Crumb
from verksam.plans.models import Plan
from verksam.risks.models import InternalControlArea, RiskAnalysis


@require_safe
def plan_risks(request: HttpRequest, key: str) -> HttpResponse:
    """A plan's risks; a board's plan shows its offices' analyses. The internal-control
    areas of the board's plan apply to its parts too, so an office's page shows them."""
    visible = Plan.objects.visible_to(request.user)
    plan = get_object_or_404(visible.select_related("owner", "parent"), key=key)
    family = visible.family(plan)
    analyses = (
        RiskAnalysis.objects.filter(plan__in=family)
        .select_related("plan__owner")
        .prefetch_related("risks")
        .in_document_order()
    )
    areas = (
        InternalControlArea.objects.filter(Q(plan__in=family) | Q(plan=plan.parent_id))
        .select_related("plan")
        .prefetch_related("points__responsible_units")
        .in_document_order()
    )
    breadcrumbs = [Crumb(_("Home"), reverse("pages:home"))]
    if plan.parent is not None:
        breadcrumbs.append(Crumb(plan.parent.title, plan.parent.get_absolute_url()))
    breadcrumbs += [
        Crumb(plan.title, plan.get_absolute_url()),
        Crumb(_("Risks and internal control")),
    ]
    return render(
        request,
        "risks/risk_list.html",
        {"plan": plan, "analyses": analyses, "areas": areas, "breadcrumbs": breadcrumbs},
    )
