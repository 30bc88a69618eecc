"""The economy pages of a round: budget, outcome to date, forecast and deviation per office
and department with the board's total, the investments with their carry-over; the forecast
form; the controllers' outcome import (upload, preview, confirm); the carry-over decision.

Every page looks the round up as the follow-up pages do (`ReportingPeriod.objects
.visible_to`) and runs a fixed number of queries (`reporting.economy_of`).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from verksam.budget.models import BudgetRow
from verksam.core.navigation import Crumb
from verksam.economy import compliance, figures, reporting, services
from verksam.economy.forms import (
    CarryOverForm,
    ForecastForm,
    MappingUploadForm,
    OutcomeUploadForm,
)
from verksam.economy.ledger import LedgerError
from verksam.economy.models import CarryOver, Forecast, OutcomeMapping, budget_unit
from verksam.followup.forms import VersionedForm
from verksam.followup.models import ReportingPeriod, Versioned
from verksam.followup.services import EditConflict
from verksam.followup.versioned import edit_versioned

UPLOAD_SECONDS = 3600  # how long an uploaded file waits for its confirmation


def get_period_for_user(request: HttpRequest, key: str) -> ReportingPeriod:
    """A round the user may read (closed rounds of decided plans are public)."""
    return get_object_or_404(
        ReportingPeriod.objects.visible_to(request.user).select_related("plan__owner"), key=key
    )


def crumbs(period: ReportingPeriod, *more: Crumb) -> list[Crumb]:
    economy = reverse("economy:period_economy", args=[period.key])
    return [
        Crumb(_("Home"), reverse("pages:home")),
        Crumb(_("Follow-up"), reverse("followup:period_list")),
        Crumb(str(period), period.get_absolute_url()),
        *([Crumb(_("Economy"), economy), *more] if more else [Crumb(_("Economy"))]),
    ]


@require_safe
def period_economy(request: HttpRequest, key: str) -> HttpResponse:
    """The round's economy. An open round's forecasts are drafts: shown in full to readers
    of the board's plan (`verksam.view_internal`), otherwise only on the rows the visitor
    reports for."""
    period = get_period_for_user(request, key)
    user = request.user
    economy = reporting.economy_for(period, user)
    reportable = economy.rows_forecast_by(user)
    return render(
        request,
        "economy/period_economy.html",
        {
            "period": period,
            "economy": economy,
            "compliance": compliance.compliance_of(economy),
            "reportable": reportable if period.is_open else set(),
            "can_import": not period.is_closed and user.has_perm("verksam.assess", period.plan),
            "can_carry_over": period.is_open and user.has_perm("verksam.carry_over", period.plan),
            "can_record": period.is_open and user.has_perm("verksam.assess", period.plan),
            "imports": list(period.outcome_imports.select_related("imported_by")[:5]),
            "breadcrumbs": crumbs(period),
        },
    )


def forecast_target(
    request: HttpRequest, key: str, row_key: str
) -> tuple[ReportingPeriod, BudgetRow]:
    period = get_period_for_user(request, key)
    try:
        row = services.forecast_row(period, row_key)
    except BudgetRow.DoesNotExist:
        raise Http404 from None
    return period, row


def row_form_page(
    request: HttpRequest,
    period: ReportingPeriod,
    budget_row: BudgetRow,
    *,
    form_class: type[VersionedForm],
    save: Callable[..., object],
    current: Versioned | None,
    fields: dict[str, str],
    saved: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A versioned form for one budget row of a round. A valid post saves through `save` and
    returns to the row on the economy page saying `saved`; otherwise the form (after a
    conflict, bound to the other's version) is shown, filled from `current` by `fields`
    (form field → model attribute)."""
    conflict = None
    if request.method == "POST":
        edit = edit_versioned(request, form_class, save)
        if edit.saved:
            messages.success(request, saved % {"row": budget_row.label})
            return redirect(
                reverse("economy:period_economy", args=[period.key]) + f"#row-{budget_row.key}"
            )
        form, conflict = edit.form, edit.conflict
    else:
        initial: dict[str, Any] = {"version": current.version if current else 0}
        if current:
            initial |= {name: getattr(current, attribute) for name, attribute in fields.items()}
        form = form_class(initial=initial)
    return render(
        request,
        template,
        {
            **context,
            "period": period,
            "row": budget_row,
            "form": form,
            "conflict": conflict,
            "breadcrumbs": crumbs(period, Crumb(budget_row.label)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def forecast_edit(request: HttpRequest, key: str, row: str) -> HttpResponse:
    """A row's full-year forecast: the automatic proposal (with its rule) to accept, or an
    own figure; reporters of the row's unit and controllers, in an open round."""
    period, budget_row = forecast_target(request, key, row)
    if not request.user.has_perm("verksam.report", Forecast(row=budget_row)):
        raise PermissionDenied
    if not period.is_open:
        messages.error(request, _("The round is not open: forecasts cannot be changed."))
        return redirect("economy:period_economy", key=period.key)
    budget = services.budget_of(budget_row, period.year)
    outcome = services.outcome_of(period, budget_row)

    def save(**fields: Any) -> Forecast:
        return services.save_forecast(period, budget_row, actor=request.user, **fields)

    return row_form_page(
        request,
        period,
        budget_row,
        form_class=ForecastForm,
        save=save,
        current=Forecast.objects.filter(period=period, row=budget_row).first(),
        fields={"choice": "basis", "amount": "amount", "comment": "comment"},
        saved=_("Forecast saved: %(row)s"),
        template="economy/forecast_edit.html",
        context={
            "unit": budget_unit(budget_row),
            "budget": budget,
            "outcome": outcome,
            "proposal": figures.proposal(budget, outcome, period.as_of.month),
            "months_left": figures.MONTHS - period.as_of.month,
            "threshold": services.comment_threshold(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def carryover_edit(request: HttpRequest, key: str, row: str) -> HttpResponse:
    """The decision on carrying an investment's unspent funds over (controllers)."""
    period, budget_row = forecast_target(request, key, row)
    if budget_row.table.kind != "investments" or not request.user.has_perm(
        "verksam.carry_over", period.plan
    ):
        raise PermissionDenied
    forecast = Forecast.objects.filter(period=period, row=budget_row).first()
    budget = services.budget_of(budget_row, period.year)

    def save(**fields: Any) -> CarryOver:
        return services.decide_carry_over(period, budget_row, actor=request.user, **fields)

    return row_form_page(
        request,
        period,
        budget_row,
        form_class=CarryOverForm,
        save=save,
        current=CarryOver.objects.filter(period=period, row=budget_row).first(),
        fields={"decision": "decision", "approved": "approved", "note": "note"},
        saved=_("Decision saved: %(row)s"),
        template="economy/carryover_edit.html",
        context={
            "budget": budget,
            "forecast": forecast,
            "proposed": figures.unspent(budget, forecast.amount) if forecast else None,
        },
    )


def upload_key(request: HttpRequest, period: ReportingPeriod, sha256: str) -> str:
    return f"economy-upload:{request.user.pk}:{period.pk}:{sha256}"


@login_required
@require_http_methods(["GET", "POST"])
def outcome_import(request: HttpRequest, key: str) -> HttpResponse:
    """Upload a file, see what it would change per unit and row, then confirm (controllers
    of the board). The file waits for the confirmation in the cache for an hour; the
    confirmation imports it again from the start, so nothing is written from a stale look."""
    period = get_period_for_user(request, key)
    if not request.user.has_perm("verksam.assess", period.plan):
        raise PermissionDenied
    form = OutcomeUploadForm()
    mapping_form = MappingUploadForm()
    preview = None
    problems: list[str] = []
    if request.method == "POST" and "mapping" in request.FILES:
        mapping_form = MappingUploadForm(request.POST, request.FILES)
        if mapping_form.is_valid():
            upload = mapping_form.cleaned_data["mapping"]
            try:
                count = services.load_mapping(
                    period.plan, upload.name, upload.read(), actor=request.user
                )
            except LedgerError as error:
                problems = [str(p) for p in error.problems]
            else:
                messages.success(
                    request,
                    ngettext("%(n)d mapping loaded.", "%(n)d mappings loaded.", count)
                    % {"n": count},
                )
                return redirect(reverse("economy:outcome_import", args=[period.key]) + "#mapping")
    elif request.method == "POST" and "sha256" in request.POST:
        pending = cache.get(upload_key(request, period, request.POST["sha256"]))
        if pending is None:
            messages.error(request, _("The uploaded file has expired: upload it again."))
            return redirect("economy:outcome_import", key=period.key)
        name, content = pending
        try:
            done = services.import_outcome(period, name, content, actor=request.user)
        except LedgerError as error:
            problems = [str(p) for p in error.problems]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            cache.delete(upload_key(request, period, request.POST["sha256"]))
            if done.record is None:
                messages.info(request, _("Nothing changed: the outcome is already this file's."))
            else:
                messages.success(request, _("Outcome imported from %(file)s.") % {"file": name})
            return redirect("economy:period_economy", key=period.key)
    elif request.method == "POST":
        form = OutcomeUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                preview = services.preview_outcome(period, upload.name, content, actor=request.user)
            except LedgerError as error:
                problems = [str(p) for p in error.problems]
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                cache.set(
                    upload_key(request, period, preview.sha256),
                    (upload.name, content),
                    UPLOAD_SECONDS,
                )
    mappings = list(
        OutcomeMapping.objects.filter(plan__in=period.plans()).select_related("row__table")
    )
    return render(
        request,
        "economy/outcome_import.html",
        {
            "period": period,
            "form": form,
            "mapping_form": mapping_form,
            "can_map": request.user.has_perm("verksam.edit_plan", period.plan),
            "preview": preview,
            "problems": problems,
            "mappings": mappings,
            "breadcrumbs": crumbs(period, Crumb(_("Import outcome"))),
        },
    )


@login_required
@require_POST
def compliance_record(request: HttpRequest, key: str) -> HttpResponse:
    """Record the Budgetföljsamhet figures as the indicators' outcomes (controllers)."""
    period = get_period_for_user(request, key)
    if not request.user.has_perm("verksam.assess", period.plan):
        raise PermissionDenied
    try:
        saved = compliance.record_compliance(reporting.economy_of(period), actor=request.user)
    except (ValidationError, EditConflict) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d Budgetföljsamhet outcome recorded.",
                "%(n)d Budgetföljsamhet outcomes recorded.",
                len(saved),
            )
            % {"n": len(saved)},
        )
    return redirect(reverse("economy:period_economy", args=[period.key]) + "#compliance")
