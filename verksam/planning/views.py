"""The changes page of a plan: what changed since another state of it (the review draft,
the decision, an amendment) or another year's plan, item by item and field by field, and
the plan's amendments."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from verksam.core.navigation import Crumb
from verksam.planning.diff import diff_states, plan_state, state_at
from verksam.plans.models import Plan, PlanSnapshot


def default_since(plan: Plan) -> str:
    """What a plan is compared with unless asked: its decision, else what was sent to
    review, else the owner's plan of the year before (else itself)."""
    events = set(PlanSnapshot.objects.filter(plan=plan.root).values_list("event", flat=True))
    for event in (PlanSnapshot.Event.DECISION, PlanSnapshot.Event.REVIEW):
        if event in events:
            return f"{plan.key}@{event}"
    earlier = Plan.objects.filter(owner=plan.owner_id, year__lt=plan.year).order_by("-year").first()
    return earlier.key if earlier is not None else plan.key


@require_safe
def plan_changes(request: HttpRequest, key: str) -> HttpResponse:
    """`?since=REF`: a plan's id, or `KEY@review`, `KEY@decision`, `KEY@amendment-N`."""
    visible = Plan.objects.visible_to(request.user)
    plan = get_object_or_404(visible.select_related("owner", "parent"), key=key)
    since = request.GET.get("since", "").strip() or default_since(plan)
    changes, error, status = [], "", 200
    try:
        changes = diff_states(state_at(since, plans=visible), plan_state(plan))
    except ValidationError as refused:
        error, status = " ".join(refused.messages), 400
    breadcrumbs = [
        Crumb(_("Home"), reverse("pages:home")),
        Crumb(plan.title, plan.get_absolute_url()),
        Crumb(_("Changes")),
    ]
    context = {
        "plan": plan,
        "since": since,
        "error": error,
        "changes": changes,
        "amendments": plan.root.amendments.select_related("made_by"),
        "snapshots": PlanSnapshot.objects.filter(plan=plan.root).select_related("amendment"),
        "breadcrumbs": breadcrumbs,
    }
    return render(request, "planning/plan_changes.html", context, status=status)
