"""The plan's pages: plan → goal area → objective, and the pages of an assignment,
an action and an indicator (with their follow-up and history). The plan, goal-area and
objective pages show each item's latest status or outcome and filter by it
(`pages.status_filter`).

Decided and archived plans are public documents that anyone may read; drafts need a
login (`Plan.objects.visible_to`). Every page runs a fixed number of queries however
large the plan is: lists are fetched whole with select_related/prefetch_related and
grouped in Python, never loaded row by row from a template.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from verksam.audit.services import history_for
from verksam.core.dates import Precision, normalise_date
from verksam.core.navigation import Crumb, short
from verksam.core.numbers import number_text
from verksam.core.prose import prose
from verksam.followup.item_followup import (
    outcome_section,
    status_section,
    with_readable_outcomes,
    with_readable_reports,
)
from verksam.indicators.charts import value_chart
from verksam.indicators.models import Indicator, IndicatorResponsibility, IndicatorValue
from verksam.indicators.tables import indicator_tables, under_headings
from verksam.pages.content import OfficeContent, goal_area_content, narrowed, prose_sections
from verksam.pages.navigation import (
    context_crumbs,
    office_parts,
    office_query,
    plan_family,
    selected_office,
)
from verksam.pages.plan_followup import plan_followup
from verksam.pages.status_filter import StateFilter, state_filter
from verksam.planning.authoring import amendments_touching, plan_actions
from verksam.planning.review import item_review, plan_review
from verksam.plans.models import (
    Action,
    ActionResponsibility,
    Assignment,
    CarriedOverAssignment,
    FocusArea,
    GoalArea,
    Objective,
    Plan,
    PlanSection,
)


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
    summaries: dict[int | None, GoalAreaSummary] = {
        ga.pk: GoalAreaSummary(ga, ga.get_absolute_url() + office_query(office))
        for ga in goal_areas
    }
    for model, name in (
        (Assignment, "assignments"),
        (Action, "actions"),
        (Indicator, "indicators"),
    ):
        counted = model.objects.filter(plan__in=plans, goal_area__in=summaries.keys())
        for (_plan_id, area_id), n in counted.count_by_place().items():
            summary = summaries[area_id]
            setattr(summary, name, getattr(summary, name) + n)
    return list(summaries.values())


@require_safe
def plan_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A plan: its facts, prose, goal areas with counts, the follow-up per goal area (or,
    with the status filter, the items in the chosen state); for a board its parts and
    Bilaga 1."""
    visible = Plan.objects.visible_to(request.user)
    plan = get_object_or_404(visible.select_related("owner", "parent__owner"), key=key)
    root = plan.parent or plan
    is_board = plan.parent_id is None
    parts = list(visible.filter(parent=plan).select_related("owner")) if is_board else []
    counted_plans = [plan, *parts]

    sections = prose_sections(
        plan.sections.filter(goal_area__isnull=True, objective__isnull=True).order_by(
            "position", "pk"
        )
    )
    # Every indicator of the plan (and its parts), for the follow-up; its own plan-wide ones
    # print as tables.
    indicators = list(
        with_readable_outcomes(
            Indicator.objects.filter(plan__in=counted_plans)
            .select_related("plan__owner", "goal_area")
            .with_values()
            .in_document_order(),
            request.user,
            every=True,
        )
    )
    attached, other_tables = under_headings(
        indicator_tables(i for i in indicators if i.plan_id == plan.pk and i.goal_area_id is None),
        (p.section.heading for p in sections),
    )
    for text in sections:
        text.indicator_tables = attached.pop(text.section.heading, [])
    documents = list(plan.governing_documents.order_by("position", "pk"))
    holder = next(
        (p for p in sections if p.section.kind == PlanSection.Kind.GOVERNING_DOCUMENTS), None
    )
    if holder is not None:
        holder.documents = documents
        documents = []

    goal_areas = list(
        root.goal_areas.annotate(objective_count=Count("objectives")).order_by("position", "pk")
    )
    summaries = goal_area_summaries(goal_areas, counted_plans, None if is_board else plan)
    chosen = state_filter(request)

    carried_over: dict[GoalArea, list[CarriedOverAssignment]] = {}
    for row in plan.carried_over.select_related("goal_area", "assignment").in_appendix_order():
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
            "actions": plan_actions(request.user, plan),
            "amendments": amendments_touching(plan),
            "review": plan_review(request.user, plan),
            "followup": plan_followup(
                plan, counted_plans, goal_areas, indicators, chosen, request.user
            ),
            "chosen": chosen,
            "show_followup": True,
            "breadcrumbs": [*context_crumbs(plan)[:-1], Crumb(short(plan))],
        },
        status=400 if chosen.form.errors else 200,
    )


def followed_content(
    user: User | AnonymousUser,
    plans: list[Plan],
    goal_area: GoalArea,
    objectives: list[Objective],
    *,
    where: dict[str, Any],
    assignments_where: dict[str, Any],
) -> list[OfficeContent]:
    """The offices' texts and items within a goal area or an objective (`where`; an
    assignment serves several objectives: `assignments_where`), each item with the reports
    and outcomes the visitor may read."""
    assignments = Assignment.objects.filter(plan__in=plans, **assignments_where)
    with_own = with_readable_reports(
        assignments.with_objectives_and_actions().in_document_order(), user
    )
    return goal_area_content(
        plans,
        goal_area,
        objectives,
        sections=PlanSection.objects.filter(plan__in=plans, **where).in_document_order(),
        assignments=with_readable_reports(with_own, user, "actions__status_reports"),
        actions=with_readable_reports(
            Action.objects.filter(plan__in=plans, **where).without_assignment().in_document_order(),
            user,
        ),
        indicators=with_readable_outcomes(
            Indicator.objects.filter(plan__in=plans, **where).with_values().in_document_order(),
            user,
            every=True,
        ),
    )


def shown_content(
    content: list[OfficeContent], chosen: StateFilter, office: Plan | None
) -> list[OfficeContent]:
    """The offices' content as the page shows it: narrowed to the chosen status or
    assessment, if any; offices with nothing here left out unless one office is chosen."""
    if chosen.state:
        content = narrowed(content, item=chosen.keeps_item, indicator=chosen.keeps_indicator)
    return [c for c in content if not c.is_empty or (office and not chosen.state)]


@require_safe
def goalarea_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A goal area: ambition, objectives, and per office everything it does for them."""
    goal_area = get_object_or_404(
        GoalArea.objects.visible_to(request.user).select_related("plan__owner", "plan__parent"),
        key=key,
    )
    objectives = list(goal_area.objectives.order_by("position", "pk"))
    family = plan_family(request.user, goal_area.plan)
    office = selected_office(request, family)
    plans = [office] if office else family
    content = followed_content(
        request.user,
        plans,
        goal_area,
        objectives,
        where={"goal_area": goal_area},
        assignments_where={"goal_area": goal_area},
    )
    chosen = state_filter(request)
    crumbs = context_crumbs(office or goal_area.plan)
    return render(
        request,
        "pages/goalarea_detail.html",
        {
            "review": item_review(request.user, goal_area),
            "goal_area": goal_area,
            "objectives": objectives,
            "amendments": amendments_touching(goal_area.plan, goal_area.key),
            "offices": office_parts(family),
            "office": office,
            "content": shown_content(content, chosen, office),
            "chosen": chosen,
            "show_followup": True,
            "breadcrumbs": [*crumbs, Crumb(short(goal_area))],
        },
        status=400 if chosen.form.errors else 200,
    )


@require_safe
def objective_detail(request: HttpRequest, key: str) -> HttpResponse:
    """One objective: per office its texts, assignments with actions, and indicators."""
    objective = get_object_or_404(
        Objective.objects.filter(
            goal_area__plan__in=Plan.objects.visible_to(request.user)
        ).select_related("goal_area__plan__owner", "goal_area__plan__parent"),
        key=key,
    )
    goal_area = objective.goal_area
    family = plan_family(request.user, goal_area.plan)
    office = selected_office(request, family)
    plans = [office] if office else family
    content = followed_content(
        request.user,
        plans,
        goal_area,
        [objective],
        where={"objective": objective},
        assignments_where={"objectives": objective},
    )
    chosen = state_filter(request)
    crumbs = context_crumbs(office or goal_area.plan, goal_area=goal_area, office=office)
    return render(
        request,
        "pages/objective_detail.html",
        {
            "review": item_review(request.user, objective),
            "objective": objective,
            "goal_area": goal_area,
            "amendments": amendments_touching(goal_area.plan, objective.key),
            "offices": office_parts(family),
            "office": office,
            "content": shown_content(content, chosen, office),
            "chosen": chosen,
            "goal_area_url": goal_area.get_absolute_url() + office_query(office),
            "show_followup": True,
            "breadcrumbs": [*crumbs, Crumb(short(objective))],
        },
        status=400 if chosen.form.errors else 200,
    )


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
        Assignment.objects.visible_to(request.user)
        .select_related("plan__owner", "plan__parent", "goal_area")
        .with_objectives_and_actions()
        .prefetch_related(
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
            "review": item_review(request.user, assignment),
            "assignment": assignment,
            "objectives": objectives,
            "description": prose(assignment.description),
            "office_query": office_query(assignment.plan),
            "followup": status_section(request.user, assignment),
            "amendments": amendments_touching(assignment.plan, assignment.key),
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
        Action.objects.visible_to(request.user)
        .select_related("plan__owner", "plan__parent", "goal_area", "objective", "assignment")
        .with_responsibilities()
        .prefetch_related(focus_areas()),
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
            "review": item_review(request.user, action),
            "action": action,
            "start": start,
            "end": end,
            # The dates as printed and as read, for those who keep the plan right.
            "show_parsed": request.user.has_perm("verksam.edit_plan", action.plan),
            "office_query": office_query(action.plan),
            "followup": status_section(request.user, action),
            "amendments": amendments_touching(action.plan, action.key),
            "changes": history_for(
                request.user,
                action,
                ActionResponsibility.history.filter(action_id=action.pk),
            ),
            "breadcrumbs": [*crumbs, Crumb(short(action))],
        },
    )


def stored_number(number: Decimal | None) -> str:
    """The number verksam read out of a cell, without the database's trailing zeros."""
    return "" if number is None else number_text(number.normalize())


@require_safe
def indicator_detail(request: HttpRequest, key: str) -> HttpResponse:
    """An indicator with its facts and a table of every value: label, kind, year, as printed."""
    indicator = get_object_or_404(
        Indicator.objects.visible_to(request.user)
        .select_related("plan__owner", "plan__parent", "goal_area", "objective")
        .with_values()
        .with_responsibilities(),
        key=key,
    )
    values = [
        {
            "value": value,
            "number": stored_number(value.number),
        }
        for value in indicator.values.all()
    ]
    split_legends = sorted({str(v.split_legend) for v in indicator.values.all() if v.split_labels})
    outcomes = outcome_section(request.user, indicator)
    chart = value_chart(
        indicator, [(o.period.year, o.number, o.display()) for o in outcomes.outcomes]
    )
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
            "review": item_review(request.user, indicator),
            "indicator": indicator,
            "values": values,
            "split_legends": split_legends,
            "chart": chart,
            "outcomes": outcomes,
            "amendments": amendments_touching(indicator.plan, indicator.key),
            "office_query": office_query(indicator.plan),
            "changes": history_for(
                request.user,
                indicator,
                IndicatorValue.history.filter(indicator_id=indicator.pk),
                IndicatorResponsibility.history.filter(indicator_id=indicator.pk),
            ),
            "breadcrumbs": [*crumbs, Crumb(short(indicator))],
        },
    )
