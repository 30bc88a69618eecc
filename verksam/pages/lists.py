"""List pages of assignments, actions and indicators: filters, sorting and pages that live in
the query string, so that a filtered list can be shared, bookmarked and gone back to.

The filters are a plain GET form (the page works without JavaScript); htmx swaps only the
results. Pagination runs in the database (Paginator on a queryset), and every list page runs a
fixed number of queries however many items there are.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth.models import AnonymousUser, User
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_safe
from django_htmx.http import push_url

from verksam.core.navigation import Crumb, HtmxHttpRequest
from verksam.followup.item_followup import (
    NO_OUTCOME,
    NOT_REPORTED,
    with_readable_outcomes,
    with_readable_reports,
)
from verksam.followup.models import (
    Attainment,
    IndicatorOutcome,
    ReportingPeriod,
    StatusChoice,
    StatusReport,
)
from verksam.followup.reporting import assessed_outcomes
from verksam.indicators.models import Indicator, IndicatorResponsibility
from verksam.organisation.models import OrgUnit, units_below

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from verksam.plans.models import (
    DOCUMENT_ORDER,
    Action,
    ActionResponsibility,
    Assignment,
    GoalArea,
    Objective,
    Plan,
)

PAGE_SIZE = 50
# The goal-area filter's value for items of the plan as a whole, in no goal area.
WHOLE_PLAN = "-"
# Without a chosen sort: the newest plans first, each as it prints its items.
DEFAULT_ORDER = ["-plan__year", *DOCUMENT_ORDER]

# Units a list can be filtered by: the organisation's own tree, not outside bodies; a
# committee (TKN) leads actions, so it is one.
FILTER_UNIT_KINDS = [
    OrgUnit.Kind.BOARD,
    OrgUnit.Kind.COMMITTEE,
    OrgUnit.Kind.OFFICE,
    OrgUnit.Kind.DEPARTMENT,
    OrgUnit.Kind.UNIT,
]


class ListFilterForm(forms.Form):
    """The filters every list shares; the choices are what the user may read."""

    plan = forms.ChoiceField(label=_("Plan"), required=False)
    office = forms.ChoiceField(
        label=_("Office"), required=False, help_text=_("Whose plan or part of the plan it is in.")
    )
    unit = forms.ChoiceField(
        label=_("Responsible department or unit"),
        required=False,
        help_text=_("Includes the units below it."),
    )
    goal_area = forms.ChoiceField(label=_("Goal area"), required=False)
    objective = forms.ChoiceField(label=_("Objective"), required=False)

    def __init__(self, data: Any, *, options: "FilterOptions") -> None:
        super().__init__(data, label_suffix="")
        everything = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["plan"]).choices = everything + [
            (p.key, p.title) for p in options.plans
        ]
        cast(forms.ChoiceField, self.fields["office"]).choices = everything + [
            (u.code, u.name) for u in options.offices
        ]
        cast(forms.ChoiceField, self.fields["unit"]).choices = everything + [
            (u.code, "\u00a0\u00a0" * depth + u.name) for u, depth in options.units
        ]
        cast(forms.ChoiceField, self.fields["goal_area"]).choices = [
            *everything,
            (WHOLE_PLAN, _("The plan as a whole")),
            *((g.key, str(g)) for g in options.goal_areas),
        ]
        cast(forms.ChoiceField, self.fields["objective"]).choices = everything + [
            (o.key, str(o)) for o in options.objectives
        ]


class PeriodFilterForm(ListFilterForm):
    """Also a follow-up period, in which the list's follow-up field (`state_field`) is read."""

    period = forms.ChoiceField(label=_("Follow-up period"), required=False)
    state_field = ""
    period_needed: "StrOrPromise" = ""

    def __init__(self, data: Any, *, options: "FilterOptions") -> None:
        super().__init__(data, options=options)
        cast(forms.ChoiceField, self.fields["period"]).choices = [("", _("No period"))] + [
            (p.key, f"{p.plan.title}: {p}") for p in options.periods
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get(self.state_field) and not data.get("period"):
            self.add_error("period", self.period_needed)
        return data


class StatusFilterForm(PeriodFilterForm):
    """Also the status reported in a follow-up period, or not reported in it."""

    status = forms.ChoiceField(
        label=_("Status in the period"),
        required=False,
        choices=[("", _("All")), *StatusChoice.choices, (NOT_REPORTED, _("Not reported"))],
    )
    state_field = "status"
    period_needed = _("Choose the period whose status to show.")


class AssignmentFilterForm(StatusFilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *Assignment.Kind.choices]
    )
    late = forms.BooleanField(label=_("Only with late actions"), required=False)


class ActionFilterForm(StatusFilterForm):
    late = forms.BooleanField(label=_("Only late actions"), required=False)


class IndicatorFilterForm(PeriodFilterForm):
    """Also the origin, and the assessment of the outcome in a follow-up period (or no
    outcome in it)."""

    origin = forms.ChoiceField(
        label=_("Origin"), required=False, choices=[("", _("All")), *Indicator.Origin.choices]
    )
    assessment = forms.ChoiceField(
        label=_("Assessment in the period"),
        required=False,
        choices=[("", _("All")), *Attainment.choices, (NO_OUTCOME, _("No outcome"))],
    )
    field_order = [*ListFilterForm.base_fields, "origin", "period", "assessment"]
    state_field = "assessment"
    period_needed = _("Choose the period whose assessment to show.")


@dataclass
class FilterOptions:
    """What the filter menus offer, read in a fixed number of queries."""

    plans: list[Plan]
    offices: list[OrgUnit]
    units: list[tuple[OrgUnit, int]]
    goal_areas: list[GoalArea]
    objectives: list[Objective]
    periods: list[ReportingPeriod]
    children: dict[int | None, list[int]]
    user: User | AnonymousUser

    def below(self, unit: OrgUnit) -> frozenset[int]:
        """The unit and every unit under it."""
        return units_below(self.children, [unit.pk])


def filter_options(request: HttpRequest) -> FilterOptions:
    plans = list(
        Plan.objects.visible_to(request.user).select_related("owner").order_by("-year", "position")
    )
    plan_ids = [p.pk for p in plans]
    all_units = list(OrgUnit.objects.order_by("position", "code"))
    children: dict[int | None, list[int]] = {}
    for unit in all_units:
        children.setdefault(unit.parent_id, []).append(unit.pk)
    by_id = {u.pk: u for u in all_units}

    def depth(unit: OrgUnit) -> int:
        n = 0
        while unit.parent_id in by_id and by_id[unit.parent_id].kind in FILTER_UNIT_KINDS:
            unit, n = by_id[unit.parent_id], n + 1
        return n

    units: list[tuple[OrgUnit, int]] = []

    def walk(parent_id: int | None) -> None:
        for unit_id in children.get(parent_id, ()):
            unit = by_id[unit_id]
            if unit.kind in FILTER_UNIT_KINDS:
                units.append((unit, depth(unit)))
            walk(unit_id)

    walk(None)
    owner_ids = {p.owner_id for p in plans}
    return FilterOptions(
        plans=plans,
        offices=[u for u in all_units if u.pk in owner_ids],
        units=units,
        goal_areas=list(GoalArea.objects.filter(plan__in=plan_ids).order_by("plan", "position")),
        objectives=list(
            Objective.objects.filter(goal_area__plan__in=plan_ids)
            .select_related("goal_area")
            .order_by("goal_area__plan", "goal_area__position", "position")
        ),
        periods=list(
            ReportingPeriod.objects.visible_to(request.user)
            .filter(plan__in=plan_ids)
            .exclude(status=ReportingPeriod.Status.PLANNED)
            .select_related("plan")
            .order_by("-as_of", "kind")
        ),
        children=children,
        user=request.user,
    )


@dataclass(frozen=True)
class Column:
    """A column header; `sort` is the key that sorts by it, empty if it cannot be sorted."""

    label: "StrOrPromise"
    sort: str = ""
    numeric: bool = False


@dataclass(frozen=True)
class HeaderCell:
    column: Column
    next_sort: str
    aria_sort: str


def header(columns: list[Column], current: str) -> list[HeaderCell]:
    """Headers with the sort a click gives (ascending first, then descending) and aria-sort."""
    cells = []
    for column in columns:
        if column.sort and current.lstrip("-") == column.sort:
            descending = current.startswith("-")
            aria = "descending" if descending else "ascending"
            next_sort = column.sort if descending else f"-{column.sort}"
        else:
            aria, next_sort = "", column.sort
        cells.append(HeaderCell(column, next_sort, aria))
    return cells


@dataclass(frozen=True)
class ListSpec:
    """What makes one list: its items, filters, columns and how each column sorts."""

    title: "StrOrPromise"
    caption: "StrOrPromise"
    template: str
    form_class: type[ListFilterForm]
    items: Callable[[HttpRequest], QuerySet]
    filter: Callable[[QuerySet, dict[str, Any], FilterOptions], QuerySet]
    columns: list[Column]
    orderings: dict[str, list[str]]


def selected(options: FilterOptions, data: dict[str, Any]) -> dict[str, Any]:
    """The form's keys turned into the objects they name."""
    plans = {p.key: p for p in options.plans}
    units = {u.code: u for u, _depth in options.units}
    offices = {u.code: u for u in options.offices}
    return {
        "plan": plans.get(data.get("plan") or ""),
        "office": offices.get(data.get("office") or ""),
        "unit": units.get(data.get("unit") or ""),
        "goal_area": data.get("goal_area") or "",
        "objective": data.get("objective") or "",
    }


def common_filters(items: QuerySet, chosen: dict[str, Any]) -> QuerySet:
    """Plan (a board's plan includes its parts), office, goal area (or none: `WHOLE_PLAN`)."""
    plan = chosen["plan"]
    if plan is not None:
        items = items.filter(Q(plan=plan) | Q(plan__parent=plan))
    if chosen["office"] is not None:
        items = items.filter(plan__owner=chosen["office"])
    if chosen["goal_area"] == WHOLE_PLAN:
        items = items.filter(goal_area__isnull=True)
    elif chosen["goal_area"]:
        items = items.filter(goal_area__key=chosen["goal_area"])
    return items


def status_filter(items: QuerySet, data: dict[str, Any], options: FilterOptions) -> QuerySet:
    """Items with the chosen status in the chosen period, or with no report in it, among
    the items whose reports in that period the user may read (`verksam.view_followup`):
    the filter says nothing of reports the user may not read."""
    if not data.get("status"):
        return items
    period = next(p for p in options.periods if p.key == data["period"])
    items = items.filter(pk__in=period.readable_items(items.model, options.user).values("pk"))
    reports = StatusReport.objects.filter(period=period).for_outer_item(items.model)
    if data["status"] == NOT_REPORTED:
        return items.filter(~Exists(reports))
    return items.filter(Exists(reports.filter(status=data["status"])))


def assessment_filter(
    items: QuerySet[Indicator], data: dict[str, Any], options: FilterOptions
) -> QuerySet[Indicator]:
    """Indicators whose outcome in the chosen period is assessed so (the rule's, else a
    controller's by hand: `reporting.assessed_outcomes`, as the overview counts them), or
    with no outcome in it, among the indicators whose outcomes in that period the user may
    read. The period's outcomes of the filtered indicators are read and assessed (two
    queries), since the rule is Python's."""
    if not data.get("assessment"):
        return items
    period = next(p for p in options.periods if p.key == data["period"])
    items = items.filter(pk__in=period.readable_items(Indicator, options.user).values("pk"))
    outcomes = IndicatorOutcome.objects.filter(period=period)
    if data["assessment"] == NO_OUTCOME:
        return items.exclude(pk__in=outcomes.values("indicator"))
    assessed = assessed_outcomes(outcomes.filter(indicator__in=items.values("pk")), period)
    return items.filter(
        pk__in=[o.indicator_id for o, attainment in assessed if attainment == data["assessment"]]
    )


def ordering(spec: ListSpec, sort: str) -> list[OrderBy | str]:
    """The order for `sort` (`-` for descending); empty values last on every database."""
    descending = sort.startswith("-")
    return [
        F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        for name in spec.orderings[sort.lstrip("-")]
    ]


def clean_query(request: HttpRequest) -> str:
    """The query string without empty fields (a submitted form sends every field)."""
    query = request.GET.copy()
    for name in [name for name, values in query.lists() if not any(values)]:
        del query[name]
    return query.urlencode()


def render_list(request: HtmxHttpRequest, spec: ListSpec) -> HttpResponse:
    query = clean_query(request)
    address = f"{request.path}?{query}" if query else request.path
    if query != request.GET.urlencode() and not request.htmx:
        return redirect(address)
    options = filter_options(request)
    form = spec.form_class(request.GET, options=options)
    page: Page | None = None
    sort = request.GET.get("sort", "")
    if sort.lstrip("-") not in spec.orderings:
        sort = ""
    if form.is_valid():
        items = spec.filter(spec.items(request), form.cleaned_data, options)
        order = [*ordering(spec, sort), "pk"] if sort else DEFAULT_ORDER
        paginator = Paginator(items.order_by(*order), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
    context = {
        "title": spec.title,
        "caption": spec.caption,
        "form": form,
        "page": page,
        "sort": sort,
        "header": header(spec.columns, sort),
        "results_template": spec.template,
        "breadcrumbs": [Crumb(_("Home"), reverse("pages:home")), Crumb(spec.title)],
    }
    fragment = request.htmx and not request.htmx.history_restore_request
    template = spec.template if fragment else "pages/item_list.html"
    response = render(request, template, context, status=200 if form.is_valid() else 400)
    if fragment:
        push_url(response, address)
    # The same address answers a whole page or, to htmx, the results only: caches must
    # keep them apart (the back button would otherwise show a bare fragment).
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- Assignments ---------------------------------------------------------------------------


def assignment_items(request: HttpRequest) -> QuerySet[Assignment]:
    return with_readable_reports(
        Assignment.objects.visible_to(request.user)
        .select_related("plan__owner", "goal_area")
        .annotate(action_count=Count("actions", distinct=True)),
        request.user,
    )


def filter_assignments(
    items: QuerySet[Assignment], data: dict[str, Any], options: FilterOptions
) -> QuerySet[Assignment]:
    chosen = selected(options, data)
    items = common_filters(items, chosen)
    if chosen["unit"] is not None:
        units = options.below(chosen["unit"])
        responsible = ActionResponsibility.objects.filter(
            action__assignment=OuterRef("pk"), unit__in=units
        )
        items = items.filter(Q(plan__owner__in=units) | Exists(responsible))
    if chosen["objective"]:
        items = items.filter(
            Exists(Objective.objects.filter(assignments=OuterRef("pk"), key=chosen["objective"]))
        )
    if data.get("kind"):
        items = items.filter(kind=data["kind"])
    if data.get("late"):
        late = Action.objects.late(on=timezone.localdate(), reader=options.user)
        items = items.filter(Exists(late.filter(assignment=OuterRef("pk"))))
    return status_filter(items, data, options)


ASSIGNMENTS = ListSpec(
    title=_("Assignments"),
    caption=_("Assignments matching the filters"),
    template="pages/_assignment_results.html",
    form_class=AssignmentFilterForm,
    items=assignment_items,
    filter=filter_assignments,
    columns=[
        Column(_("Assignment"), "title"),
        Column(_("Kind"), "kind"),
        Column(_("Office"), "office"),
        Column(_("Goal area"), "goal_area"),
        Column(_("Actions"), "actions", numeric=True),
        Column(_("Latest status")),
    ],
    orderings={
        "title": ["title"],
        "kind": ["kind"],
        "office": ["plan__owner__name"],
        "goal_area": ["goal_area__plan__year", "goal_area__position"],
        "actions": ["action_count"],
    },
)


@require_safe
def assignment_list(request: HtmxHttpRequest) -> HttpResponse:
    """Every assignment the user may read, filtered, sorted and a page at a time."""
    return render_list(request, ASSIGNMENTS)


# --- Actions -------------------------------------------------------------------------------


def action_items(request: HttpRequest) -> QuerySet[Action]:
    return with_readable_reports(
        Action.objects.visible_to(request.user)
        .select_related("plan__owner", "goal_area")
        .with_late(on=timezone.localdate(), reader=request.user),
        request.user,
    )


def filter_actions(
    items: QuerySet[Action], data: dict[str, Any], options: FilterOptions
) -> QuerySet[Action]:
    chosen = selected(options, data)
    items = common_filters(items, chosen)
    if chosen["unit"] is not None:
        units = options.below(chosen["unit"])
        responsible = ActionResponsibility.objects.filter(action=OuterRef("pk"), unit__in=units)
        items = items.filter(Q(plan__owner__in=units) | Exists(responsible))
    if chosen["objective"]:
        items = items.filter(objective__key=chosen["objective"])
    if data.get("late"):
        items = items.filter(Q(is_late=True))  # annotated by `action_items`
    return status_filter(items, data, options)


ACTIONS = ListSpec(
    title=_("Actions"),
    caption=_("Actions matching the filters"),
    template="pages/_action_results.html",
    form_class=ActionFilterForm,
    items=action_items,
    filter=filter_actions,
    columns=[
        Column(pgettext_lazy("plan item", "Action"), "text"),
        Column(_("Responsible")),
        Column(_("Office"), "office"),
        Column(_("Goal area"), "goal_area"),
        Column(_("Start date"), "start"),
        Column(_("End date"), "end"),
        Column(_("Latest status")),
    ],
    orderings={
        "text": ["text"],
        "office": ["plan__owner__name"],
        "goal_area": ["goal_area__plan__year", "goal_area__position"],
        "start": ["start_date"],
        "end": ["end_date"],
    },
)


@require_safe
def action_list(request: HtmxHttpRequest) -> HttpResponse:
    """Every action the user may read, filtered (late ones too), sorted and paged."""
    return render_list(request, ACTIONS)


# --- Indicators ----------------------------------------------------------------------------


def indicator_items(request: HttpRequest) -> QuerySet[Indicator]:
    """With the values (the targets) and the outcomes the user may read: each row's latest
    outcome and its assessment."""
    return with_readable_outcomes(
        Indicator.objects.visible_to(request.user)
        .select_related("plan__owner", "goal_area")
        .with_values(),
        request.user,
    )


def filter_indicators(
    items: QuerySet[Indicator], data: dict[str, Any], options: FilterOptions
) -> QuerySet[Indicator]:
    chosen = selected(options, data)
    items = common_filters(items, chosen)
    if chosen["unit"] is not None:
        units = options.below(chosen["unit"])
        responsible = IndicatorResponsibility.objects.filter(
            indicator=OuterRef("pk"), unit__in=units
        )
        items = items.filter(Q(plan__owner__in=units) | Exists(responsible))
    if chosen["objective"]:
        items = items.filter(objective__key=chosen["objective"])
    if data.get("origin"):
        items = items.filter(origin=data["origin"])
    return assessment_filter(items, data, options)


INDICATORS = ListSpec(
    title=_("Indicators"),
    caption=_("Indicators matching the filters"),
    template="pages/_indicator_results.html",
    form_class=IndicatorFilterForm,
    items=indicator_items,
    filter=filter_indicators,
    columns=[
        Column(_("Indicator"), "name"),
        Column(_("Origin"), "origin"),
        Column(_("Responsible")),
        Column(_("Office"), "office"),
        Column(_("Goal area"), "goal_area"),
        Column(_("Latest outcome")),
    ],
    orderings={
        "name": ["name"],
        "origin": ["origin"],
        "office": ["plan__owner__name"],
        "goal_area": ["goal_area__plan__year", "goal_area__position"],
    },
)


@require_safe
def indicator_list(request: HtmxHttpRequest) -> HttpResponse:
    """Every indicator the user may read, filtered, sorted and paged."""
    return render_list(request, INDICATORS)
