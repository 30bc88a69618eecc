from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from verksam.audit.forms import AuditSearchForm
from verksam.audit.services import AuditQuery, audit_kinds, search_changes

RESULT_LIMIT = 200


@require_safe
@login_required
def audit_search(request: HttpRequest) -> HttpResponse:
    """Controllers (their plans) and administrators (their units' roles) search the trail."""
    if not request.user.has_perm("verksam.view_audit"):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or {}, kinds=audit_kinds(request.user))
    changes = []
    if form.is_valid():
        changes = search_changes(request.user, AuditQuery(**form.cleaned_data), limit=RESULT_LIMIT)
    return render(
        request,
        "audit/search.html",
        {"form": form, "changes": changes, "limit": RESULT_LIMIT},
    )
