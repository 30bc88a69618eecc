"""The import page: a controller or administrator downloads the plan template (empty, or
a plan in its shape), fills it in and uploads it; a dry run says what would be created and
changed, or every problem by sheet, row and column; the import saves all or nothing."""

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from verksam.accounts.rules import is_controller
from verksam.core.navigation import Crumb, HtmxHttpRequest
from verksam.imports.export import PlanNotFound, export_plan
from verksam.imports.services import LoadResult
from verksam.imports.sources import MAX_FILE_BYTES
from verksam.imports.workbook import SHEETS, WorkbookError, import_workbook, write_workbook
from verksam.organisation.models import OrgUnit
from verksam.plans.models import Plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx)"),
        error_messages={"required": gettext_lazy("Choose the workbook to import.")},
    )

    def clean_workbook(self) -> object:
        upload = self.cleaned_data["workbook"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(limit)s bytes.") % {"limit": MAX_FILE_BYTES}
            )
        return upload


def may_import(user: Any) -> bool:
    """Controllers (anywhere) and administrators reach the page; what they may import is
    checked on the workbook's plans (`authorise`)."""
    return bool(user.is_superuser) or is_controller(user)


def authorise_for(user: Any) -> Callable[[LoadResult], None]:
    """A check of a load's result, run before it commits: the user controls every plan the
    workbook creates or changes, and may change the organisation if it does."""

    def authorise(result: LoadResult) -> None:
        units = result.items.get("org_units", {})
        changes_units = any(status != "unchanged" for status in units.values())
        if changes_units and not user.has_perm("organisation.change_orgunit"):
            raise PermissionDenied(
                _("The workbook creates or changes org units: only a system administrator may.")
            )
        refused = [
            plan.key
            for plan in Plan.objects.filter(key__in=result.touched_plans).select_related("owner")
            if not user.has_perm("verksam.edit_plan", plan)
        ]
        if refused:
            raise PermissionDenied(
                _("You are not a controller of %(plans)s.") % {"plans": ", ".join(sorted(refused))}
            )

    return authorise


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: HtmxHttpRequest) -> HttpResponse:
    """Upload a workbook: "Check" runs a dry run, "Import" saves (all or nothing)."""
    if not may_import(request.user):
        raise PermissionDenied
    form = UploadForm()
    result = problems = refusal = None
    dry_run = True
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        dry_run = request.POST.get("action") != "import"
        if form.is_valid():
            upload = form.cleaned_data["workbook"]
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "workbook.xlsx"  # never a name from the upload
                with path.open("wb") as file:
                    for chunk in upload.chunks():
                        file.write(chunk)
                try:
                    result = import_workbook(
                        path, dry_run=dry_run, authorise=authorise_for(request.user)
                    )
                except WorkbookError as error:
                    problems = error.problems
                    status = 400
                except PermissionDenied as error:
                    refusal = str(error)
                    status = 403
        else:
            status = 400
    context = {
        "form": form,
        "result": result,
        "rows": preview_rows(result) if result else [],
        "problems": problems,
        "refusal": refusal,
        "dry_run": dry_run,
        "sheets": SHEETS,
        "owners": OrgUnit.objects.filter(plan__isnull=False).distinct().order_by("code"),
        "years": sorted(set(Plan.objects.values_list("year", flat=True)), reverse=True),
        "breadcrumbs": [Crumb(_("Home"), reverse("pages:home")), Crumb(_("Import a plan"))],
    }
    template = "imports/_import_result.html" if request.htmx else "imports/plan_import.html"
    return render(request, template, context, status=status)


def preview_rows(result: LoadResult) -> list[dict[str, object]]:
    """Per kind: how many items are new, changed and unchanged, and which."""
    rows = []
    for kind, statuses in result.items.items():
        if not statuses:
            continue
        rows.append({
            "kind": kind,
            "created": [k for k, s in statuses.items() if s == "created"],
            "updated": [k for k, s in statuses.items() if s == "updated"],
            "unchanged": result.unchanged[kind],
        })  # fmt: skip
    return rows


@login_required
@require_safe
def plan_template(request: HttpRequest) -> HttpResponse:
    """The template workbook: empty, or (`?year=&owner=`) that plan and its parts in its
    shape, for a plan the user may export."""
    if not may_import(request.user):
        raise PermissionDenied
    year, owner = request.GET.get("year", ""), request.GET.get("owner", "")
    data = None
    name = "verksam-plan-template.xlsx"
    if year or owner:
        plans = Plan.objects.filter(year=year if year.isdigit() else 0, owner__code=owner)
        plan = plans.select_related("parent").first()
        if plan is None:
            return HttpResponse(_("No such plan."), status=404, content_type="text/plain")
        family = [plan, *plan.parts.select_related("parent")]
        if not all(request.user.has_perm("verksam.export", p) for p in family):
            raise PermissionDenied
        try:
            data = export_plan(year=plan.year, owner=owner)
        except PlanNotFound:
            return HttpResponse(_("No such plan."), status=404, content_type="text/plain")
        name = f"{plan.key}.xlsx"
    response = HttpResponse(write_workbook(data), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
