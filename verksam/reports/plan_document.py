"""The verksamhetsplan as plain data: one JSON-able document that the writers render.

`fetch_plan_content` reads a plan, its offices' parts and everything in them with a
fixed number of queries. `plan_document` lays that out in the printed document's order
(the board's common part, each office's part goal area by goal area, Bilaga 1) as a flat
list of blocks (`blocks.py`), each kind of content printed by `plan_sections.py`.
`plan_workbook.py` lays the same content out as one sheet per kind of item. The PDF, Word
and Excel writers only render these structures, so a new section or a new report (the
follow-up) is added here, in one place, and every format prints it.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from verksam.budget.models import BudgetTable
from verksam.budget.tables import TableView, table_view
from verksam.indicators.models import Indicator, IndicatorValue
from verksam.indicators.tables import IndicatorTable, indicator_tables, under_headings
from verksam.organisation.models import OrgUnit
from verksam.plans.arrangement import Place, arrange
from verksam.plans.models import (
    Action,
    Amendment,
    Assignment,
    CarriedOverAssignment,
    GoalArea,
    GoverningDocument,
    Objective,
    Plan,
    PlanQuerySet,
    PlanSection,
)
from verksam.reports.blocks import (
    FORMAT,
    LANGUAGE,
    LANGUAGE_TAG,
    VERSION,
    Block,
    heading,
    identity_fields,
    number_footnotes,
    paragraph,
    prose,
    table,
)
from verksam.reports.plan_sections import (
    action_table,
    budget_table,
    document_list,
    indicator_table,
    internal_control_plan,
    risk_analysis,
    section_blocks,
)
from verksam.risks.models import InternalControlArea, InternalControlPoint, Risk, RiskAnalysis

ORDER = ("position", "pk")


@dataclass
class PlanContent:
    """Everything a plan document prints, fetched in one go."""

    plan: Plan
    parts: list[Plan]
    goal_areas: list[GoalArea]
    sections: list[PlanSection]
    documents: list[GoverningDocument]
    assignments: list[Assignment]
    actions: list[Action]
    indicators: list[Indicator]
    carried_over: list[CarriedOverAssignment]
    budget_tables: list[BudgetTable]
    risk_analyses: list[RiskAnalysis]
    internal_control_areas: list[InternalControlArea]
    amendments: list[Amendment]
    municipalities: list[str]

    @property
    def plans(self) -> list[Plan]:
        """The plan and its parts, in the document's order."""
        return [self.plan, *self.parts]


def fetch_plan_content(plan: Plan, *, visible: PlanQuerySet) -> PlanContent:
    """`plan` with its parts among `visible`, and all their items and the board plan's
    amendments, and the names never to hyphenate (twenty-one queries)."""
    parts = list(visible.filter(parent=plan).select_related("owner").order_by("position", "key"))
    plans = [plan, *parts]
    root = plan.parent or plan
    ordered_objectives = Prefetch("objectives", queryset=Objective.objects.order_by(*ORDER))
    return PlanContent(
        plan=plan,
        parts=parts,
        goal_areas=list(
            GoalArea.objects.filter(plan=root).order_by(*ORDER).prefetch_related(ordered_objectives)
        ),
        sections=list(PlanSection.objects.filter(plan__in=plans).in_document_order()),
        documents=list(GoverningDocument.objects.filter(plan__in=plans).in_document_order()),
        assignments=list(
            Assignment.objects.filter(plan__in=plans)
            .in_document_order()
            .prefetch_related(ordered_objectives)
        ),
        actions=list(Action.objects.filter(plan__in=plans).in_document_order()),
        indicators=list(
            Indicator.objects.filter(plan__in=plans)
            .in_document_order()
            .prefetch_related(Prefetch("values", queryset=IndicatorValue.objects.order_by(*ORDER)))
        ),
        carried_over=list(
            CarriedOverAssignment.objects.filter(plan__in=plans)
            .select_related("goal_area")
            .in_appendix_order()
        ),
        budget_tables=list(
            BudgetTable.objects.filter(plan__in=plans).for_display().in_document_order()
        ),
        risk_analyses=list(
            RiskAnalysis.objects.filter(plan__in=plans)
            .in_document_order()
            .prefetch_related(Prefetch("risks", queryset=Risk.objects.order_by(*ORDER)))
        ),
        internal_control_areas=list(
            InternalControlArea.objects.filter(plan__in=plans)
            .in_document_order()
            .prefetch_related(
                Prefetch("points", queryset=InternalControlPoint.objects.order_by(*ORDER))
            )
        ),
        amendments=list(Amendment.objects.filter(plan=root).order_by("number")),
        municipalities=municipality_names(),
    )


def municipality_names() -> list[str]:
    """The names of the municipality's org units ("Norrtälje kommun"): the documents'
    organisation where none is configured, and its names never hyphenated (one query)."""
    units = OrgUnit.objects.filter(kind=OrgUnit.Kind.MUNICIPALITY).order_by("position", "pk")
    return list(units.values_list("name", flat=True))


# --- The document -------------------------------------------------------------------------


class _Layout:
    """Sorts the fetched items into the places the document prints them."""

    def __init__(self, content: PlanContent) -> None:
        self.content = content
        objectives = [o for g in content.goal_areas for o in g.objectives.all()]
        self.arrangement = arrange(
            objectives,
            sections=content.sections,
            assignments=content.assignments,
            actions=content.actions,
            indicators=content.indicators,
        )
        self.office_indicators: dict[int, list[Indicator]] = {}
        for i in content.indicators:
            self.office_indicators.setdefault(i.plan_id, []).append(i)
        self.budget: dict[int, list[TableView]] = {}
        for budget in content.budget_tables:
            self.budget.setdefault(budget.plan_id, []).append(table_view(budget))
        self.risk_analyses = {a.plan_id: a for a in content.risk_analyses}
        self.internal_control: dict[int, list[InternalControlArea]] = {}
        for area in content.internal_control_areas:
            self.internal_control.setdefault(area.plan_id, []).append(area)

    def items(self, plan: Plan, goal_area: GoalArea, objective: Objective | None) -> list[Block]:
        """What an office does for an objective (or the goal area as a whole)."""
        key = (plan.pk, goal_area.pk, objective.pk if objective else None)
        place = self.arrangement.at(*key)
        blocks: list[Block] = []
        for assignment in place.assignments:
            label = assignment.kind_label or str(assignment.get_kind_display())
            # "(kvarstår från tidigare år)" after the title, as the seed prints it, where the
            # label does not say it already ("Uppdrag från KF (kvarstående):").
            origin = assignment.origin
            after = f"({origin})" if origin and origin not in label else ""
            blocks.append(
                paragraph(
                    assignment.title,
                    f"{label}:",
                    strong=True,
                    after=after,
                    footnotes=list(assignment.notes),
                )
            )
            blocks += prose(assignment.description)
            if actions := self.arrangement.assignment_actions.get(assignment.pk):
                blocks += action_table(_("Actions for the assignment"), actions)
        if actions := place.actions:
            blocks += action_table(_("Actions"), actions)
        for indicators in self.indicator_tables(plan, key):
            blocks += indicator_table(indicators)
        return blocks

    def indicator_tables(self, plan: Plan, place: Place) -> list[IndicatorTable]:
        """The indicator tables of a place, with the columns of the office's tables."""
        office = self.office_indicators.get(plan.pk, [])
        return indicator_tables(self.arrangement.at(*place).indicators, office)

    def goal_area(self, plan: Plan, goal_area: GoalArea, level: int) -> list[Block]:
        """One goal area of an office's part: ambition, objectives, contribution, items."""
        title = _("Goal area %(number)s: %(title)s")
        blocks = [heading(level, title % {"number": goal_area.number, "title": goal_area.title})]
        if goal_area.ambition:
            blocks.append(paragraph(goal_area.ambition, _("Ambition 2030:")))
        objectives = list(goal_area.objectives.all())
        objective_label = _("Objective %(number)s:")
        for objective in objectives:
            blocks.append(
                paragraph(objective.title, objective_label % {"number": objective.number})
            )
        own = self.arrangement.at(plan.pk, goal_area.pk, None).sections
        blocks += section_blocks(own, level + 1)
        blocks += self.items(plan, goal_area, None)
        for objective in objectives:
            sections = self.arrangement.at(plan.pk, goal_area.pk, objective.pk).sections
            items = self.items(plan, goal_area, objective)
            if sections or items:
                number = {"number": objective.number, "title": objective.title}
                blocks.append(heading(level + 1, _("Objective %(number)s: %(title)s") % number))
                blocks += section_blocks(sections, level + 2) + items
        return blocks

    def plan_part(self, plan: Plan, level: int) -> tuple[list[Block], list[Block]]:
        """An office's (or the board's) part: its texts, goal areas, closing texts. Returns
        the part and, where the plan carries over assignments, its appendix."""
        own = self.arrangement.at(plan.pk, None, None).sections
        carried_over = [c for c in self.content.carried_over if c.plan_id == plan.pk]
        appendix: list[Block] = []
        if carried_over:
            # Bilaga 1's heading and introduction are kept as the plan's last text of kind
            # `other`; without one the appendix gets a heading of its own.
            intro = own[-1] if own and own[-1].kind == PlanSection.Kind.OTHER else None
            appendix = self.appendix(intro, carried_over)
            own = [s for s in own if s is not intro]
        goal_area_positions = [
            s.position for s in self.content.sections if s.plan_id == plan.pk and s.goal_area_id
        ]
        # Texts after the first goal area's text (organisation, economy) close the part.
        first = min(goal_area_positions, default=None)
        opening = [s for s in own if first is None or s.position < first]
        closing = [s for s in own if first is not None and s.position >= first]

        # The plan prints a plan-wide table under the text it belongs to ("Arbetsmiljö").
        by_heading, loose = under_headings(
            self.indicator_tables(plan, (plan.pk, None, None)), (s.heading for s in own)
        )
        attached: dict[int, list[Block]] = {}
        for section in own:
            for indicators in by_heading.pop(section.heading, []):
                attached.setdefault(section.pk, []).extend(indicator_table(indicators))
        loose_tables = [b for indicators in loose for b in indicator_table(indicators)]
        documents = [d for d in self.content.documents if d.plan_id == plan.pk]
        holder = next((s for s in own if s.kind == PlanSection.Kind.GOVERNING_DOCUMENTS), None)
        if holder is not None:
            attached.setdefault(holder.pk, []).extend(document_list(documents))
            documents = []

        # The budget prints under the part's closing text headed "Ekonomi" where it has one
        # (its introduction), else under a heading of its own after the goal areas; the
        # risk analysis and the internal-control plan follow it.
        budget = [b for view in self.budget.get(plan.pk, []) for b in budget_table(view, level + 1)]
        economy_text = next((s for s in closing if s.heading == _("Budget")), None)
        if economy_text is None and budget:
            budget.insert(0, heading(level, _("Budget")))
        economy = budget + self.risks(plan, level)
        if economy_text is not None:
            attached.setdefault(economy_text.pk, []).extend(economy)

        blocks = section_blocks(opening, level, attached)
        if loose_tables:
            blocks += [heading(level, _("Indicators")), *loose_tables]
        for goal_area in self.content.goal_areas:
            if self.arrangement.has_goal_area(plan.pk, goal_area.pk):
                blocks += self.goal_area(plan, goal_area, level)
        if economy_text is None:
            blocks += economy
        blocks += section_blocks(closing, level, attached)
        if documents:
            blocks += [heading(level, _("Governing documents")), *document_list(documents)]
        return blocks, appendix

    def risks(self, plan: Plan, level: int) -> list[Block]:
        """The part's risk analysis and internal-control plan."""
        blocks: list[Block] = []
        if analysis := self.risk_analyses.get(plan.pk):
            blocks += risk_analysis(analysis, level)
        if areas := self.internal_control.get(plan.pk):
            blocks += internal_control_plan(areas, level)
        return blocks

    def appendix(self, intro: PlanSection | None, rows: list[CarriedOverAssignment]) -> list[Block]:
        """Bilaga 1: the unfinished assignments of earlier plans, a table per goal area."""
        if intro is not None:
            blocks = section_blocks([intro], 1)
        else:
            blocks = [heading(1, _("Assignments carried over from earlier plans (appendix 1)"))]
        by_goal_area: dict[int, list[CarriedOverAssignment]] = {}
        for row in rows:
            by_goal_area.setdefault(row.goal_area_id, []).append(row)
        for goal_area in self.content.goal_areas:
            if members := by_goal_area.get(goal_area.pk):
                caption = f"{goal_area.number}. {goal_area.title}"
                columns = [_("Assignment"), _("Origin")]
                blocks.append(
                    table(caption, columns, [[r.title, r.origin] for r in members], widths=[6, 1])
                )
        return blocks


def amendment_blocks(amendments: list[Amendment]) -> list[Block]:
    """The amendments of a decided plan: a table of number, decision, reason and the items
    each changed."""
    if not amendments:
        return []
    rows = [
        [
            str(a.number),
            f"{a.decided_on.isoformat()}, {a.decision_reference}",
            a.reason,
            ", ".join(f"{c['key']} ({_(c['change'])})" for c in a.changes),
        ]
        for a in amendments
    ]
    columns = [_("No."), _("Decision"), _("Reason"), _("Items changed")]
    return [
        heading(1, _("Amendments")),
        table(_("Amendments of the decided plan"), columns, rows, widths=[1, 3, 5, 6]),
    ]


def shown(value: Any) -> str:
    """A compared value as text: a list joined, nothing as a dash."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return str(value) if value not in (None, "") else "–"


def changes_blocks(title: str, changes: list[dict[str, Any]]) -> list[Block]:
    """A comparison with another state of the plan (`planning.diff`, as JSON): each item
    added, removed or changed, with its fields before and after."""
    rows = [
        [
            c["kind_label"],
            c["key"],
            c["change_label"],
            "\n".join(
                f"{f['label']}: {shown(f['before'])} → {shown(f['after'])}" for f in c["fields"]
            )
            or c["title"],
        ]
        for c in changes
    ]
    columns = [_("Kind"), _("Id"), _("Change"), _("What changed")]
    body = (
        [table(title, columns, rows, widths=[2, 3, 2, 8])]
        if rows
        else [paragraph(_("No changes."))]
    )
    return [heading(1, title), *body]


def plan_document(
    content: PlanContent, *, changes: tuple[str, list[dict[str, Any]]] | None = None
) -> dict[str, Any]:
    """The plan as a document: cover facts and the blocks in printed order; a draft or a
    plan in review is marked "Utkast" on every page; the amendments close a decided plan.
    `changes`, when asked: a heading and what changed since another state of the plan
    (`planning.diff`), printed as a last section."""
    with translation.override(LANGUAGE):
        plan = content.plan
        layout = _Layout(content)
        blocks, appendix = layout.plan_part(plan, 1 if content.parts else 2)
        if not content.parts:
            # An office's part alone: its title heads the part, as in the board's document.
            blocks = [heading(1, plan.title), *blocks]
        for part in content.parts:
            part_blocks, part_appendix = layout.plan_part(part, 2)
            blocks += [heading(1, part.title), *part_blocks]
            appendix += part_appendix
        blocks += appendix
        blocks += amendment_blocks(content.amendments)
        if changes is not None:
            blocks += changes_blocks(*changes)
        blocks = number_footnotes(blocks)
        facts = [
            [_("Owner"), plan.owner.name],
            [_("Year"), str(plan.year)],
            [_("Horizon"), plan.horizon],
            [_("Status"), str(plan.get_status_display()).capitalize()],
        ]
        root = plan.root
        if root.decided_by:
            facts.append([_("Decided by"), root.decided_by])
        if root.decided_on:
            facts.append([_("Decided on"), root.decided_on.isoformat()])
        if root.decision_reference or plan.decision_reference:
            facts.append(
                [_("Decision reference"), root.decision_reference or plan.decision_reference]
            )
        site = identity_fields(content.municipalities)
        dated = max(
            [d for d in [root.decided_on, *(a.decided_on for a in content.amendments)] if d],
            default=None,
        )
        subject = _("Operational plan and budget %(year)s, %(owner)s (%(status)s)") % {
            "year": plan.year,
            "owner": plan.owner.name,
            "status": str(plan.get_status_display()),
        }
        if content.amendments:
            facts.append([_("Amended"), ", ".join(
                f"{a.decided_on.isoformat()} ({a.decision_reference})" for a in content.amendments
            )])  # fmt: skip
        return {
            "format": FORMAT,
            "version": VERSION,
            "lang": LANGUAGE_TAG,
            "title": plan.title,
            # The municipality and the plan's owner: "Norrtälje kommun, Kommunstyrelsen".
            "author": ", ".join(filter(None, [site["organisation"], plan.owner.name])),
            "subject": subject,
            # The data's date: the decision (or the last amendment); a draft has none.
            "date": dated.isoformat() if dated else None,
            "year": plan.year,
            "facts": facts,
            "labels": {"contents": _("Contents"), "page": _("Page")},
            # Printed on every page of a plan that is not decided.
            "draft_mark": "" if plan.is_locked else str(_("Draft")),
            **site,
            "blocks": blocks,
        }
