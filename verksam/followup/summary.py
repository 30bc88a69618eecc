"""The summary (sammanfattning) of a round drafted from its figures, as the controller is
offered it before writing their own (`services.write_period_text`) and as the report
prints it when they wrote none.

Made from a round's snapshot data (`reporting.snapshot_data`, stored or computed now, with
the economy a snapshot freezes as `economy`): how the assignments and actions stand, how
many are late, how many indicators have an outcome and how they are assessed, and the
economy when the round has figures. Each count is of a list the report prints, and the
sentence names that list, so every number can be checked. The text follows the prose
convention of the plan's texts (paragraphs separated by an empty line, `core.prose`).
"""

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.core.numbers import number_text
from verksam.followup import reporting
from verksam.followup.item_followup import NOT_REPORTED
from verksam.followup.models import Attainment, ReportingPeriod, StatusChoice

# The language of the documents the summary is printed in (`reports.blocks.LANGUAGE`).
LANGUAGE = "sv"

IN_PROGRESS = (StatusChoice.ON_TRACK, StatusChoice.NOT_STARTED)
DEVIATING = (StatusChoice.DEVIATION, StatusChoice.DELAYED, StatusChoice.POSTPONED)


def joined(parts: list[str]) -> str:
    """`a, b och c` in the active language."""
    if len(parts) < 2:
        return "".join(parts)
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def kronor(value: str | None) -> str:
    """A tkr figure of the economy's data (an exact decimal string) as whole tkr."""
    if value is None:
        return ""
    whole = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return number_text(whole, decimals=0).replace("-", "\u2212")


def verdict_words() -> dict[str, str]:
    """How the economy's verdicts read (the same words as the economy pages)."""
    return {
        "better": _("better than budget"),
        "as_budgeted": _("as budgeted"),
        "worse": _("worse than budget"),
    }


def status_paragraph(items: list[dict[str, Any]]) -> str:
    """How the round's assignments and actions stand, and how many are late."""
    statuses = Counter((i["report"] or {}).get("status") or NOT_REPORTED for i in items)
    late = sum(1 for i in items if i["late"])
    counts = [
        (
            ngettext("%(n)d is done", "%(n)d are done", statuses[StatusChoice.DONE]),
            statuses[StatusChoice.DONE],
        ),
        (
            ngettext(
                "%(n)d is in progress as planned",
                "%(n)d are in progress as planned",
                sum(statuses[s] for s in IN_PROGRESS),
            ),
            sum(statuses[s] for s in IN_PROGRESS),
        ),
        (
            ngettext(
                "%(n)d deviates or is moved",
                "%(n)d deviate or are moved",
                sum(statuses[s] for s in DEVIATING),
            ),
            sum(statuses[s] for s in DEVIATING),
        ),
        (
            ngettext("%(n)d is cancelled", "%(n)d are cancelled", statuses[StatusChoice.CANCELLED]),
            statuses[StatusChoice.CANCELLED],
        ),
        (
            ngettext("%(n)d is not reported", "%(n)d are not reported", statuses[NOT_REPORTED]),
            statuses[NOT_REPORTED],
        ),
    ]
    said = [part % {"n": n} for part, n in counts if n]
    text = ngettext(
        "Of %(n)d assignment or action in this round, %(parts)s "
        "(see Status of assignments and actions).",
        "Of %(n)d assignments and actions in this round, %(parts)s "
        "(see Status of assignments and actions).",
        len(items),
    ) % {"n": len(items), "parts": joined(said)}
    return (
        text
        + " "
        + ngettext(
            "%(n)d is past its planned end (see Late items).",
            "%(n)d are past their planned end (see Late items).",
            late,
        )
        % {"n": late}
    )


def indicator_paragraph(indicators: list[dict[str, Any]]) -> str:
    """How many indicators have an outcome, and how the outcomes are assessed."""
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
    return text + " " + _("(see Indicator outcomes).")


def economy_paragraph(economy: dict[str, Any] | None, owner: str | None) -> str:
    """The net of the board (or of the office `owner`): budget, outcome to date, forecast
    and deviation; empty when the round has no economic figures."""
    if not economy or not economy.get("has_figures"):
        return ""
    if owner is None:
        line = economy["board"]
    else:
        office = next((o for o in economy["offices"] if o["office"] == owner), None)
        line = office["total"] if office else None
    if line is None or (line["outcome"] is None and line["forecast"] is None):
        return ""
    figures = {
        "budget": kronor(line["budget"]),
        "date": economy["as_of"],
        "outcome": kronor(line["outcome"]) or "–",
    }
    if line["forecast"] is None:
        return (
            _(
                "Economy, net in kSEK: budget %(budget)s, outcome to %(date)s %(outcome)s; "
                "the forecast for the full year is not complete (see Economy)."
            )
            % figures
        )
    percent = line["deviation_percent"]
    return _(
        "Economy, net in kSEK: budget %(budget)s, outcome to %(date)s %(outcome)s, forecast "
        "for the full year %(forecast)s, a deviation of %(deviation)s%(percent)s: "
        "%(verdict)s (see Economy)."
    ) % {
        **figures,
        "forecast": kronor(line["forecast"]),
        "deviation": kronor(line["deviation"]),
        "percent": ""
        if percent is None
        else f" ({number_text(Decimal(percent), '%', 1).replace('-', chr(0x2212))})",
        "verdict": verdict_words().get(line["verdict"] or "", ""),
    }


def draft_summary(
    data: dict[str, Any], *, owner: str | None = None, economy: dict[str, Any] | None = None
) -> str:
    """The summary drafted from a round's snapshot data (of the office `owner`'s items
    only, when given), in the active language; `economy`: the round's economy data, when
    `data` does not hold it (an open round's live data)."""
    items = [i for i in data["items"] if owner in (None, i["office"])]
    statuses = [i for i in items if i["kind"] != "indicator"]
    indicators = [i for i in items if i["kind"] == "indicator"]
    paragraphs = [
        status_paragraph(statuses) if statuses else "",
        indicator_paragraph(indicators) if indicators else "",
        economy_paragraph(economy if economy is not None else data.get("economy"), owner),
    ]
    return "\n\n".join(p for p in paragraphs if p)


def draft_for(period: ReportingPeriod) -> str:
    """The summary drafted from the round's figures as they are now (with the economy the
    snapshot would freeze), in the documents' language: what the controller is offered."""
    with translation.override(LANGUAGE):
        return draft_summary(reporting.frozen_data(period))
