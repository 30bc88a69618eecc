"""Downloads of plan documents. A plan is looked up among the plans the user may read,
so a draft is no more downloadable than it is readable."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from verksam.plans.models import Plan
from verksam.reports.formats import FORMATS, plan_filename, plan_report


@require_safe
def plan_download(request: HttpRequest, key: str, format_name: str) -> HttpResponse:
    """The plan (a board's with its offices' parts) as PDF, Word or Excel."""
    if format_name not in FORMATS:
        raise Http404
    visible = Plan.objects.visible_to(request.user)
    plan = get_object_or_404(visible.select_related("owner", "parent"), key=key)
    content = plan_report(plan, format_name, visible=visible)
    response = HttpResponse(content, content_type=FORMATS[format_name].content_type)
    response["Content-Disposition"] = f'attachment; filename="{plan_filename(plan, format_name)}"'
    return response
