"""Browse pages: plan → goal area → objective → assignments, actions and indicators.

Decided and archived plans are public documents that anyone may read; drafts need a
login (`Plan.objects.visible_to`). Every page runs a fixed number of queries however
large the plan is: lists are fetched whole with select_related/prefetch_related and
grouped in Python, never loaded row by row from a template.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from verksam.audit.services import history_for
from verksam.core.dates import Precision, normalise_date
from verksam.core.navigation import Crumb, short
from verksam.core.numbers import format_number, parse_value
from verksam.core.prose import Block, prose
from verksam.followup.models import IndicatorOutcome, ReportingPeriod
from verksam.indicators.charts import value_chart
from verksam.indicators.models import Indicator, IndicatorResponsibility, IndicatorValue
from verksam.plans.models import (
    Action,
    ActionResponsibility,
    Assignment,
    CarriedOverAssignment,
    FocusArea,
    GoalArea,
    GoverningDocument,
    Objective,
    Plan,
    PlanQuerySet,
    PlanSection,
)

PlanItem = TypeVar("PlanItem", Assignment, Action)


# --- Lookups -------------------------------------------------------------------------


def visible_plans(request: HttpRequest) -> PlanQuerySet:
    """Plans the user may read (a draft board plan hides its parts too)."""
    return Plan.objects.visible_to(request.user)


def plan_family(request: HttpRequest, board: Plan) -> list[Plan]:
    """The board's plan and its offices' parts that the user may read, board first."""
    return list(visible_plans(request).family(board).select_related("owner", "parent"))


def office_parts(family: list[Plan]) -> list[Plan]:
    """The plans that the office filter offers: the parts, or the plan itself if it has none."""
    return [p for p in family if p.parent_id is not None] or family


def selected_office(request: HttpRequest, family: list[Plan]) -> Plan | None:
    """The plan named by `?office=CODE` (its owner's code); 404 for a code not in the family."""
    code = request.GET.get("office", "").strip()
    if not code:
        return None
    for plan in family:
        if plan.owner.code.casefold() == code.casefold():
            return plan
    raise Http404(_("No office with the code %(code)s in this plan.") % {"code": code})


def office_query(plan: Plan | None) -> str:
    return f"?office={plan.owner.code}" if plan is not None and plan.parent_id else ""


# --- Page fragments --------------------------------------------------------------------


def context_crumbs(
    plan: Plan,
    *,
    goal_area: GoalArea | None = None,
    objective: Objective | None = None,
    assignment: Assignment | None = None,
    office: Plan | None = None,
) -> list[Crumb]:
    """The way down from home to an item: board plan › office part › goal area › objective
    › assignment. `office` is the part to filter the goal area and objective pages by."""
    crumbs = [Crumb(_("Home"), reverse("pages:home"))]
    if plan.parent is not None:
        crumbs.append(Crumb(short(plan.parent), plan.parent.get_absolute_url()))
    crumbs.append(Crumb(short(plan), plan.get_absolute_url()))
    query = office_query(office)
    if goal_area is not None:
        crumbs.append(Crumb(short(goal_area), goal_area.get_absolute_url() + query))
    if objective is not None:
        crumbs.append(Crumb(short(objective), objective.get_absolute_url() + query))
    if assignment is not None:
        crumbs.append(Crumb(short(assignment), assignment.get_absolute_url()))
    return crumbs


@dataclass
class Prose:
    """A plan section ready to print, with the tables and lists the document prints under it."""

    section: PlanSection
    blocks: list[Block]
    indicator_tables: list["IndicatorTable"] = field(default_factory=list)
    documents: list[GoverningDocument] = field(default_factory=list)


def prose_sections(sections: Iterable[PlanSection]) -> list[Prose]:
    return [Prose(s, prose(s.body)) for s in sections]


@dataclass(frozen=True)
class ValueCell:
    text: str
    is_number: bool = False


def part_text(raw: str) -> str:
    parsed = parse_value(raw)
    if parsed.number is None:
        return parsed.text or raw.strip() or "–"
    return " ".join(filter(None, [format_number(parsed.number), parsed.suffix]))


def value_text(value: IndicatorValue) -> str:
    """A value for people: Swedish number format; a gender split as `K 54 % / M 61 %`."""
    if value.is_split_by_gender:
        # Translators: W and M abbreviate women (girls) and men (boys).
        # Swedish: "K %(women)s / M %(men)s".
        return _("W %(women)s / M %(men)s") % {
            "women": part_text(value.women_raw),
            "men": part_text(value.men_raw),
        }
    return value.display()


def value_cell(value: IndicatorValue | None) -> ValueCell | None:
    if value is None:
        return None
    return ValueCell(value_text(value), is_number=value.number is not None)


@dataclass
class IndicatorRow:
    indicator: Indicator
    cells: list[ValueCell | None]


@dataclass
class IndicatorTable:
    """One printed indicator table: its heading, its value columns in printed order, its rows."""

    caption: str
    columns: list[str]
    rows: list[IndicatorRow]
    has_gender_split: bool = False
    has_source: bool = False
    has_interval: bool = False


def indicator_tables(indicators: Iterable[Indicator]) -> list[IndicatorTable]:
    """Indicators as the plan prints them: a table per printed table heading, with a column
    per value label in the order the labels first appear (labels differ between tables)."""
    grouped: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        grouped.setdefault(indicator.table, []).append(indicator)
    tables = []
    for caption, members in grouped.items():
        columns: list[str] = []
        for indicator in members:
            for value in indicator.values.all():
                if value.label not in columns:
                    columns.append(value.label)
        rows = []
        for indicator in members:
            by_label = {v.label: v for v in indicator.values.all()}
            rows.append(IndicatorRow(indicator, [value_cell(by_label.get(c)) for c in columns]))
        tables.append(
            IndicatorTable(
                caption=caption or _("Indicators"),
                columns=columns,
                rows=rows,
                has_gender_split=any(v.is_split_by_gender for i in members for v in i.values.all()),
                has_source=any(i.source for i in members),
                has_interval=any(i.interval for i in members),
            )
        )
    return tables


def indicators_with_values() -> Prefetch:
    return Prefetch("values", queryset=IndicatorValue.objects.order_by("position", "pk"))


def plan_order(prefix: str = "") -> list[str]:
    """Items of several parts: part by part in the plan's order, then as printed."""
    return [f"{prefix}plan__position", f"{prefix}plan__key", f"{prefix}position", f"{prefix}pk"]


# --- Goal area and objective content ----------------------------------------------------


@dataclass
class AssignmentEntry:
    assignment: Assignment
    description: list[Block]


@dataclass
class ObjectiveGroup:
    """What one office does for one objective, or (objective None) for the goal area as a whole."""

    objective: Objective | None
    sections: list[Prose] = field(default_factory=list)
    assignments: list[AssignmentEntry] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    indicator_tables: list[IndicatorTable] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.sections or self.assignments or self.actions or self.indicators)


@dataclass
class OfficeContent:
    """One office's part of a goal area: its own texts, then objective by objective."""

    plan: Plan
    sections: list[Prose]
    groups: list[ObjectiveGroup]

    @property
    def is_empty(self) -> bool:
        return not self.sections and not self.groups


def goal_area_content(
    plans: list[Plan],
    objectives: list[Objective],
    *,
    sections: Iterable[PlanSection],
    assignments: Iterable[Assignment],
    actions: Iterable[Action],
    indicators: Iterable[Indicator],
) -> list[OfficeContent]:
    """Sort the fetched items into office → objective groups, in the document's order.

    An assignment goes under its first objective; actions without an assignment (tables
    that serve the objective as a whole) and indicators under their objective; anything
    without one of `objectives` under the goal area as a whole.
    """
    objective_ids = {o.pk for o in objectives}
    groups: dict[int, dict[int | None, ObjectiveGroup]] = {
        p.pk: {**{o.pk: ObjectiveGroup(o) for o in objectives}, None: ObjectiveGroup(None)}
        for p in plans
    }
    office_sections: dict[int, list[Prose]] = {p.pk: [] for p in plans}

    def group(plan_id: int, objective_id: int | None) -> ObjectiveGroup:
        return groups[plan_id][objective_id if objective_id in objective_ids else None]

    for section in sections:
        if section.objective_id is None:
            office_sections[section.plan_id].extend(prose_sections([section]))
        else:
            group(section.plan_id, section.objective_id).sections.extend(prose_sections([section]))
    for assignment in assignments:
        linked = [o.pk for o in assignment.objectives.all() if o.pk in objective_ids]
        entry = AssignmentEntry(assignment, prose(assignment.description))
        group(assignment.plan_id, linked[0] if linked else None).assignments.append(entry)
    for action in actions:
        group(action.plan_id, action.objective_id).actions.append(action)
    for indicator in indicators:
        group(indicator.plan_id, indicator.objective_id).indicators.append(indicator)

    content = []
    for plan in plans:
        filled = [g for g in groups[plan.pk].values() if g]
        for g in filled:
            g.indicator_tables = indicator_tables(g.indicators)
        content.append(OfficeContent(plan, office_sections[plan.pk], filled))
    return content


def assignments_for(plans: list[Plan]) -> QuerySet[Assignment]:
    """Assignments with what the lists print of them: objectives and the actions table."""
    return (
        Assignment.objects.filter(plan__in=plans)
        .prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.order_by("position", "pk")),
            Prefetch("actions", queryset=Action.objects.order_by("position", "pk")),
        )
        .order_by(*plan_order())
    )


def indicators_for(plans: list[Plan]) -> QuerySet[Indicator]:
    """Indicators with their values, for the tables."""
    return (
        Indicator.objects.filter(plan__in=plans)
        .prefetch_related(indicators_with_values())
        .order_by(*plan_order())
    )


def sections_for(plans: list[Plan]) -> QuerySet[PlanSection]:
    """Texts of several offices' parts, part by part in the document's order."""
    return PlanSection.objects.filter(plan__in=plans).order_by(*plan_order())


def loose_actions_for(plans: list[Plan]) -> QuerySet[Action]:
    """Actions printed in tables that serve an objective or goal area as a whole."""
    return Action.objects.filter(plan__in=plans, assignment__isnull=True).order_by(*plan_order())


# --- Views ---------------------------------------------------------------------------


@dataclass
class PlanFamily:
    plan: Plan
    parts: list[Plan]


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The plans by year, each board's plan with its offices' parts under it."""
    plans = list(visible_plans(request).select_related("owner"))
    ids = {p.pk for p in plans}
    parts: dict[int, list[Plan]] = {}
    for plan in plans:
        if plan.parent_id in ids:
            parts.setdefault(plan.parent_id, []).append(plan)
    years: dict[int, list[PlanFamily]] = {}
    for plan in plans:
        if plan.parent_id not in ids:
            years.setdefault(plan.year, []).append(PlanFamily(plan, parts.get(plan.pk, [])))
    return render(request, "pages/plan_list.html", {"years": sorted(years.items(), reverse=True)})


@dataclass
class GoalAreaSummary:
    goal_area: GoalArea
    url: str
    assignments: int = 0
    actions: int = 0
    indicators: int = 0


def goal_area_summaries(
    goal_areas: Iterable[GoalArea], plans: list[Plan], office: Plan | None
) -> list[GoalAreaSummary]:
    """Per goal area how many assignments, actions and indicators `plans` hold (three queries)."""
    summaries = {
        ga.pk: GoalAreaSummary(ga, ga.get_absolute_url() + office_query(office))
        for ga in goal_areas
    }
    for model, name in (
        (Assignment, "assignments"),
        (Action, "actions"),
        (Indicator, "indicators"),
    ):
        rows = (
            model.objects.filter(plan__in=plans, goal_area__in=summaries.keys())
            .order_by()
            .values("goal_area")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            setattr(summaries[row["goal_area"]], name, row["n"])
    return list(summaries.values())


@require_safe
def plan_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A plan: its facts, prose, goal areas with counts; for a board its parts and Bilaga 1."""
    plan = get_object_or_404(
        visible_plans(request).select_related("owner", "parent__owner"), key=key
    )
    root = plan.parent or plan
    is_board = plan.parent_id is None
    parts = (
        list(visible_plans(request).filter(parent=plan).select_related("owner")) if is_board else []
    )
    counted_plans = [plan, *parts]

    sections = prose_sections(
        plan.sections.filter(goal_area__isnull=True, objective__isnull=True).order_by(
            "position", "pk"
        )
    )
    # The document prints a plan-wide indicator table under the section it belongs to
    # ("Attraktiv arbetsgivare"); match them by heading, the rest go last.
    tables = indicator_tables(
        plan.indicators.filter(goal_area__isnull=True)
        .prefetch_related(indicators_with_values())
        .order_by("position", "pk")
    )
    by_heading = {p.section.heading: p for p in sections if p.section.heading}
    other_tables = []
    for table in tables:
        if table.caption in by_heading:
            by_heading[table.caption].indicator_tables.append(table)
        else:
            other_tables.append(table)
    documents = list(plan.governing_documents.order_by("position", "pk"))
    holder = next(
        (p for p in sections if p.section.kind == PlanSection.Kind.GOVERNING_DOCUMENTS), None
    )
    if holder is not None:
        holder.documents = documents
        documents = []

    goal_areas = root.goal_areas.annotate(objective_count=Count("objectives")).order_by(
        "position", "pk"
    )
    summaries = goal_area_summaries(goal_areas, counted_plans, None if is_board else plan)

    carried_over: dict[GoalArea, list[CarriedOverAssignment]] = {}
    for row in plan.carried_over.select_related("goal_area", "assignment").order_by(
        "goal_area__position", "position", "pk"
    ):
        carried_over.setdefault(row.goal_area, []).append(row)

    return render(
        request,
        "pages/plan_detail.html",
        {
            "plan": plan,
            "is_board": is_board,
            "parts": parts,
            "sections": sections,
            "other_tables": other_tables,
            "documents": documents,
            "summaries": summaries,
            "carried_over": list(carried_over.items()),
            "breadcrumbs": [*context_crumbs(plan)[:-1], Crumb(short(plan))],
        },
    )


@require_safe
def goalarea_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A goal area: ambition, objectives, and per office everything it does for them."""
    goal_area = get_object_or_404(
        GoalArea.objects.filter(plan__in=visible_plans(request)).select_related(
            "plan__owner", "plan__parent"
        ),
        key=key,
    )
    objectives = list(goal_area.objectives.order_by("position", "pk"))
    family = plan_family(request, goal_area.plan)
    office = selected_office(request, family)
    plans = [office] if office else family
    content = goal_area_content(
        plans,
        objectives,
        sections=sections_for(plans).filter(goal_area=goal_area),
        assignments=assignments_for(plans).filter(goal_area=goal_area),
        actions=loose_actions_for(plans).filter(goal_area=goal_area),
        indicators=indicators_for(plans).filter(goal_area=goal_area),
    )
    crumbs = context_crumbs(office or goal_area.plan)
    return render(
        request,
        "pages/goalarea_detail.html",
        {
            "goal_area": goal_area,
            "objectives": objectives,
            "offices": office_parts(family),
            "office": office,
            "content": [c for c in content if not c.is_empty or office],
            "breadcrumbs": [*crumbs, Crumb(short(goal_area))],
        },
    )


@require_safe
def objective_detail(request: HttpRequest, key: str) -> HttpResponse:
    """One objective: per office its texts, assignments with actions, and indicators."""
    objective = get_object_or_404(
        Objective.objects.filter(goal_area__plan__in=visible_plans(request)).select_related(
            "goal_area__plan__owner", "goal_area__plan__parent"
        ),
        key=key,
    )
    goal_area = objective.goal_area
    family = plan_family(request, goal_area.plan)
    office = selected_office(request, family)
    plans = [office] if office else family
    content = goal_area_content(
        plans,
        [objective],
        sections=sections_for(plans).filter(objective=objective),
        assignments=assignments_for(plans).filter(objectives=objective),
        actions=loose_actions_for(plans).filter(objective=objective),
        indicators=indicators_for(plans).filter(objective=objective),
    )
    crumbs = context_crumbs(office or goal_area.plan, goal_area=goal_area, office=office)
    return render(
        request,
        "pages/objective_detail.html",
        {
            "objective": objective,
            "goal_area": goal_area,
            "offices": office_parts(family),
            "office": office,
            "content": [c for c in content if not c.is_empty or office],
            "goal_area_url": goal_area.get_absolute_url() + office_query(office),
            "breadcrumbs": [*crumbs, Crumb(short(objective))],
        },
    )


def visible_items(request: HttpRequest, model: type[PlanItem]) -> QuerySet[PlanItem]:
    """Items of plans the user may read (an office's readers read their own part of a
    board plan that is still a draft)."""
    return model.objects.filter(plan__in=visible_plans(request))


def focus_areas() -> Prefetch:
    return Prefetch(
        "focus_areas",
        queryset=FocusArea.objects.select_related("strategy").order_by(
            "strategy__position", "position", "pk"
        ),
    )


@require_safe
def assignment_detail(request: HttpRequest, key: str) -> HttpResponse:
    """An assignment with its description, origin, notes and its actions."""
    assignment = get_object_or_404(
        visible_items(request, Assignment)
        .select_related("plan__owner", "plan__parent", "goal_area")
        .prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.order_by("position", "pk")),
            Prefetch("actions", queryset=Action.objects.order_by("position", "pk")),
            Prefetch(
                "carried_over_rows",
                queryset=CarriedOverAssignment.objects.select_related("plan").order_by("position"),
            ),
            focus_areas(),
        ),
        key=key,
    )
    objectives = list(assignment.objectives.all())
    crumbs = context_crumbs(
        assignment.plan,
        goal_area=assignment.goal_area,
        objective=objectives[0] if objectives else None,
        office=assignment.plan,
    )
    return render(
        request,
        "pages/assignment_detail.html",
        {
            "assignment": assignment,
            "objectives": objectives,
            "description": prose(assignment.description),
            "office_query": office_query(assignment.plan),
            "changes": history_for(request.user, assignment),
            "breadcrumbs": [*crumbs, Crumb(short(assignment))],
        },
    )


@dataclass(frozen=True)
class DateCell:
    """A date as printed and as verksam reads it, with what is odd about it."""

    raw: str
    value: date | None
    precision: str
    precision_label: str
    anomalies: tuple[str, ...]


def date_cell(raw: str, value: date | None, precision: str, plan_year: int) -> DateCell:
    """The stored date with its precision, and the remarks the loader made when reading it."""
    return DateCell(
        raw=raw,
        value=value,
        precision=precision,
        precision_label=str(Precision(precision).label),
        anomalies=normalise_date(raw, plan_year=plan_year).anomalies,
    )


@require_safe
def action_detail(request: HttpRequest, key: str) -> HttpResponse:
    """An action: completion criterion, responsible units with roles, dates, notes."""
    action = get_object_or_404(
        visible_items(request, Action)
        .select_related("plan__owner", "plan__parent", "goal_area", "objective", "assignment")
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=ActionResponsibility.objects.select_related("unit").order_by(
                    "position", "pk"
                ),
            ),
            focus_areas(),
        ),
        key=key,
    )
    year = action.plan.year
    start = date_cell(action.start_raw, action.start_date, action.start_precision, year)
    end = date_cell(action.end_raw, action.end_date, action.end_precision, year)
    crumbs = context_crumbs(
        action.plan,
        goal_area=action.goal_area,
        objective=action.objective,
        assignment=action.assignment,
        office=action.plan,
    )
    return render(
        request,
        "pages/action_detail.html",
        {
            "action": action,
            "start": start,
            "end": end,
            "office_query": office_query(action.plan),
            "changes": history_for(
                request.user,
                action,
                ActionResponsibility.history.filter(action_id=action.pk),  # type: ignore[attr-defined]
            ),
            "breadcrumbs": [*crumbs, Crumb(short(action))],
        },
    )


def visible_indicators(request: HttpRequest) -> QuerySet[Indicator]:
    """Indicators of plans the user may read."""
    return Indicator.objects.filter(plan__in=visible_plans(request))


def stored_number(number: Decimal | None) -> str:
    """The number verksam read out of a cell, without the database's trailing zeros."""
    return "" if number is None else format_number(number.normalize())


@require_safe
def indicator_detail(request: HttpRequest, key: str) -> HttpResponse:
    """An indicator with its facts and a table of every value: label, kind, year, as printed."""
    indicator = get_object_or_404(
        visible_indicators(request)
        .select_related("plan__owner", "plan__parent", "goal_area", "objective")
        .prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("position", "pk")),
            Prefetch(
                "responsibilities",
                queryset=IndicatorResponsibility.objects.select_related("unit").order_by(
                    "position", "pk"
                ),
            ),
        ),
        key=key,
    )
    values = [
        {
            "value": value,
            "number": stored_number(value.number),
        }
        for value in indicator.values.all()
    ]
    outcomes = (
        IndicatorOutcome.objects.filter(
            indicator=indicator,
            period__in=ReportingPeriod.objects.with_reports_readable_by(request.user, indicator),
        )
        .select_related("period__plan")
        .order_by("-period__as_of")
    )
    chart = value_chart(indicator, [(o.period.year, o.number, o.display()) for o in outcomes])
    crumbs = context_crumbs(
        indicator.plan,
        goal_area=indicator.goal_area,
        objective=indicator.objective,
        office=indicator.plan,
    )
    return render(
        request,
        "pages/indicator_detail.html",
        {
            "indicator": indicator,
            "values": values,
            "chart": chart,
            "office_query": office_query(indicator.plan),
            "changes": history_for(
                request.user,
                indicator,
                IndicatorValue.history.filter(indicator_id=indicator.pk),  # type: ignore[attr-defined]
                IndicatorResponsibility.history.filter(indicator_id=indicator.pk),  # type: ignore[attr-defined]
            ),
            "breadcrumbs": [*crumbs, Crumb(short(indicator))],
        },
    )
