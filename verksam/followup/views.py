"""Follow-up pages: periods, "Att rapportera" with inline editing, the completeness board,
checks, goal attainment, snapshots and carry-over.

Lookups are permission-checked: a period the user may not read, or an item of another
unit, is not found (404); a POST the user may not make is forbidden (403). Pages that
edit inline render a fragment for htmx and a whole page otherwise, so every form also
works without JavaScript.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from verksam.accounts.rules import Role, unit_ids_with_role
from verksam.core.navigation import Crumb, HtmxHttpRequest
from verksam.core.prose import Block, prose
from verksam.followup import carry_over, glance, reporting, services, summary, tallies
from verksam.followup.forms import (
    AcknowledgeForm,
    AssessmentForm,
    CarryOverForm,
    DecisionForm,
    JudgementForm,
    OpenForm,
    OutcomeForm,
    PeriodTextForm,
    ReopenForm,
    StatusForm,
    ToReportFilterForm,
)
from verksam.followup.models import (
    ITEMS,
    CarryOverDecision,
    IndicatorOutcome,
    PeriodText,
    ReportingPeriod,
    Snapshot,
    StatusReport,
    Subject,
)
from verksam.followup.versioned import edit_versioned
from verksam.indicators.models import Indicator
from verksam.organisation.models import OrgUnit
from verksam.plans.models import Action, Assignment, GoalArea, Objective, Plan

# --- Lookups -------------------------------------------------------------------------------


def get_period_for_user(request: HttpRequest, key: str) -> ReportingPeriod:
    """A period the user may read (closed periods of decided plans are public)."""
    return get_object_or_404(
        ReportingPeriod.objects.visible_to(request.user).select_related("plan__owner"), key=key
    )


def require_perm(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@dataclass(frozen=True)
class Reporting:
    """How one kind of item (the `kind` in the address) is reported in a round."""

    items: Callable[[ReportingPeriod], QuerySet]
    form_class: type[StatusForm] | type[OutcomeForm]
    save: Callable[..., Model]


KINDS = {
    "action": Reporting(ReportingPeriod.actions, StatusForm, services.submit_status),
    "assignment": Reporting(ReportingPeriod.assignments, StatusForm, services.submit_status),
    "indicator": Reporting(ReportingPeriod.indicators, OutcomeForm, services.record_outcome),
}


def get_item_for_reporting(
    request: HttpRequest, period: ReportingPeriod, kind: str, key: str
) -> Action | Assignment | Indicator:
    """An item of the period the user may report on: 404 for another unit's item on a
    GET (its report is not shown), 403 on a POST."""
    if kind not in KINDS:
        raise Http404
    item = get_object_or_404(KINDS[kind].items(period), key=key)
    if not request.user.has_perm("verksam.report", item):
        if request.method == "POST":
            raise PermissionDenied
        raise Http404
    return item


def period_crumbs(period: ReportingPeriod, *more: Crumb) -> list[Crumb]:
    return [
        Crumb(_("Home"), reverse("pages:home")),
        Crumb(_("Follow-up"), reverse("followup:period_list")),
        *([Crumb(str(period), period.get_absolute_url()), *more] if more else [Crumb(str(period))]),
    ]


def focus_first_error(form: forms.Form) -> None:
    """Put the focus on the first field with an error when the form comes back (`autofocus`:
    the browser on a page load, htmx after a swap); errors of the whole form are an alert
    that the template focuses instead."""
    if form.non_field_errors():
        return
    for name in form.fields:
        if name in form.errors:
            form.fields[name].widget.attrs["autofocus"] = True
            return


# --- Periods -------------------------------------------------------------------------------


@require_safe
def period_list(request: HttpRequest) -> HttpResponse:
    """The rounds per plan; a controller can create a year's rounds for a board's plan."""
    periods = list(
        ReportingPeriod.objects.visible_to(request.user)
        .select_related("plan")
        .order_by("-plan__year", "plan__key", "as_of", "kind")
    )
    by_plan: dict[Plan, list[ReportingPeriod]] = {}
    for period in periods:
        by_plan.setdefault(period.plan, []).append(period)
    controlled = unit_ids_with_role(request.user, Role.CONTROLLER)
    boards_without = (
        Plan.objects.filter(parent__isnull=True, owner_id__in=controlled)
        .exclude(reporting_periods__isnull=False)
        .order_by("-year", "key")
    )
    carry_over = {p.pk for p in by_plan if request.user.has_perm("verksam.carry_over", p)}
    return render(
        request,
        "followup/period_list.html",
        {
            "plans": [(plan, periods, plan.pk in carry_over) for plan, periods in by_plan.items()],
            "boards_without": list(boards_without),
            "breadcrumbs": [Crumb(_("Home"), reverse("pages:home")), Crumb(_("Follow-up"))],
        },
    )


@login_required
@require_POST
def period_create(request: HttpRequest, key: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.visible_to(request.user), key=key)
    require_perm(request, "verksam.close_period", plan)
    try:
        services.create_periods(plan, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("followup:period_list")


@dataclass(frozen=True)
class RoundText:
    """A controller's text of a round as its page shows it."""

    kind: str
    label: str
    blocks: list[Block]


def round_texts(
    request: HttpRequest, period: ReportingPeriod, snapshots: list[Snapshot]
) -> list[RoundText]:
    """The round's summary and significant events as its report prints them: a closed
    round's from its latest snapshot, an open round's as written so far; for readers of
    the round's follow-up (`verksam.view_followup`)."""
    if not request.user.has_perm("verksam.view_followup", PeriodText(period=period)):
        return []
    if period.is_closed:
        stored = {
            k: t["text"]
            for k, t in (snapshots[-1].data if snapshots else {}).get("texts", {}).items()
        }
    else:
        stored = {kind: text.text for kind, text in period.texts.by_kind().items()}
    return [
        RoundText(kind, str(label), prose(stored.get(kind, "")))
        for kind, label in PeriodText.Kind.choices
    ]


@require_safe
def period_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A round: its facts, its summary and significant events, its snapshots, and for a
    controller the actions on it."""
    period = get_period_for_user(request, key)
    snapshots = list(period.snapshots.select_related("taken_by"))
    return render(
        request,
        "followup/period_detail.html",
        {
            "period": period,
            "snapshots": snapshots,
            "texts": round_texts(request, period, snapshots),
            "can_control": request.user.has_perm("verksam.close_period", period),
            # The report holds what the reader may read of the round (see reports.views).
            "can_download": period.is_closed or period.is_open,
            "open_form": OpenForm(initial={"deadline": period.deadline}),
            "reopen_form": ReopenForm(),
            "breadcrumbs": period_crumbs(period),
        },
    )


def period_action(
    request: HttpRequest, key: str, action: Callable[[ReportingPeriod], str]
) -> HttpResponse:
    """Run a controller's action on a period and come back to it with the outcome."""
    period = get_period_for_user(request, key)
    require_perm(request, "verksam.close_period", period)
    try:
        message = action(period)
    except services.ClosingBlocked as blocked:
        messages.error(request, str(blocked))
        return redirect("followup:period_checks", key=period.key)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    return redirect(period)


@login_required
@require_POST
def period_open(request: HttpRequest, key: str) -> HttpResponse:
    form = OpenForm(request.POST)
    deadline = form.cleaned_data["deadline"] if form.is_valid() else None

    def act(period: ReportingPeriod) -> str:
        services.open_period(period, actor=request.user, deadline=deadline)
        return _("The period is open for reporting.")

    return period_action(request, key, act)


@login_required
@require_POST
def period_close(request: HttpRequest, key: str) -> HttpResponse:
    def act(period: ReportingPeriod) -> str:
        snapshot = services.close_period(period, actor=request.user)
        return _("The period is closed; its reports are frozen as snapshot %(n)d.") % {
            "n": snapshot.number
        }

    return period_action(request, key, act)


@login_required
@require_POST
def period_reopen(request: HttpRequest, key: str) -> HttpResponse:
    reason = request.POST.get("reason", "")

    def act(period: ReportingPeriod) -> str:
        services.reopen_period(period, actor=request.user, reason=reason)
        return _("The period is open again.")

    return period_action(request, key, act)


# --- Reporting -----------------------------------------------------------------------------


# Rows per page of "Att rapportera".
TO_REPORT_PAGE = 50


@login_required
@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    """Att rapportera: what the user's units must report in an open round (`?period=`, else
    the first), grouped by office, reporting unit and goal area, with the counts per unit,
    filters (office, unit, goal area, state) and pages."""
    unit_ids = unit_ids_with_role(request.user, Role.REPORTER)
    periods = list(ReportingPeriod.objects.visible_to(request.user).open().select_related("plan"))
    period = next((p for p in periods if p.key == request.GET.get("period")), None)
    if period is None and periods:
        period = periods[0]
    context: dict[str, Any] = {
        "periods": periods,
        "period": period,
        "breadcrumbs": [
            Crumb(_("Home"), reverse("pages:home")),
            Crumb(_("Follow-up"), reverse("followup:period_list")),
            Crumb(_("To report")),
        ],
    }
    status = 200
    if period is not None:
        # Counted and paged in SQL (`tallies`): the page reads the counts per group and its
        # own rows, whatever the number of items in the round.
        counted = tallies.tally(period, unit_ids)
        form = ToReportFilterForm(request.GET, **glance.filter_choices(counted))
        chosen = {name: "" for name in form.fields}
        if form.is_valid():
            chosen = form.cleaned_data
        else:
            status = 400
        rows = glance.ToReport(period, unit_ids, counted, glance.Filters(**chosen))
        paginator = Paginator(rows, TO_REPORT_PAGE)
        page: Page[reporting.Row] = paginator.get_page(request.GET.get("page"))
        units = glance.units_in_list_order(counted, unit_ids)
        submitted = set(period.submissions.filter(unit__in=units).values_list("unit_id", flat=True))
        query = request.GET.copy()
        query.pop("page", None)
        everything = partial(reporting.rows_for, period, unit_ids)
        context |= {
            "form": form,
            # Every row, read only if asked for (not by the page: the tests compare with it).
            "rows": SimpleLazyObject(everything),
            "shown": page.paginator.count,
            "missing": counted.missing,
            "counts": glance.counted_units(counted),
            "page": page,
            "groups": glance.grouped(list(page.object_list)),
            "query": query.urlencode(),
            "units": [(unit, unit.pk in submitted) for unit in units],
            "days_overdue": period.days_overdue(timezone.localdate()),
        }
    return render(request, "followup/report_list.html", context, status=status)


def redirect_to_next(
    request: HttpRequest, period: ReportingPeriod, item: Action | Assignment | Indicator
) -> HttpResponse:
    """After "Save and go to the next": the form of the next item the user's units have not
    reported yet, or "Att rapportera" when everything is."""
    units = unit_ids_with_role(request.user, Role.REPORTER)
    following = glance.next_to_report(period, units, item)
    if following is None:
        messages.info(request, _("Everything your units must report in this round is reported."))
        return redirect("followup:report_list")
    return redirect("followup:report_edit", period.key, following.kind, following.key)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HtmxHttpRequest, key: str, kind: str, item_key: str) -> HttpResponse:
    """Report the status of an action or assignment, or an indicator's outcome. A stale
    save shows the other person's version and keeps what the user typed."""
    period = get_period_for_user(request, key)
    item = get_item_for_reporting(request, period, kind, item_key)
    form_class = KINDS[kind].form_class
    conflict = previous = None
    if request.method == "POST":

        def save(**data: Any) -> Model:
            return KINDS[kind].save(period, item, actor=request.user, **data)

        edit = edit_versioned(request, form_class, save)
        form, conflict = edit.form, edit.conflict
        if edit.saved:
            if request.htmx:
                # The row shown again with the report just saved (not read back); what the
                # form shows beside its fields (`form_context`) is not read on a save.
                saved = edit.result
                if not isinstance(saved, StatusReport | IndicatorOutcome):
                    saved = None
                row = reporting.row_for(period, item, saved=saved)
                return render(
                    request,
                    "followup/_report_row.html",
                    {"row": row, "period": period, "saved": True},
                )
            messages.success(request, _("Saved: %(item)s") % {"item": item})
            if request.POST.get("next"):
                return redirect_to_next(request, period, item)
            return HttpResponseRedirect(reverse("followup:report_list") + f"#{kind}-{item.pk}")
        row = reporting.row_for(period, item)
        background = reporting.form_context(period, item)
        focus_first_error(form)
    else:
        row = reporting.row_for(period, item)
        background = reporting.form_context(period, item)
        previous = next(iter(background.previous), None)
        if row.report is None and isinstance(previous, StatusReport):
            # A new status report starts from the item's report in the plan's latest
            # earlier round, so that a monthly report only changes what changed; but not
            # its status: the reporter chooses it (nothing is recorded that nobody said).
            # form_class is the form of the row's kind, as `previous` is its report.
            initial = {**form_class.initial_from(previous), "version": 0, "status": ""}  # type: ignore[arg-type]  # form_class is the form of the row's kind
            form = form_class(initial=initial)
        else:
            previous = None
            form = form_class(initial=form_class.initial_from(row.report))  # type: ignore[arg-type]  # as above
    context = {
        "period": period,
        "kind": kind,
        "item": item,
        "row": row,
        "form": form,
        "conflict": conflict,
        "previous": previous,
        "background": background,
        "breadcrumbs": [
            Crumb(_("Home"), reverse("pages:home")),
            Crumb(_("To report"), reverse("followup:report_list")),
            Crumb(str(item)[:60]),
        ],
    }
    template = "followup/_report_form.html" if request.htmx else "followup/report_edit.html"
    return render(request, template, context)


@login_required
@require_safe
def report_row(request: HttpRequest, key: str, kind: str, item_key: str) -> HttpResponse:
    """One row of "Att rapportera" (htmx: cancel an inline edit)."""
    period = get_period_for_user(request, key)
    item = get_item_for_reporting(request, period, kind, item_key)
    return render(
        request,
        "followup/_report_row.html",
        {"row": reporting.row_for(period, item), "period": period},
    )


@login_required
@require_POST
def unit_submit(request: HttpRequest, key: str, unit_id: int) -> HttpResponse:
    """A unit marks its report for the period as submitted."""
    period = get_period_for_user(request, key)
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    try:
        services.submit_unit_report(period, unit, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(unit)s has submitted its report.") % {"unit": unit.name})
    return redirect("followup:report_list")


# --- Controller's pages ----------------------------------------------------------------------


# How many missing items the board names per unit; the rest are a link to Att rapportera.
BOARD_SHOWN = 20


@login_required
@require_safe
def period_board(request: HttpRequest, key: str) -> HttpResponse:
    """The completeness board: per unit what is reported, what is missing, days overdue."""
    period = get_period_for_user(request, key)
    require_perm(request, "verksam.close_period", period)
    board = tallies.board(period, on=timezone.localdate(), shown=BOARD_SHOWN)
    return render(
        request,
        "followup/period_board.html",
        {
            "period": period,
            "board": board,
            "shown": BOARD_SHOWN,
            "total": sum(p.expected for p in board),
            "reported": sum(p.reported for p in board),
            "breadcrumbs": period_crumbs(period, Crumb(_("Completeness"))),
        },
    )


@login_required
@require_POST
def period_remind(request: HttpRequest, key: str) -> HttpResponse:
    def act(period: ReportingPeriod) -> str:
        sent = services.send_reminders(period, actor=request.user, on=timezone.localdate())
        return ngettext("%(n)d reminder sent.", "%(n)d reminders sent.", sent) % {"n": sent}

    period_action(request, key, act)
    return redirect("followup:period_board", key=key)


@login_required
@require_safe
def period_checks(request: HttpRequest, key: str) -> HttpResponse:
    """The consistency checks to resolve or acknowledge before closing."""
    period = get_period_for_user(request, key)
    require_perm(request, "verksam.close_period", period)
    findings = reporting.findings(period)
    return render(
        request,
        "followup/period_checks.html",
        {
            "period": period,
            "findings": [
                (f, AcknowledgeForm(initial={"code": f.code, "subject": f.subject}))
                for f in findings
            ],
            "blocking": sum(1 for f in findings if f.acknowledgement is None),
            "breadcrumbs": period_crumbs(period, Crumb(_("Checks"))),
        },
    )


@login_required
@require_POST
def finding_acknowledge(request: HttpRequest, key: str) -> HttpResponse:
    form = AcknowledgeForm(request.POST)

    def act(period: ReportingPeriod) -> str:
        if not form.is_valid():
            raise ValidationError(_("Say why the finding is acceptable."))
        services.acknowledge_finding(period, actor=request.user, **form.cleaned_data)
        return _("The finding is acknowledged.")

    period_action(request, key, act)
    return redirect("followup:period_checks", key=key)


@require_safe
def period_attainment(request: HttpRequest, key: str) -> HttpResponse:
    """Goal attainment: per objective, goal area and office the suggestion from its
    children with its rule, the controller's judgement, the gap, and the culprits."""
    period = get_period_for_user(request, key)
    # The items read as plain values, the reported outcomes whole (`attainment_tree`).
    reported = reporting.reported_outcomes(period)
    goal_areas, offices = reporting.attainment_tree(period, outcomes=reported)
    # Only what the user may read of the round (`verksam.view_followup`): the goal areas
    # and objectives where they read the board's judgements, the offices whose judgements
    # they read, and of the items behind a suggestion those whose reports they read.
    allowed = reporting.readable(period, request.user)
    if period.plan_id not in allowed.plans:
        goal_areas = []
    offices = [o for o in offices if o.obj.pk in allowed.plans]
    for subject in [*goal_areas, *(o for g in goal_areas for o in g.children), *offices]:
        subject.suggestion.children = [
            child
            for child in subject.suggestion.children
            if child.kind == "objective" or allowed.item(child.kind, child.key)
        ]
    outcomes = [r for r in reported if allowed.item(r.kind, r.key)]
    can_assess = period.is_open and request.user.has_perm("verksam.assess", period)
    # An office's controllers judge their office; the board's judge everything.
    assessable_offices = {
        office.obj.pk
        for office in offices
        if period.is_open and request.user.has_perm("verksam.assess", office.obj)
    }
    return render(
        request,
        "followup/period_attainment.html",
        {
            "period": period,
            "goal_areas": goal_areas,
            "offices": offices,
            "outcomes": outcomes,
            "can_assess": can_assess,
            "assessable_offices": assessable_offices,
            "breadcrumbs": period_crumbs(period, Crumb(_("Goal attainment"))),
        },
    )


SUBJECTS: dict[str, type[Subject]] = {"objective": Objective, "goal_area": GoalArea, "office": Plan}


@login_required
@require_http_methods(["GET", "POST"])
def judgement_edit(request: HttpRequest, key: str, kind: str, pk: int) -> HttpResponse:
    """A controller's samlad bedömning of an objective or goal area (the board's controllers)
    or of an office (that office's controllers too)."""
    period = get_period_for_user(request, key)
    if kind not in SUBJECTS:
        raise Http404
    lookups: dict[str, dict[str, Any]] = {
        "objective": {"goal_area__plan": period.plan},
        "goal_area": {"plan": period.plan},
        "office": {"pk__in": period.plans().values("pk")},
    }
    subject = get_object_or_404(SUBJECTS[kind]._default_manager.filter(**lookups[kind]), pk=pk)
    require_perm(request, "verksam.assess", subject)
    conflict = None
    if request.method == "POST":

        def save(**data: Any) -> Model:
            return services.judge(period, subject, actor=request.user, **data)

        edit = edit_versioned(request, JudgementForm, save)
        if edit.saved:
            messages.success(request, _("The judgement is saved."))
            return redirect("followup:period_attainment", key=period.key)
        form, conflict = edit.form, edit.conflict
        focus_first_error(form)
    else:
        current = period.judgements.for_subject(subject).first()
        form = JudgementForm(initial=JudgementForm.initial_from(current))
    return render(
        request,
        "followup/judgement_edit.html",
        {
            "period": period,
            "subject": subject,
            "suggestion": reporting.suggestion_for(period, subject),
            "form": form,
            "conflict": conflict,
            "breadcrumbs": period_crumbs(
                period,
                Crumb(_("Goal attainment"), reverse("followup:period_attainment", args=[key])),
                Crumb(str(subject)[:60]),
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def period_text_edit(request: HttpRequest, key: str, kind: str) -> HttpResponse:
    """The round's summary or significant events, written by its controller before closing.
    A summary not yet written is offered the draft from the round's figures, which is
    stored only when the controller saves it; a closed round's texts are read-only."""
    period = get_period_for_user(request, key)
    if kind not in PeriodText.Kind.values:
        raise Http404
    require_perm(request, "verksam.close_period", period)
    current = period.texts.filter(kind=kind).select_related("author").first()
    conflict = None
    if request.method == "POST":

        def save(**data: Any) -> Model:
            return services.write_period_text(period, kind, actor=request.user, **data)

        edit = edit_versioned(request, PeriodTextForm, save)
        if edit.saved:
            messages.success(request, _("The text is saved."))
            return redirect(period)
        form, conflict = edit.form, edit.conflict
        focus_first_error(form)
    open_summary = kind == PeriodText.Kind.SUMMARY and period.is_open
    draft = summary.draft_for(period) if open_summary else ""
    if request.method == "GET":
        form = PeriodTextForm(initial=PeriodTextForm.initial_from(current, draft))
    label = PeriodText.Kind(kind).label
    return render(
        request,
        "followup/period_text_edit.html",
        {
            "period": period,
            "kind": kind,
            "label": label,
            "current": current,
            # A saved summary is shown beside the draft from the figures as they are now.
            "draft": prose(draft) if current is not None else [],
            "form": form,
            "conflict": conflict,
            "conflict_blocks": prose(conflict.text) if isinstance(conflict, PeriodText) else [],
            "breadcrumbs": period_crumbs(period, Crumb(capfirst(str(label)))),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_assess(request: HttpRequest, key: str, item_key: str) -> HttpResponse:
    """A controller's manual assessment of an indicator outcome, with motivation."""
    period = get_period_for_user(request, key)
    outcome = get_object_or_404(
        IndicatorOutcome.objects.select_related("indicator__plan"),
        period=period,
        indicator__key=item_key,
    )
    require_perm(request, "verksam.assess", outcome.indicator)
    indicator = period.indicators().get(pk=outcome.indicator_id)
    conflict = None
    if request.method == "POST":

        def save(**data: Any) -> Model:
            return services.assess_outcome(outcome, actor=request.user, **data)

        edit = edit_versioned(request, AssessmentForm, save)
        if edit.saved:
            messages.success(request, _("The assessment is saved."))
            return redirect("followup:period_attainment", key=period.key)
        form, conflict = edit.form, edit.conflict
        focus_first_error(form)
    else:
        form = AssessmentForm(initial=AssessmentForm.initial_from(outcome))
    return render(
        request,
        "followup/outcome_assess.html",
        {
            "period": period,
            "outcome": outcome,
            "assessment": reporting.outcome_assessment(indicator, outcome, period.year),
            "form": form,
            "conflict": conflict,
            "breadcrumbs": period_crumbs(period, Crumb(str(indicator)[:60])),
        },
    )


@require_safe
def snapshot_detail(request: HttpRequest, key: str, number: int) -> HttpResponse:
    """A frozen report of a closed period, exactly as it was when it was closed."""
    period = get_period_for_user(request, key)
    snapshot = get_object_or_404(
        Snapshot.objects.select_related("taken_by"), period=period, number=number
    )
    data = reporting.readable_data(period, snapshot.data, request.user)
    items = data["items"]
    return render(
        request,
        "followup/snapshot_detail.html",
        {
            "period": period,
            "snapshot": snapshot,
            "statuses": [i for i in items if i["kind"] != "indicator"],
            "outcomes": [i for i in items if i["kind"] == "indicator"],
            "attainment": data["attainment"],
            "texts": [
                RoundText(kind, str(label), prose(data["texts"][kind]["text"]))
                for kind, label in PeriodText.Kind.choices
                if kind in data.get("texts", {})
            ],
            "breadcrumbs": period_crumbs(period, Crumb(_("Snapshot %(n)d") % {"n": number})),
        },
    )


# --- Carry-over ------------------------------------------------------------------------------


@login_required
@require_safe
def carryover_list(request: HttpRequest, key: str) -> HttpResponse:
    """Year end: every unfinished action and assignment of a board's plan, its decision,
    and where it went."""
    board = get_object_or_404(Plan.objects.visible_to(request.user), key=key, parent__isnull=True)
    require_perm(request, "verksam.carry_over", board)
    return render(
        request,
        "followup/carryover_list.html",
        {
            "board": board,
            "rows": carry_over.unfinished(board),
            "decisions": CarryOverDecision.Decision.choices,
            "run_form": CarryOverForm(initial={"to_year": board.year + 1}),
            "breadcrumbs": [
                Crumb(_("Home"), reverse("pages:home")),
                Crumb(str(board)[:60], board.get_absolute_url()),
                Crumb(_("Carry-over")),
            ],
        },
    )


@login_required
@require_POST
def carryover_decide(request: HttpRequest, key: str, kind: str, item_key: str) -> HttpResponse:
    board = get_object_or_404(Plan.objects.visible_to(request.user), key=key, parent__isnull=True)
    model = ITEMS.get(kind)
    if model is None:
        raise Http404
    item = model.objects.filter(plan__in=Plan.objects.family(board), key=item_key).first()
    if item is None:
        raise Http404
    require_perm(request, "verksam.carry_over", item)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose continue, close or replace."))
        carry_over.decide_carry_over(item, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, f"{item}: {' '.join(error.messages)}")
    else:
        messages.success(request, _("Decision saved: %(item)s") % {"item": item})
    return HttpResponseRedirect(
        reverse("followup:carryover_list", args=[key]) + f"#{kind}-{item.pk}"
    )


@login_required
@require_POST
def carryover_run(request: HttpRequest, key: str) -> HttpResponse:
    board = get_object_or_404(Plan.objects.visible_to(request.user), key=key, parent__isnull=True)
    require_perm(request, "verksam.carry_over", board)
    form = CarryOverForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the year to carry over into."))
        result = carry_over.carry_over_plan(board, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, result.summary())
    return redirect("followup:carryover_list", key=key)
