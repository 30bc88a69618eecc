"""How each kind of plan content prints, as blocks: action tables, indicator tables, the
plan's texts, governing documents, budget tables, the risk analysis and the
internal-control plan. Where each prints is `plan_document.py`'s business."""

from collections.abc import Iterable

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from verksam.budget.services import HEADING, TOTAL
from verksam.budget.tables import TableView
from verksam.core.prose import figure_below
from verksam.indicators.tables import IndicatorTable
from verksam.plans.models import Action, GoverningDocument, PlanSection
from verksam.reports.blocks import (
    Block,
    date_text,
    footnote,
    heading,
    labelled,
    note,
    paragraph,
    prose,
    table,
)
from verksam.risks.models import InternalControlArea, RiskAnalysis


def action_table(caption: str, actions: Iterable[Action]) -> list[Block]:
    """An actions table as the plan prints it; an action's footnotes are marked at its text
    and printed under the table, numbered."""
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
    notes = [footnote(r, 0, text) for r, a in enumerate(actions) for text in a.notes]
    return [table(caption, columns, rows, widths=[5, 5, 3, 2, 2], footnotes=notes)]


def indicator_table(indicators: IndicatorTable) -> list[Block]:
    """An indicator table (`indicators.tables`, the same as the plan pages): one caption,
    the value columns in their fixed order, who, source and interval; every note numbered
    once and marked at each indicator it belongs to (a note several rows share, a merged
    cell in the seed, has one number), then the legends of gender splits."""
    extras = [
        (_("Responsible"), "responsible_raw", True),
        (_("Source"), "source", indicators.has_source),
        (_("Measurement interval"), "interval", indicators.has_interval),
    ]
    extras = [e for e in extras if e[2]]
    rows = [
        [row.indicator.name, *row.texts, *(getattr(row.indicator, f) for _l, f, _s in extras)]
        for row in indicators.rows
    ]
    columns = [_("Indicator"), *indicators.columns, *(label for label, _f, _s in extras)]
    numeric = [False, *([True] * len(indicators.columns)), *([False] * len(extras))]
    widths = [4, *([1.5] * len(indicators.columns)), *([2] * len(extras))]
    order = {text: index for index, text in enumerate(indicators.all_notes)}
    notes = sorted(
        (
            footnote(r, 0, text)
            for r, row in enumerate(indicators.rows)
            for text in dict.fromkeys(row.indicator.notes)
        ),
        key=lambda entry: (order.get(entry["text"], len(order)), entry["row"]),
    )
    return [
        table(indicators.caption, columns, rows, numeric=numeric, widths=widths, footnotes=notes),
        *(note(legend) for legend in indicators.split_legends),
    ]


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
        if section.kind == PlanSection.Kind.CONCEPTS and (terms := concepts(section)):
            blocks.append(terms)
        else:
            blocks += without_missing_figures(prose(section.body))
        blocks += (attached or {}).get(section.pk, [])
    return blocks


def without_missing_figures(blocks: list[Block]) -> list[Block]:
    """After a paragraph that points at a figure below it ("vilket illustreras i grafen
    nedan"), a note that the figure is not in the data, so that the reader does not look
    for it (the loader reports it as an anomaly, `imports.anomalies`)."""
    result: list[Block] = []
    for block in blocks:
        result.append(block)
        if block["type"] == "paragraph" and (words := figure_below(block["text"])):
            result.append(
                note(
                    _("The figure the text points at («%(words)s») is not in the plan's data.")
                    % {"words": words}
                )
            )
    return result


def concepts(section: PlanSection) -> Block | None:
    """Begrepp: a text of `Term – explanation` paragraphs as the two-column table the seed
    prints (None if a paragraph is not of that form)."""
    rows = []
    for chunk in (c.strip() for c in section.body.split("\n\n")):
        term, dash, explanation = chunk.partition(" – ")
        if not dash or not chunk:
            return None
        rows.append([" ".join(term.split()), " ".join(explanation.split())])
    columns = [_("Concept"), _("Meaning")]
    return table(section.heading or _("Concepts"), columns, rows, widths=[1, 4]) if rows else None


def document_list(documents: Iterable[GoverningDocument]) -> list[Block]:
    """Styrdokument av särskild betydelse: a list per category, its footnotes under it."""
    categories: dict[str, list[GoverningDocument]] = {}
    for document in documents:
        categories.setdefault(document.category, []).append(document)
    blocks: list[Block] = []
    for category, members in categories.items():
        if category:
            blocks.append(paragraph(category, strong=True))
        notes = [footnote(r, 0, text) for r, d in enumerate(members) for text in d.notes]
        items: Block = {"type": "list", "items": [d.title for d in members]}
        blocks.append({**items, "footnotes": notes} if notes else items)
    return blocks


def budget_table(view: TableView, level: int) -> list[Block]:
    """A budget table as the plan prints it: its heading and text before, the table with the
    computed rows computed, a note naming every printed figure that disagrees, the
    footnotes (numbered, marked at the row's label) and the text after. Totals (Netto,
    Summa) stand out."""
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
    strong = [r for r, line in enumerate(view.rows) if line.row.kind == TOTAL]
    notes = [footnote(r, 0, text) for r, line in enumerate(view.rows) for text in line.row.notes]
    blocks.append(
        table(
            budget.title,
            columns,
            rows,
            numeric=numeric,
            widths=widths,
            strong=strong,
            footnotes=notes,
            row_headers=True,
        )
    )
    if view.disagreements:
        blocks.append(note(_("Printed figures that disagree with the computation:")))
        blocks += [note(text) for text in view.disagreements]
    blocks += [note(text) for text in budget.notes]
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
    table (Risk | Kontrollmoment | Metod | Ansvarig | Frekvens | Rapporteras). Areas with
    neither a description nor control points are only named (the seed names the council's
    in the risk analysis), so they make no chapter of their own."""
    areas = [a for a in areas if a.description or a.points.all()]
    if not areas:
        return []
    blocks = [heading(level, _("Internal-control plan"))]
    columns = [
        _("Risk"),
        capfirst(_("control point")),
        _("Method"),
        _("Responsible"),
        _("Frequency"),
        pgettext("internal control", "Reported to"),
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
