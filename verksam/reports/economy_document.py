"""The economy section of the follow-up report and the economy sheet of its workbook.

Made from `economy.reporting.Economy.as_data()` (plain data, amounts as exact decimal
strings): the operating accounts per office and department (budget, outcome to date,
forecast, deviation in tkr and %, the verdict in words, comment), the board's total, the
investments with unspent funds and the carry-over decision, and the rule of the sign
convention. The writers render the blocks like every other.

A closed round's outcome, forecasts and carry-over decisions can no longer change (the
services refuse writes to a closed round), so its section reads the same every time.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from verksam.core.numbers import number_text
from verksam.economy.figures import Verdict
from verksam.economy.models import CarryOver
from verksam.economy.reporting import VERDICTS
from verksam.reports.blocks import LANGUAGE, Block, heading, note, paragraph, table

WHOLE = Decimal(1)


def kronor(value: str | None) -> str:
    """A tkr figure as the report prints it: whole tkr in Swedish format; "–" for none."""
    if value is None:
        return "–"
    return number_text(Decimal(value).quantize(WHOLE, rounding=ROUND_HALF_UP), decimals=0)


def percent(value: str | None) -> str:
    return "–" if value is None else number_text(Decimal(value), "%", 1)


def verdict(line: dict[str, Any]) -> str:
    if line["verdict"] is None:
        return _("no forecast")
    shown = VERDICTS[Verdict(line["verdict"])]
    return f"{shown.symbol} {shown.word}"


def line_cells(line: dict[str, Any]) -> list[str]:
    return [
        line["label"],
        kronor(line["budget"]),
        kronor(line["outcome"]),
        kronor(line["forecast"]),
        kronor(line["deviation"]),
        percent(line["deviation_percent"]),
        verdict(line),
        line["comment"],
    ]


def columns(first: str, as_of: str) -> list[str]:
    return [
        first,
        _("Budget %(year)s") % {"year": as_of[:4]},
        _("Outcome to %(date)s") % {"date": as_of},
        _("Forecast, full year"),
        _("Deviation (kSEK)"),
        _("Deviation (%)"),
        _("Against budget"),
        _("Comment"),
    ]


NUMERIC = [False, True, True, True, True, True, False, False]
WIDTHS = [4, 2, 2, 2, 2, 2, 3, 4]


def economy_blocks(data: dict[str, Any], *, owner: str | None = None) -> list[Block]:
    """The report's economy section; `owner` (an office's code) keeps that office only."""
    with translation.override(LANGUAGE):
        offices = [o for o in data["offices"] if owner in (None, o["office"])]
        investments = [t for t in data["investments"] if owner in (None, t["office"])]
        if not data["has_figures"] or not (offices or investments):
            return []
        blocks: list[Block] = [
            heading(1, _("Economy")),
            paragraph(
                _(
                    "Amounts in kSEK. The outcome runs from 1 January to %(date)s; the "
                    "forecast is for the full year."
                )
                % {"date": data["as_of"]}
            ),
            paragraph(
                _(
                    "Deviation = forecast against budget. A positive deviation is better "
                    "than budget: more income or lower costs, or investment funds left "
                    "unspent; a negative one is worse. Percent of the budget."
                )
            ),
        ]
        if offices:
            blocks.append(heading(2, _("Operating accounts per office and department")))
        for office in offices:
            rows = [line_cells(line) for line in office["departments"]]
            if office["total"]:
                rows.append(line_cells(office["total"]))
            if rows:
                blocks.append(
                    table(
                        _("Net per department, %(office)s (kSEK)")
                        % {"office": office["office_name"]},
                        columns(_("Department"), data["as_of"]),
                        rows,
                        numeric=NUMERIC,
                        widths=WIDTHS,
                        row_headers=True,
                    )
                )
        if owner is None and offices:
            blocks.append(
                table(
                    _("The board in total (kSEK)"),
                    columns(_("Board"), data["as_of"]),
                    [line_cells(data["board"])],
                    numeric=NUMERIC,
                    widths=WIDTHS,
                    row_headers=True,
                )
            )
        if investments:
            blocks.append(heading(2, _("Investments")))
            blocks.append(
                paragraph(
                    _(
                        "Funds the forecast leaves unspent are proposed for carry-over to "
                        "next year (ombudgetering); a controller records the decision."
                    )
                )
            )
        for investment in investments:
            rows = [
                [*line_cells(line)[:7], kronor(line["unspent"]), carry_over(line)]
                for line in [*investment["lines"], investment["total"]]
            ]
            blocks.append(
                table(
                    investment["title"],
                    [
                        *columns(_("Project"), data["as_of"])[:7],
                        _("Unspent (kSEK)"),
                        _("Carry-over"),
                    ],
                    rows,
                    numeric=[*NUMERIC[:7], True, False],
                    widths=[4, 2, 2, 2, 2, 2, 3, 2, 3],
                    row_headers=True,
                )
            )
            comments = [
                f"{line['label']}: {line['comment']}"
                for line in investment["lines"]
                if line["comment"]
            ]
            blocks.extend(note(text) for text in comments)
        return blocks


def carry_over(line: dict[str, Any]) -> str:
    decision = line.get("carry_over")
    if not decision:
        return ""
    text = str(CarryOver.Decision(decision["decision"]).label)
    if decision["approved"] is not None:
        text += f": {kronor(decision['approved'])}"
    return " – ".join(filter(None, [text, decision["note"]]))


def economy_sheet(data: dict[str, Any], *, owner: str | None = None) -> dict[str, Any]:
    """The workbook's economy sheet: one row per department, office total, board total and
    investment project, exact figures as numbers."""
    with translation.override(LANGUAGE):

        def value(figure: str | None) -> dict[str, str] | None:
            return None if figure is None else {"value": figure, "unit": ""}

        def row(kind: str, office: str, line: dict[str, Any]) -> list[Any]:
            return [
                kind,
                office,
                line["unit"],
                line["label"],
                value(line["budget"]),
                value(line["outcome"]),
                value(line["forecast"]),
                value(line["deviation"]),
                None
                if line["deviation_percent"] is None
                else {"value": line["deviation_percent"], "unit": "%"},
                verdict(line),
                line["comment"],
            ]

        rows = []
        for office in data["offices"] if data["has_figures"] else []:
            if owner not in (None, office["office"]):
                continue
            rows += [row(_("Department"), office["office"], line) for line in office["departments"]]
            if office["total"]:
                rows.append(row(_("Office"), office["office"], office["total"]))
        if owner is None and rows:
            rows.append(row(_("Board"), "", data["board"]))
        for investment in data["investments"] if data["has_figures"] else []:
            if owner in (None, investment["office"]):
                rows += [
                    row(_("Investments"), investment["office"], line)
                    for line in [*investment["lines"], investment["total"]]
                ]
        return {
            "title": _("Economy"),
            "columns": [
                {"label": label, "kind": kind, "width": width}
                for label, kind, width in (
                    (_("Kind"), "text", 12),
                    (_("Office"), "text", 10),
                    (_("Unit"), "text", 20),
                    (_("Row"), "text", 40),
                    (_("Budget %(year)s") % {"year": data["as_of"][:4]}, "number", 14),
                    (_("Outcome"), "number", 14),
                    (_("Forecast"), "number", 14),
                    (_("Deviation (kSEK)"), "number", 14),
                    (_("Deviation (%)"), "number", 12),
                    (_("Against budget"), "text", 22),
                    (_("Comment"), "text", 40),
                )
            ],
            "rows": rows,
        }
