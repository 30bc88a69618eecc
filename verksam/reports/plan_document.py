"""The verksamhetsplan as plain data: one JSON-able document that the writers render.

`fetch_plan_content` reads a plan, its offices' parts and everything in them with a
fixed number of queries. `plan_document` lays that out in the printed document's order
(the board's common part, each office's part goal area by goal area, Bilaga 1) as a flat
list of blocks: headings, paragraphs, lists, notes and tables. `plan_workbook` lays the
same content out as one sheet per kind of item. The PDF, Word and Excel writers only
render these structures, so a new section or a new report (the follow-up) is added
here, in one place, and every format prints it.

Everything is text as stored: the writers never interpret it as markup.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Field, Model, Prefetch
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from verksam.budget.models import BudgetCell, BudgetTable
from verksam.budget.services import HEADING, Figure
from verksam.budget.tables import TableView, table_view
from verksam.core.dates import Precision
from verksam.core.numbers import format_number, parse_value
from verksam.indicators.models import Indicator, IndicatorValue
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
from verksam.risks.models import InternalControlArea, InternalControlPoint, Risk, RiskAnalysis

FORMAT = "verksam-plan-document"
VERSION = 1
LANGUAGE = "sv"
LANGUAGE_TAG = "sv-SE"  # what the document declares (the PDF template sets the same)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
BULLET = "•"
ORDER = ("position", "pk")

Block = dict[str, Any]
Place = tuple[int, int | None, int | None]  # plan, goal area, objective (pks)


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

    @property
    def plans(self) -> list[Plan]:
        """The plan and its parts, in the document's order."""
        return [self.plan, *self.parts]


def fetch_plan_content(plan: Plan, *, visible: PlanQuerySet) -> PlanContent:
    """`plan` with its parts among `visible`, and all their items and the board plan's
    amendments (twenty queries)."""
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
    )


# --- Cell texts ---------------------------------------------------------------------------


def date_text(raw: str, value: date | None, precision: str) -> str:
    """A clean date in ISO form (to the day or month it names), otherwise the cell as printed."""
    if value is not None and precision == Precision.DAY:
        return value.isoformat()
    if value is not None and precision == Precision.MONTH:
        return value.isoformat()[:7]
    return raw.strip()


def part_text(raw: str) -> str:
    """One printed value in Swedish format (`3,0 %`, `-152 445`), or its text."""
    parsed = parse_value(raw)
    if parsed.number is None:
        return parsed.text or raw.strip()
    return " ".join(filter(None, [format_number(parsed.number), parsed.suffix]))


# --- Blocks -------------------------------------------------------------------------------


def heading(level: int, text: str) -> Block:
    return {"type": "heading", "level": level, "text": text}


def paragraph(text: str, label: str = "", *, strong: bool = False) -> Block:
    """A paragraph; `label` is printed in bold before the text ("Uppdrag från KF:")."""
    return {"type": "paragraph", "label": label, "text": text, "strong": strong}


def note(text: str) -> Block:
    """A footnote or remark, printed small under what it belongs to."""
    return {"type": "note", "text": text}


def table(caption: str, columns: list[str], rows: list[list[str]], **layout: Any) -> Block:
    """A table with one header row. `numeric` marks right-aligned columns; `widths` are
    relative column widths."""
    return {
        "type": "table",
        "caption": caption,
        "columns": columns,
        "rows": rows,
        "numeric": layout.get("numeric", [False] * len(columns)),
        "widths": layout.get("widths", [1] * len(columns)),
    }


def prose(text: str) -> list[Block]:
    """A stored text as paragraphs and lists (paragraphs are separated by an empty line,
    bullet items start with `• `)."""
    blocks: list[Block] = []
    for chunk in PARAGRAPH_BREAK.split(text.strip()):
        for line in (line.strip() for line in chunk.splitlines()):
            if not line:
                continue
            if line.startswith(BULLET):
                item = line.removeprefix(BULLET).strip()
                if blocks and blocks[-1]["type"] == "list":
                    blocks[-1]["items"].append(item)
                else:
                    blocks.append({"type": "list", "items": [item]})
            else:
                blocks.append(paragraph(line))
    return blocks


def action_table(caption: str, actions: Iterable[Action]) -> list[Block]:
    """An actions table as the plan prints it, with the actions' footnotes under it."""
    rows = [
        [
            a.text,
            a.completion_criterion,
            a.responsible_raw,
            date_text(a.start_raw, a.start_date, a.start_precision),
            date_text(a.end_raw, a.end_date, a.end_precision),
        ]
        for a in actions
    ]
    columns = [
        pgettext("plan item", "Action"),
        _("What must happen for the action to count as completed"),
        _("Responsible"),
        _("Start date"),
        _("End date"),
    ]
    notes = [note(text) for a in actions for text in a.notes]
    return [table(caption, columns, rows, widths=[5, 5, 3, 2, 2]), *notes]


def indicator_tables(indicators: Iterable[Indicator]) -> dict[str, list[Block]]:
    """Indicator tables by printed table heading: a column per value label, in the order
    the labels first appear (labels differ between tables), then who, source and interval."""
    grouped: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        grouped.setdefault(indicator.table, []).append(indicator)
    tables = {}
    for caption, members in grouped.items():
        labels: list[str] = []
        for indicator in members:
            labels += [v.label for v in indicator.values.all() if v.label not in labels]
        extras = [
            (_("Responsible"), "responsible_raw", True),
            (_("Source"), "source", any(i.source for i in members)),
            (_("Measurement interval"), "interval", any(i.interval for i in members)),
        ]
        extras = [e for e in extras if e[2]]
        rows = []
        for indicator in members:
            by_label = {v.label: v.display() for v in indicator.values.all()}
            rows.append(
                [
                    indicator.name,
                    *(by_label.get(label, "") for label in labels),
                    *(getattr(indicator, field) for _label, field, _shown in extras),
                ]
            )
        columns = [caption or _("Indicator"), *labels, *(label for label, _f, _s in extras)]
        numeric = [False, *([True] * len(labels)), *([False] * len(extras))]
        widths = [4, *([1.5] * len(labels)), *([2] * len(extras))]
        notes = [note(text) for i in members for text in i.notes]
        tables[caption] = [
            table(caption or _("Indicators"), columns, rows, numeric=numeric, widths=widths),
            *notes,
        ]
    return tables


def section_blocks(
    sections: Iterable[PlanSection], level: int, attached: dict[int, list[Block]] | None = None
) -> list[Block]:
    """Sections with their heading at `level`. A section of the same kind as the one before
    it is printed as its subsection (Kommunen som arbetsgivare › Attraktiv arbetsgivare)."""
    blocks: list[Block] = []
    previous = ""
    for section in sections:
        nested = section.kind == previous and section.kind != PlanSection.Kind.OTHER
        if section.heading:
            blocks.append(heading(level + 1 if nested else level, section.heading))
            previous = section.kind if not nested else previous
        blocks += prose(section.body)
        blocks += (attached or {}).get(section.pk, [])
    return blocks


def document_list(documents: Iterable[GoverningDocument]) -> list[Block]:
    """Styrdokument av särskild betydelse: a list per category, its footnotes under it."""
    categories: dict[str, list[GoverningDocument]] = {}
    for document in documents:
        categories.setdefault(document.category, []).append(document)
    blocks: list[Block] = []
    for category, members in categories.items():
        if category:
            blocks.append(paragraph(category, strong=True))
        blocks.append({"type": "list", "items": [d.title for d in members]})
        blocks += [note(text) for d in members for text in d.notes]
    return blocks


def labelled(text: str, label: str) -> list[Block]:
    """A stored text as `prose` with `label` in bold before its first paragraph."""
    blocks = prose(text)
    if blocks and blocks[0]["type"] == "paragraph":
        blocks[0]["label"] = label
    elif label:
        blocks.insert(0, paragraph("", label))
    return blocks


def budget_table(view: TableView, level: int) -> list[Block]:
    """A budget table as the plan prints it: its heading and text before, the table with the
    computed rows computed, a note naming every printed figure that disagrees, the
    footnotes and the text after."""
    budget = view.table
    blocks = [heading(level, budget.heading)] if budget.heading else []
    blocks += prose(budget.intro)
    rows = [
        [line.row.label, *("" if line.row.kind == HEADING else f.display() for f in line.figures)]
        for line in view.rows
    ]
    columns = [budget.title, *(c.label for c in view.columns)]
    numeric = [False, *([True] * len(view.columns))]
    widths = [4, *([1.5] * len(view.columns))]
    blocks.append(table(budget.title, columns, rows, numeric=numeric, widths=widths))
    if view.disagreements:
        blocks.append(note(_("Printed figures that disagree with the computation:")))
        blocks += [note(text) for text in view.disagreements]
    blocks += [note(text) for text in budget.notes]
    blocks += [note(f"{line.row.label}: {text}") for line in view.rows for text in line.row.notes]
    blocks += prose(budget.commentary)
    return blocks


def risk_analysis(analysis: RiskAnalysis, level: int) -> list[Block]:
    """Riskanalys: the introduction, then each risk (its title in bold where it has one)
    with its measures and, where given, its valuation."""
    blocks = [heading(level, analysis.heading), *prose(analysis.intro)]
    for risk in analysis.risks.all():
        blocks += labelled(risk.description, risk.title or (_("Risk:") if risk.measures else ""))
        if risk.measures:
            blocks += labelled(risk.measures, risk.measures_label or _("Measures:"))
        if risk.value is not None:
            valuation = _(
                "Probability %(probability)s, consequence %(consequence)s, risk value %(value)s"
            )
            values = {"probability": risk.probability, "consequence": risk.consequence}
            blocks.append(note(valuation % {**values, "value": risk.value}))
    return blocks


def internal_control_plan(areas: Iterable[InternalControlArea], level: int) -> list[Block]:
    """Internkontrollplan: each area with where it comes from, and its control points as a
    table (Risk | Kontrollmoment | Metod | Ansvarig | Frekvens | Rapporteras)."""
    blocks = [heading(level, _("Internal-control plan"))]
    columns = [
        _("Risk"),
        capfirst(_("control point")),
        _("Method"),
        _("Responsible"),
        _("Frequency"),
        _("Reported"),
    ]
    for area in areas:
        origin = _("Internal-control area from the %(origin)s:")
        blocks += labelled(area.title, origin % {"origin": area.get_origin_display()})
        blocks += prose(area.description)
        if points := list(area.points.all()):
            rows = [
                [p.risk, p.control, p.method, p.responsible_raw, p.frequency, p.reporting]
                for p in points
            ]
            caption = _("Control points: %(area)s") % {"area": area.title}
            blocks.append(table(caption, columns, rows, widths=[3, 3, 2, 2, 1.5, 1.5]))
    return blocks


# --- The document -------------------------------------------------------------------------


class _Layout:
    """Sorts the fetched items into the places the document prints them."""

    def __init__(self, content: PlanContent) -> None:
        self.content = content
        self.sections: dict[Place, list[PlanSection]] = {}
        for s in content.sections:
            self.sections.setdefault((s.plan_id, s.goal_area_id, s.objective_id), []).append(s)
        self.assignments: dict[Place, list[Assignment]] = {}
        for a in content.assignments:
            # Printed under its first objective of its goal area, else under the goal area.
            objectives = [o.pk for o in a.objectives.all() if o.goal_area_id == a.goal_area_id]
            place: Place = (a.plan_id, a.goal_area_id, objectives[0] if objectives else None)
            self.assignments.setdefault(place, []).append(a)
        self.assignment_actions: dict[int, list[Action]] = {}
        self.loose_actions: dict[Place, list[Action]] = {}
        for action in content.actions:
            if action.assignment_id is not None:
                self.assignment_actions.setdefault(action.assignment_id, []).append(action)
            else:
                place = (action.plan_id, action.goal_area_id, action.objective_id)
                self.loose_actions.setdefault(place, []).append(action)
        self.indicators: dict[Place, list[Indicator]] = {}
        for i in content.indicators:
            place = (i.plan_id, i.goal_area_id, i.objective_id if i.goal_area_id else None)
            self.indicators.setdefault(place, []).append(i)
        self.budget: dict[int, list[TableView]] = {}
        for budget in content.budget_tables:
            self.budget.setdefault(budget.plan_id, []).append(table_view(budget))
        self.risk_analyses = {a.plan_id: a for a in content.risk_analyses}
        self.internal_control: dict[int, list[InternalControlArea]] = {}
        for area in content.internal_control_areas:
            self.internal_control.setdefault(area.plan_id, []).append(area)
        # The (plan, goal area) pairs with anything to print.
        self.filled = {
            key[:2]
            for items in (self.sections, self.assignments, self.loose_actions, self.indicators)
            for key in items
        }

    def items(self, plan: Plan, goal_area: GoalArea, objective: Objective | None) -> list[Block]:
        """What an office does for an objective (or the goal area as a whole)."""
        key = (plan.pk, goal_area.pk, objective.pk if objective else None)
        blocks: list[Block] = []
        for assignment in self.assignments.get(key, []):
            label = assignment.kind_label or str(assignment.get_kind_display())
            blocks.append(paragraph(assignment.title, f"{label}:", strong=True))
            blocks += prose(assignment.description)
            blocks += [note(text) for text in assignment.notes]
            if actions := self.assignment_actions.get(assignment.pk):
                blocks += action_table(_("Actions for the assignment"), actions)
        if actions := self.loose_actions.get(key):
            blocks += action_table(_("Actions"), actions)
        for tables in indicator_tables(self.indicators.get(key, [])).values():
            blocks += tables
        return blocks

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
        blocks += section_blocks(self.sections.get((plan.pk, goal_area.pk, None), []), level + 1)
        blocks += self.items(plan, goal_area, None)
        for objective in objectives:
            sections = self.sections.get((plan.pk, goal_area.pk, objective.pk), [])
            items = self.items(plan, goal_area, objective)
            if sections or items:
                number = {"number": objective.number, "title": objective.title}
                blocks.append(heading(level + 1, _("Objective %(number)s: %(title)s") % number))
                blocks += section_blocks(sections, level + 2) + items
        return blocks

    def plan_part(self, plan: Plan, level: int) -> tuple[list[Block], list[Block]]:
        """An office's (or the board's) part: its texts, goal areas, closing texts. Returns
        the part and, where the plan carries over assignments, its appendix."""
        own = self.sections.get((plan.pk, None, None), [])
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

        attached: dict[int, list[Block]] = {}
        by_heading = {s.heading: s for s in own if s.heading}
        loose_tables = []
        for caption, tables in indicator_tables(
            self.indicators.get((plan.pk, None, None), [])
        ).items():
            # The plan prints a plan-wide table under the text it belongs to ("Arbetsmiljö").
            if caption in by_heading:
                attached.setdefault(by_heading[caption].pk, []).extend(tables)
            else:
                loose_tables += tables
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
            if (plan.pk, goal_area.pk) in self.filled:
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
        if content.amendments:
            facts.append([_("Amended"), ", ".join(
                f"{a.decided_on.isoformat()} ({a.decision_reference})" for a in content.amendments
            )])  # fmt: skip
        return {
            "format": FORMAT,
            "version": VERSION,
            "lang": LANGUAGE_TAG,
            "title": plan.title,
            "author": plan.owner.name,
            "year": plan.year,
            "facts": facts,
            "labels": {"contents": _("Contents"), "page": _("Page")},
            # Printed on every page of a plan that is not decided.
            "draft_mark": "" if plan.is_locked else str(_("Draft")),
            "blocks": blocks,
        }


# --- The workbook -------------------------------------------------------------------------


def number(raw: str) -> dict[str, str] | None:
    """The number in a printed cell for a `number` column: the decimal as a string (no
    float rounding, the printed decimals kept) and `%` where it is a percentage."""
    parsed = parse_value(raw)
    if parsed.number is None:
        return None
    return {"value": format(parsed.number, "f"), "unit": "%" if parsed.suffix == "%" else ""}


def figure_number(figure: Figure) -> dict[str, str] | None:
    """A computed figure for a `number` column, with as many decimals as printed."""
    if figure.rounded is None:
        return None
    return {"value": format(figure.rounded, "f"), "unit": "%" if figure.is_percent else ""}


def field_label(
    model: type[Model], name: str, width: int = 14, kind: str = "text"
) -> dict[str, Any]:
    """A workbook column headed by a model field's name ("Metod", "Sannolikhet (1–4)")."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # a column of the model, not a relation's reverse side
    return {"label": capfirst(str(field.verbose_name)), "kind": kind, "width": width}


def internal_control_rows(
    areas: Iterable[InternalControlArea], owners: dict[int, str]
) -> list[list[str]]:
    """One row per control point; an area without points gets a row of its own."""
    rows: list[list[str]] = []
    for area in areas:
        head = [area.key, owners[area.plan_id], area.title, str(area.get_origin_display())]
        points = [
            [p.key, p.risk, p.control, p.method, p.responsible_raw, p.frequency, p.reporting]
            for p in area.points.all()
        ]
        rows += [head + point for point in points or [[""] * 7]]
    return rows


def plan_workbook(content: PlanContent) -> dict[str, Any]:
    """Every item of the plan as rows, one sheet per kind. Column kinds tell the writer how
    to store a cell: `text`, `int`, `number` (see `number`) or `date` (ISO)."""
    with translation.override(LANGUAGE):
        owners = {p.pk: p.owner.code for p in content.plans}
        plan_keys = {p.pk: p.key for p in content.plans}
        budget_rows = [
            (budget, line.row, column, figure)
            for budget in content.budget_tables
            for line in table_view(budget).rows
            if line.row.kind != HEADING
            for column, figure in zip(budget.columns.all(), line.figures, strict=True)
            if figure.printed is not None or figure.computed is not None
        ]
        printed = {
            (cell.row_id, cell.column_id): cell.raw
            for budget in content.budget_tables
            for row in budget.rows.all()
            for cell in row.cells.all()
        }
        goal_areas = {g.pk: g for g in content.goal_areas}
        objectives = {o.pk: o for g in content.goal_areas for o in g.objectives.all()}
        assignments = {a.pk: a for a in content.assignments}

        def area(pk: int | None) -> str:
            return goal_areas[pk].number if pk in goal_areas else ""

        def objective(pk: int | None) -> str:
            return objectives[pk].number if pk in objectives else ""

        def col(label: str, kind: str = "text", width: int = 14) -> dict[str, Any]:
            return {"label": label, "kind": kind, "width": width}

        sheets: list[dict[str, Any]] = [
            {
                "title": _("Assignments"),
                "columns": [
                    col(_("Id"), width=22),
                    col(_("Office")),
                    col(_("Goal area"), width=8),
                    col(_("Objectives"), width=10),
                    col(_("Kind"), width=22),
                    col(_("Assignment"), width=60),
                    col(_("Description"), width=60),
                    col(_("Origin")),
                    col(_("Notes"), width=40),
                ],
                "rows": [
                    [
                        a.key,
                        owners[a.plan_id],
                        area(a.goal_area_id),
                        ", ".join(o.number for o in a.objectives.all()),
                        a.kind_label or str(a.get_kind_display()),
                        a.title,
                        a.description,
                        a.origin,
                        "\n".join(a.notes),
                    ]
                    for a in content.assignments
                ],
            },
            {
                "title": _("Actions"),
                "columns": [
                    col(_("Id"), width=24),
                    col(_("Office")),
                    col(_("Goal area"), width=8),
                    col(_("Objective"), width=8),
                    col(_("Assignment id"), width=22),
                    col(pgettext("plan item", "Action"), width=60),
                    col(_("What must happen for the action to count as completed"), width=50),
                    col(_("Responsible"), width=24),
                    col(_("Start as printed")),
                    col(_("Start"), "date", 12),
                    col(_("End as printed")),
                    col(_("End"), "date", 12),
                    col(_("Notes"), width=40),
                ],
                "rows": [
                    [
                        a.key,
                        owners[a.plan_id],
                        area(a.goal_area_id),
                        objective(a.objective_id),
                        assignments[a.assignment_id].key if a.assignment_id in assignments else "",
                        a.text,
                        a.completion_criterion,
                        a.responsible_raw,
                        a.start_raw,
                        a.start_date.isoformat() if a.start_date else None,
                        a.end_raw,
                        a.end_date.isoformat() if a.end_date else None,
                        "\n".join(a.notes),
                    ]
                    for a in content.actions
                ],
            },
            {
                "title": _("Indicators"),
                "columns": [
                    col(_("Id"), width=24),
                    col(_("Office")),
                    col(_("Goal area"), width=8),
                    col(_("Objective"), width=8),
                    col(_("Table"), width=30),
                    col(_("Indicator"), width=50),
                    col(_("Origin")),
                    col(_("Unit")),
                    col(_("Responsible"), width=20),
                    col(_("Source"), width=20),
                    col(_("Measurement interval")),
                    col(_("Notes"), width=40),
                ],
                "rows": [
                    [
                        i.key,
                        owners[i.plan_id],
                        area(i.goal_area_id),
                        objective(i.objective_id),
                        i.table,
                        i.name,
                        str(i.get_origin_display()),
                        i.unit,
                        i.responsible_raw,
                        i.source,
                        i.interval,
                        "\n".join(i.notes),
                    ]
                    for i in content.indicators
                ],
            },
            {
                "title": _("Indicator values"),
                "columns": [
                    col(_("Indicator id"), width=24),
                    col(_("Indicator"), width=50),
                    col(_("Column as printed"), width=24),
                    col(_("Kind")),
                    col(_("Year"), "int", 8),
                    col(_("Value as printed")),
                    col(_("Number"), "number"),
                    col(_("Printed after the number"), width=10),
                    col(_("Split by gender, labels as printed"), width=10),
                    col(_("Female part"), "number"),
                    col(_("Male part"), "number"),
                ],
                "rows": [
                    [
                        i.key,
                        i.name,
                        v.label,
                        str(v.get_kind_display()),
                        v.year,
                        v.raw,
                        number(v.raw),
                        v.suffix,
                        v.split_labels,
                        number(v.women_raw),
                        number(v.men_raw),
                    ]
                    for i in content.indicators
                    for v in i.values.all()
                ],
            },
            {
                "title": _("Carried over"),
                "columns": [
                    col(_("Id"), width=18),
                    col(_("Goal area"), width=8),
                    col(_("Assignment"), width=70),
                    col(_("Origin")),
                    col(_("Same assignment in this plan"), width=22),
                ],
                "rows": [
                    [
                        c.key,
                        area(c.goal_area_id),
                        c.title,
                        c.origin,
                        assignments[c.assignment_id].key if c.assignment_id in assignments else "",
                    ]
                    for c in content.carried_over
                ],
            },
            {
                "title": _("Budget figures"),
                "columns": [
                    col(_("Plan"), width=12),
                    col(_("Table"), width=36),
                    col(_("Row"), width=30),
                    col(_("Column as printed")),
                    col(_("Kind")),
                    col(_("Year"), "int", 8),
                    field_label(BudgetCell, "raw"),
                    col(_("Number"), "number"),
                    col(_("Computed figure"), "number"),
                ],
                "rows": [
                    [
                        plan_keys[budget.plan_id],
                        budget.title,
                        row.label,
                        column.label,
                        str(column.get_kind_display()),
                        column.year,
                        printed.get((row.pk, column.pk), ""),
                        number(printed.get((row.pk, column.pk), "")),
                        figure_number(figure) if row.is_computed else None,
                    ]
                    for budget, row, column, figure in budget_rows
                ],
            },
            {
                "title": _("Risks"),
                "columns": [
                    col(_("Id"), width=18),
                    col(_("Office")),
                    field_label(Risk, "title", 30),
                    field_label(Risk, "description", 60),
                    field_label(Risk, "measures_label"),
                    field_label(Risk, "measures", 50),
                    field_label(Risk, "probability", 10, "int"),
                    field_label(Risk, "consequence", 10, "int"),
                    col(_("Risk value"), "int", 10),
                ],
                "rows": [
                    [
                        r.key,
                        owners[a.plan_id],
                        r.title,
                        r.description,
                        r.measures_label,
                        r.measures,
                        r.probability,
                        r.consequence,
                        r.value,
                    ]
                    for a in content.risk_analyses
                    for r in a.risks.all()
                ],
            },
            {
                "title": _("Internal control"),
                "columns": [
                    col(_("Id"), width=18),
                    col(_("Office")),
                    field_label(InternalControlArea, "title", 36),
                    field_label(InternalControlArea, "origin"),
                    col(_("Control point id"), width=18),
                    field_label(InternalControlPoint, "risk", 36),
                    field_label(InternalControlPoint, "control", 36),
                    field_label(InternalControlPoint, "method", 24),
                    field_label(InternalControlPoint, "responsible_raw", 20),
                    field_label(InternalControlPoint, "frequency"),
                    field_label(InternalControlPoint, "reporting"),
                ],
                "rows": internal_control_rows(content.internal_control_areas, owners),
            },
        ]
        return {"title": content.plan.title, "sheets": [s for s in sheets if s["rows"]]}
