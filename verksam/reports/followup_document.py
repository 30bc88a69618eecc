"""The follow-up report (månadsrapport, delårsrapport, årsredovisning) as plain data.

Both documents are made from the period's snapshot data (`followup.reporting.snapshot_data`):
a closed period's latest `Snapshot`, frozen when it was closed, so that its report is
the same every time whatever is edited later; an open period's data computed live.
`followup_document` lays it out as the same blocks as the plan document (plus `chart`),
`followup_workbook` as sheets, and the plan document's writers render them.

The economy section and sheet (outcome, forecast, deviation) are added by `formats.py`
from `economy_document.py`: a closed period's from its snapshot, an open period's live.
"""

import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from verksam.core.numbers import number_text, parse_value, value_text
from verksam.followup.item_followup import NOT_REPORTED
from verksam.followup.models import Attainment, ReportingPeriod, StatusChoice
from verksam.followup.reporting import readable_data, snapshot_data
from verksam.reports.blocks import (
    FORMAT,
    LANGUAGE,
    LANGUAGE_TAG,
    VERSION,
    Block,
    heading,
    identity_fields,
    note,
    number,
    paragraph,
    table,
)
from verksam.reports.plan_document import municipality_names

# The chart's scale: at least to 150 % of the target; an outcome beyond 300 % of its target
# is drawn at the end of the scale (its figure is printed beside it).
CHART_MIN_TOP = Decimal("1.5")
CHART_MAX_TOP = Decimal(3)


def joined(parts: list[str]) -> str:
    """`a, b och c` in the document's language."""
    if len(parts) < 2:
        return "".join(parts)
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


@dataclass(frozen=True)
class FollowUpData:
    """What a follow-up report prints: snapshot data, and the snapshot it comes from
    (None for an open period's live data)."""

    data: dict[str, Any]
    status: str
    snapshot: int | None
    owner: str | None = None
    economy: dict[str, Any] | None = None  # as the snapshot froze it (older ones hold none)
    municipalities: tuple[str, ...] = ()  # the municipality's org units' names


def fetch_followup_data(
    period: ReportingPeriod,
    *,
    owner: str | None = None,
    reader: User | AnonymousUser | None = None,
) -> FollowUpData:
    """A closed period's latest snapshot, else the period's reports as they are now.
    `owner` (an office's code) keeps that office's items only; `reader` keeps what that
    person may read of the round (`followup.reporting.readable_data`; None: the operator's
    command, everything)."""
    data, number = None, None
    if period.is_closed:
        snapshot = period.snapshots.order_by("-number").first()
        if snapshot is not None:
            data, number = snapshot.data, snapshot.number
    if data is None:
        data = snapshot_data(period)
    economy = data.get("economy")
    if reader is not None:
        data = readable_data(period, data, reader)
    return FollowUpData(data, period.status, number, owner, economy, tuple(municipality_names()))


def light(attainment: str | None) -> str:
    """An attainment as symbol and words: `◐ Delvis uppfyllt`."""
    value = Attainment(attainment or Attainment.UNKNOWN)
    return f"{value.symbol} {capfirst(str(value.label))}"


def period_title(period: dict[str, Any]) -> str:
    """E.g. `Delårsrapport 1 (per 30 april) 2022-04-30`, in the document's language."""
    label = ReportingPeriod.Kind(period["kind"]).label
    return capfirst(f"{label} {period['as_of']}")


def status_text(item: dict[str, Any]) -> str:
    """The reported status, `ej rapporterad` if none, and `försenad` when it is late."""
    report = item["report"]
    text = capfirst(str(StatusChoice(report["status"]).label)) if report else _("Not reported")
    return f"{text} ({_('late')})" if item["late"] else text


class _Layout:
    """Lays one follow-up's data out as blocks."""

    def __init__(self, source: FollowUpData) -> None:
        self.data = source.data
        self.items = [i for i in self.data["items"] if source.owner in (None, i["office"])]
        self.owner = source.owner

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        """The items of one kind: `assignment`, `action` or `indicator`."""
        return [i for i in self.items if i["kind"] == kind]

    def offices(self) -> dict[str, str]:
        """Office code → name, in the order their items come."""
        return {i["office"]: i.get("office_name", i["office"]) for i in self.items}

    def units(self) -> list[dict[str, Any]]:
        """The reporting units (of the office's items only, when limited to an office)."""
        codes = {i["unit"] for i in self.items}
        return [u for u in self.data.get("units", []) if u["code"] in codes]

    def summary(self) -> list[Block]:
        """Sammanfattning, drafted from the figures: how the actions and assignments stand,
        how many indicators have an outcome and how they are assessed, and the attainment
        of each goal area (the controller's judgement, else the suggestion). Each figure
        is a count of a list further on, named in the text."""
        blocks = [heading(1, _("Summary"))]
        items = [i for i in self.items if i["kind"] != "indicator"]
        if items:
            statuses = Counter((i["report"] or {}).get("status") or NOT_REPORTED for i in items)
            late = sum(1 for i in items if i["late"])
            parts = [
                ngettext("%(n)d is done", "%(n)d are done", statuses[StatusChoice.DONE]),
                ngettext(
                    "%(n)d is in progress as planned",
                    "%(n)d are in progress as planned",
                    statuses[StatusChoice.ON_TRACK] + statuses[StatusChoice.NOT_STARTED],
                ),
                ngettext(
                    "%(n)d deviates or is moved",
                    "%(n)d deviate or are moved",
                    statuses[StatusChoice.DEVIATION]
                    + statuses[StatusChoice.DELAYED]
                    + statuses[StatusChoice.POSTPONED],
                ),
                ngettext("%(n)d is not reported", "%(n)d are not reported", statuses[NOT_REPORTED]),
            ]
            counts = [
                statuses[StatusChoice.DONE],
                statuses[StatusChoice.ON_TRACK] + statuses[StatusChoice.NOT_STARTED],
                statuses[StatusChoice.DEVIATION]
                + statuses[StatusChoice.DELAYED]
                + statuses[StatusChoice.POSTPONED],
                statuses[NOT_REPORTED],
            ]
            said = [part % {"n": n} for part, n in zip(parts, counts, strict=True) if n]
            text = ngettext(
                "Of %(n)d assignment or action in this round, %(parts)s.",
                "Of %(n)d assignments and actions in this round, %(parts)s.",
                len(items),
            ) % {"n": len(items), "parts": joined(said)}
            text += " " + ngettext(
                "%(n)d is past its planned end (see Late items).",
                "%(n)d are past their planned end (see Late items).",
                late,
            ) % {"n": late}
            blocks.append(paragraph(text))
        indicators = self.of_kind("indicator")
        if indicators:
            reported = [i for i in indicators if i["outcome"]]
            assessed = Counter(i["attainment"] for i in reported)
            text = ngettext(
                "%(reported)d of %(n)d indicator has an outcome",
                "%(reported)d of %(n)d indicators have an outcome",
                len(indicators),
            ) % {"reported": len(reported), "n": len(indicators)}
            if reported:
                text += ": " + joined(
                    [f"{assessed[a]} {Attainment(a).label}" for a in Attainment if assessed[a]]
                )
            blocks.append(paragraph(text + " " + _("(see Indicator outcomes).")))
        areas = [s for s in self.data["attainment"] if s["kind"] == "goal_area"]
        if areas:
            suggested = _("suggestion")
            rows = [
                [
                    a["title"],
                    light(a["judgement"])
                    if a["judgement"]
                    else f"{light(a['suggestion'])} ({suggested})",
                ]
                for a in areas
            ]
            columns = [_("Goal area"), _("Goal attainment")]
            blocks.append(table(_("Attainment per goal area"), columns, rows, widths=[5, 2]))
        return blocks

    def completeness(self) -> list[Block]:
        """Per unit: items to report, reported, missing, and when it submitted."""
        if not (units := self.units()):
            return []  # a snapshot taken before units were recorded
        rows = [
            [
                f"{u['code']} {u['name']}",
                str(u["expected"]),
                str(u["reported"]),
                str(u["expected"] - u["reported"]),
                u["submitted"] or _("Not submitted"),
            ]
            for u in units
        ]
        columns = [_("Unit"), _("To report"), _("Reported so far"), _("Missing"), _("Submitted")]
        numeric = [False, True, True, True, False]
        return [
            heading(1, _("Completeness of reporting")),
            table(_("Reports per unit"), columns, rows, numeric=numeric, widths=[5, 2, 2, 2, 2]),
        ]

    def attainment(self) -> list[Block]:
        """Per goal area and objective, then per office: the suggestion with its rule and
        the controller's judgement with its motivation."""
        blocks = [heading(1, _("Goal attainment"))]
        levels = {"goal_area": 2, "objective": 3, "office": 3}
        offices_started = False
        for subject in self.data["attainment"]:
            if subject["kind"] == "office":
                if self.owner not in (None, subject.get("office")):
                    continue
                if not offices_started:
                    blocks.append(heading(2, _("Offices")))
                    offices_started = True
            blocks.append(heading(levels[subject["kind"]], subject["title"]))
            blocks.append(paragraph(light(subject["suggestion"]), _("Suggestion:")))
            blocks.append(note(_("Rule: %(rule)s") % {"rule": subject["rule"]}))
            if subject["judgement"]:
                blocks.append(paragraph(light(subject["judgement"]), _("Judgement:")))
                blocks.append(paragraph(subject["motivation"], _("Motivation:")))
            else:
                blocks.append(paragraph(_("No judgement yet."), _("Judgement:")))
        return blocks

    def status_tables(self) -> list[Block]:
        """Per office a table of its assignments and one of its actions: the item's text
        gets the width, its status beside it, and what the reporter wrote (cause, remedy,
        new forecast, analysis) in one column, each part with its label, only where given."""
        blocks = [heading(1, _("Status of assignments and actions"))]
        for code, name in self.offices().items():
            office_blocks: list[Block] = []
            for kind, label in (
                ("assignment", _("Assignment")),
                ("action", pgettext("plan item", "Action")),
            ):
                members = [i for i in self.of_kind(kind) if i["office"] == code]
                if members:
                    caption = _("Assignments") if kind == "assignment" else _("Actions")
                    rows = [self.status_row(i) for i in members]
                    columns = [label, _("Status"), _("Analysis and comment")]
                    office_blocks.append(table(caption, columns, rows, widths=[5, 1.6, 5]))
            if office_blocks:
                blocks += [heading(2, f"{code} {name}"), *office_blocks]
        return blocks

    def status_row(self, item: dict[str, Any]) -> list[str]:
        """Item | Status | what the reporter wrote: Orsak, Åtgärd, Ny prognos (with the new
        end date), Analys och kommentar (a snapshot from before the analysis field has none),
        each labelled, one per line."""
        report = item["report"] or {}
        forecast = report.get("new_forecast", "")
        if report.get("new_end_date"):
            forecast = " ".join(filter(None, [forecast, report["new_end_date"]]))
        analysis = "\n\n".join(
            filter(None, [report.get("analysis", ""), report.get("comment", "")])
        )
        parts = [
            (_("Cause"), report.get("cause", "")),
            (_("Remedy"), report.get("remedy", "")),
            (_("New forecast"), forecast),
            (_("Analysis"), analysis),
        ]
        written = "\n".join(f"{label}: {text}" for label, text in parts if text)
        return [item["title"], status_text(item), written]

    def late(self) -> list[Block]:
        """What is past its planned end and not finished, and why."""
        late = [i for i in self.items if i["kind"] != "indicator" and i["late"]]
        blocks = [heading(1, _("Late items"))]
        if not late:
            return [*blocks, paragraph(_("Nothing is late."))]
        columns = [_("Item"), _("Office"), _("Planned end"), _("Status"), _("Cause"), _("Remedy")]
        rows = [
            [
                i["title"],
                i["office"],
                i.get("end") or "",
                status_text(i),
                (i["report"] or {}).get("cause", "") or _("No cause given"),
                (i["report"] or {}).get("remedy", ""),
            ]
            for i in late
        ]
        return [*blocks, table(_("Late items"), columns, rows, widths=[5, 1.5, 2, 2, 3, 3])]

    def outcomes(self) -> list[Block]:
        """Per goal area a chart and a table of the indicators' outcomes against target."""
        indicators = self.of_kind("indicator")
        if not indicators:
            return []
        blocks = [heading(1, _("Indicator outcomes"))]
        areas = {
            s.get("number", ""): s["title"]
            for s in self.data["attainment"]
            if s["kind"] == "goal_area"
        }
        # In the goal areas' order; indicators of the plan as a whole last.
        by_area: dict[str, list[dict[str, Any]]] = {number_: [] for number_ in [*areas, ""]}
        for indicator in indicators:
            by_area.setdefault(indicator.get("goal_area", ""), []).append(indicator)
        columns = [_("Indicator"), _("Target"), _("Outcome"), _("Assessment"), _("Rule")]
        for number_, members in by_area.items():
            if not members:
                continue
            caption = areas.get(number_) or _("Without goal area")
            blocks.append(heading(2, caption))
            if chart := self.chart(members):
                blocks.append(chart)
            rows = [
                [
                    i["title"],
                    value_text(i.get("target", "")),
                    value_text(i["outcome"]["raw"]) if i["outcome"] else _("Not reported"),
                    light(i["attainment"]) if i["outcome"] else "",
                    i["rule"],
                ]
                for i in members
            ]
            numeric = [False, True, True, False, False]
            blocks.append(
                table(caption, columns, rows, numeric=numeric, widths=[4, 1.5, 1.5, 2, 4])
            )
        return blocks

    def chart(self, indicators: list[dict[str, Any]]) -> Block | None:
        """The outcomes on one common, labelled scale: each indicator's outcome as a share
        of its target (the target is 100 %, a line across all rows), so that a percentage
        and an amount in kronor can stand side by side; the figures as written beside each
        bar. Only where both are numbers and the target is not zero; the table after the
        chart holds every figure."""
        rows = []
        for indicator in indicators:
            target = parse_value(indicator.get("target", "")).number
            outcome = (
                parse_value(indicator["outcome"]["raw"]).number if indicator["outcome"] else None
            )
            if target is None or outcome is None or target == 0:
                continue
            ratio = outcome / target
            rows.append(
                {
                    "label": indicator["title"],
                    "ratio": ratio,
                    "target": value_text(indicator["target"]),
                    "outcome": value_text(indicator["outcome"]["raw"]),
                }
            )
        if not rows:
            return None
        # The scale runs from 0 to the next half above the largest share (at least 150 %).
        top = max(CHART_MIN_TOP, *(min(r["ratio"], CHART_MAX_TOP) for r in rows))
        top = Decimal(math.ceil(top * 2)) / 2
        ticks = [Decimal(n) / 2 for n in range(int(top * 2) + 1)]
        return {
            "type": "chart",
            "caption": _("Outcome as a share of the target"),
            "axis": _("Outcome in per cent of the target (the line: target = 100 %)"),
            "reference": f"{1 / top:.4f}",
            "ticks": [
                {"share": f"{tick / top:.4f}", "label": number_text(tick * 100, "%", 0)}
                for tick in ticks
            ],
            "rows": [
                {
                    "label": r["label"],
                    "share": f"{max(min(r['ratio'], top), Decimal(0)) / top:.4f}",
                    "text": _("%(share)s (outcome %(outcome)s, target %(target)s)")
                    % {
                        "share": number_text(r["ratio"] * 100, "%", 0),
                        "outcome": r["outcome"],
                        "target": r["target"],
                    },
                    "target": r["target"],
                    "outcome": r["outcome"],
                }
                for r in rows
            ],
            "note": _("The chart is in the PDF version; the table holds the same figures."),
        }


def followup_document(source: FollowUpData) -> dict[str, Any]:
    """The follow-up report: cover facts and the blocks in printed order."""
    with translation.override(LANGUAGE):
        period = source.data["period"]
        layout = _Layout(source)
        title = period_title(period)
        site = identity_fields(list(source.municipalities))
        state = capfirst(str(ReportingPeriod.Status(source.status).label))
        facts = [
            [_("Plan"), period.get("plan_title", period["plan"])],
            [_("Period"), title],
            [_("Deadline"), period["deadline"]],
            [_("Status"), state],
        ]
        if source.snapshot is not None:
            facts.append([_("Source"), _("Snapshot %(n)d") % {"n": source.snapshot}])
        if source.owner is not None:
            facts.append([_("Office"), source.owner])
        if period.get("is_example"):
            facts.append([_("Example data"), _("Invented for the demo, not a real follow-up.")])
        blocks = [
            *layout.summary(),
            *layout.completeness(),
            *layout.attainment(),
            *layout.status_tables(),
            *layout.late(),
            *layout.outcomes(),
        ]
        return {
            "format": FORMAT,
            "version": VERSION,
            "lang": LANGUAGE_TAG,
            "title": title,
            "author": site["organisation"] or period.get("plan_title", period["plan"]),
            "subject": f"{period.get('plan_title', period['plan'])}: {title}",
            # The round's date, never the day the file is made.
            "date": period["as_of"],
            "year": int(period["as_of"][:4]),
            "facts": facts,
            "labels": {"contents": _("Contents"), "page": _("Page")},
            **site,
            "blocks": blocks,
        }


def col(label: str, kind: str = "text", width: int = 14) -> dict[str, Any]:
    return {"label": label, "kind": kind, "width": width}


def followup_workbook(source: FollowUpData) -> dict[str, Any]:
    """The follow-up's items as rows: status reports, outcomes with their assessment and
    rule, the judgements and the completeness per unit, one sheet each."""
    with translation.override(LANGUAGE):
        layout = _Layout(source)
        statuses = [i for i in layout.items if i["kind"] != "indicator"]
        outcomes = layout.of_kind("indicator")
        subjects = [
            s
            for s in source.data["attainment"]
            if s["kind"] != "office" or source.owner in (None, s.get("office"))
        ]
        kinds = {
            "assignment": _("Assignment"),
            "action": pgettext("plan item", "Action"),
            "goal_area": _("Goal area"),
            "objective": _("Objective"),
            "office": _("Office"),
        }
        sheets: list[dict[str, Any]] = [
            {
                "title": _("Status reports"),
                "columns": [
                    col(_("Id"), width=24),
                    col(_("Kind"), width=10),
                    col(_("Office")),
                    col(_("Unit")),
                    col(_("Goal area"), width=8),
                    col(_("Objectives"), width=10),
                    col(_("Item"), width=60),
                    col(_("Status"), width=24),
                    col(_("Planned end"), "date", 12),
                    col(_("Cause"), width=40),
                    col(_("Remedy"), width=40),
                    col(_("New forecast"), width=30),
                    col(_("New end date"), "date", 12),
                    col(_("Analysis"), width=40),
                    col(_("Comment"), width=40),
                    col(_("Progress (%)"), "int", 10),
                ],
                "rows": [
                    [
                        i["key"],
                        kinds[i["kind"]],
                        i["office"],
                        i["unit"],
                        i.get("goal_area", ""),
                        ", ".join(i.get("objectives", [])),
                        i["title"],
                        status_text(i),
                        i.get("end"),
                        (i["report"] or {}).get("cause", ""),
                        (i["report"] or {}).get("remedy", ""),
                        (i["report"] or {}).get("new_forecast", ""),
                        (i["report"] or {}).get("new_end_date"),
                        (i["report"] or {}).get("analysis", ""),
                        (i["report"] or {}).get("comment", ""),
                        (i["report"] or {}).get("progress"),
                    ]
                    for i in statuses
                ],
            },
            {
                "title": _("Indicator outcomes"),
                "columns": [
                    col(_("Id"), width=24),
                    col(_("Office")),
                    col(_("Unit")),
                    col(_("Goal area"), width=8),
                    col(_("Objectives"), width=10),
                    col(_("Indicator"), width=50),
                    col(_("Target as printed")),
                    col(_("Target"), "number"),
                    col(_("Outcome as printed")),
                    col(_("Outcome"), "number"),
                    col(_("Women"), "number"),
                    col(_("Men"), "number"),
                    col(_("Assessment"), width=20),
                    col(_("Rule"), width=50),
                    col(_("Source"), width=20),
                    col(_("Comment"), width=40),
                ],
                "rows": [
                    [
                        i["key"],
                        i["office"],
                        i["unit"],
                        i.get("goal_area", ""),
                        ", ".join(i.get("objectives", [])),
                        i["title"],
                        i.get("target", ""),
                        number(i.get("target", "")),
                        (i["outcome"] or {}).get("raw", ""),
                        number((i["outcome"] or {}).get("raw", "")),
                        gendered(i["outcome"], "women"),
                        gendered(i["outcome"], "men"),
                        light(i["attainment"]) if i["outcome"] else _("Not reported"),
                        i["rule"],
                        (i["outcome"] or {}).get("source", ""),
                        (i["outcome"] or {}).get("comment", ""),
                    ]
                    for i in outcomes
                ],
            },
            {
                "title": _("Goal attainment"),
                "columns": [
                    col(_("Kind"), width=12),
                    col(_("Goal area or objective"), width=50),
                    col(_("Suggestion"), width=20),
                    col(_("Rule"), width=50),
                    col(_("Judgement"), width=20),
                    col(_("Motivation"), width=50),
                ],
                "rows": [
                    [
                        kinds[s["kind"]],
                        s["title"],
                        light(s["suggestion"]),
                        s["rule"],
                        light(s["judgement"]) if s["judgement"] else "",
                        s["motivation"],
                    ]
                    for s in subjects
                ],
            },
            {
                "title": _("Completeness of reporting"),
                "columns": [
                    col(_("Unit")),
                    col(_("Name"), width=40),
                    col(_("To report"), "int", 10),
                    col(_("Reported so far"), "int", 10),
                    col(_("Missing"), "int", 10),
                    col(_("Submitted"), "date", 12),
                ],
                "rows": [
                    [
                        u["code"],
                        u["name"],
                        u["expected"],
                        u["reported"],
                        u["expected"] - u["reported"],
                        u["submitted"],
                    ]
                    for u in layout.units()
                ],
            },
        ]
        title = period_title(source.data["period"])
        return {"title": title, "sheets": [s for s in sheets if s["rows"]]}


def gendered(outcome: dict[str, Any] | None, field: str) -> dict[str, str] | None:
    """A gender split's figure (stored as a plain decimal) for a `number` column."""
    if not outcome or outcome.get(field) is None:
        return None
    return {"value": outcome[field], "unit": ""}
