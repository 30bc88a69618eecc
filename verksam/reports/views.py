"""Downloads of plan and follow-up documents. A plan is looked up among the plans the
user may read, and a period as its page looks it up, so a draft or an open round is no
more downloadable than it is readable."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from verksam.followup.models import ReportingPeriod
from verksam.plans.models import Plan
from verksam.reports.formats import (
    FORMATS,
    followup_filename,
    followup_report,
    plan_filename,
    plan_report,
)


@require_safe
def plan_download(request: HttpRequest, key: str, format_name: str) -> HttpResponse:
    """The plan (a board's with its offices' parts) as PDF, Word or Excel."""
    if format_name not in FORMATS:
        raise Http404
    visible = Plan.objects.visible_to(request.user)
    plan = get_object_or_404(visible.select_related("owner", "parent"), key=key)
    content = plan_report(plan, format_name, visible=visible)
    return attachment(content, format_name, plan_filename(plan, format_name))


@require_safe
def followup_download(request: HttpRequest, key: str, format_name: str) -> HttpResponse:
    """A follow-up round's report (a closed one's from its snapshot) as PDF, Word or Excel,
    to whoever may read the period's page, holding what they may read of the round
    (`verksam.view_followup`: an open round's drafts only on items at their units)."""
    if format_name not in FORMATS:
        raise Http404
    period = get_object_or_404(
        ReportingPeriod.objects.visible_to(request.user).select_related("plan__owner"), key=key
    )
    content = followup_report(period, format_name, reader=request.user)
    return attachment(content, format_name, followup_filename(period, format_name))


def attachment(content: bytes, format_name: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[format_name].content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
