"""What a careful controller would flag in a plan's data, and nothing they would not.

Anomalies do not stop a load: they are returned, located like errors (file, line, item,
field), so the data can be corrected in its source or the plan's authors asked. The rules
(docs/data-format.md, "Anomalies"):

- dates: a cell that cannot be read as a date, a date picked out of a sentence, a start
  before the plan year, a date after the plan's horizon, an end before the start;
- indicators: no values at all; in a numeric indicator, no target for the plan year or a
  dash where a figure is due (not in the off years of an indicator measured every other
  year, not before a new indicator's first year, not in an indicator a note says was
  split up); a split cell whose parts say the same thing (not dashes);
- texts: placeholders (`KSxxx`, `MSBFS 2021:XXX`); the same text twice (an assignment,
  action, indicator or governing document, within an office or across offices); a text
  that points at a figure after it (`grafen nedan`), which the data cannot hold;
- budget: an amount in the prose whose unit contradicts the tables (`92,3 tkr` where the
  table gives 92 356 tkr); printed sums that disagree with the computation or cannot be
  checked (`budget_tables.budget_anomalies`);
- Bilaga 1: a row whose origin the merged cell leaves open; a row under another goal area
  than the assignment that continues it; an assignment marked as carried over
  ("kvarstående") that no row of Bilaga 1 names.

Readings that are plain to a reader are not anomalies: `Pågår`, `31 mars` in a 2022
plan, `22-01-01`, `20 juni 2022 (KF)`, qualitative targets (`Minskat`, `Ökad`), column
headings that are bare years, `- 6 406` for -6 406.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from pydantic import BaseModel

from verksam.budget.services import TOTAL
from verksam.core.dates import Precision, normalise_date
from verksam.core.numbers import parse_amount, parse_value
from verksam.core.prose import figure_below
from verksam.imports.budget_tables import budget_anomalies
from verksam.imports.sources import Dataset, Located, Problem
from verksam.indicators.models import Indicator
from verksam.plans.models import (
    Action,
    Assignment,
    CarriedOverAssignment,
    GoverningDocument,
    Plan,
)

PLACEHOLDER = re.compile(r"\b(?:[A-ZÅÄÖ]{2,}\s?)?(?:\d{4}:)?[xX]{3,}\b")
AMOUNT = re.compile(r"(\d{1,3}(?:[ \u00a0]\d{3})*(?:,(\d+))?)\s*(tkr|mnkr)\b")
EVERY_OTHER_YEAR = re.compile(r"vartannat år", re.IGNORECASE)
NEW_FROM = re.compile(r"\bNy indikator från (\d{4})\b")
SPLIT_UP = re.compile(r"\bIndikatorn uppdelad\b")
CARRIED_OVER = re.compile(r"kvarst(?:år|ående)", re.IGNORECASE)
YEAR = re.compile(r"\b(\d{4})\b")

# The text of each kind that must not be printed twice: kind → (model, field, item field).
REPEATABLE: dict[str, tuple[type[models.Model], str, str]] = {
    "assignments": (Assignment, "title", "title"),
    "actions": (Action, "text", "text"),
    "indicators": (Indicator, "name", "name"),
    "governing_documents": (GoverningDocument, "title", "title"),
}


@dataclass(frozen=True)
class PlanFrame:
    year: int
    horizon: tuple[int, int]
    root: str  # the board's plan, for a part; else the plan itself


def find_anomalies(dataset: Dataset) -> list[Problem]:
    """Every anomaly of the dataset, kind by kind in load order."""
    plans = _plans(dataset)
    anomalies: list[Problem] = []
    for located in dataset["actions"]:
        anomalies.extend(_action_dates(located, plans[located.item.plan]))
        if not located.item.responsible.units:
            message = _("no responsible unit («%(raw)s»)") % {"raw": located.item.responsible.raw}
            anomalies.append(_problem(located, "actions", "responsible", message))
    for located in dataset["indicators"]:
        anomalies.extend(_indicator_values(located, plans[located.item.plan]))
    anomalies.extend(_carried_over(dataset, plans))
    for located in dataset["budget_tables"]:
        anomalies.extend(budget_anomalies(located))
    anomalies.extend(_units_in_prose(dataset, plans))
    anomalies.extend(_placeholders(dataset))
    anomalies.extend(_figures_below(dataset))
    anomalies.extend(_repeated_texts(dataset))
    return anomalies


# --- Dates ------------------------------------------------------------------------------


def _action_dates(located: Located, plan: PlanFrame) -> list[Problem]:
    action = located.item
    problems = []
    read = {}
    for name in ("start", "end"):
        raw = getattr(action, name)
        cell = normalise_date(raw, plan_year=plan.year)
        read[name] = cell
        if not raw:
            problems.append(_problem(located, "actions", name, _("missing")))
        elif cell.value is None and cell.precision != Precision.ONGOING:
            message = _("«%(raw)s» cannot be read as a date") % {"raw": raw}
            problems.append(_problem(located, "actions", name, message))
        elif cell.from_text:
            message = _("«%(raw)s»: the date %(date)s is read out of a longer text") % {
                "raw": raw,
                "date": cell.value,
            }
            problems.append(_problem(located, "actions", name, message))
        if cell.value is not None and cell.value < date(plan.year, 1, 1):
            message = _("«%(raw)s» is before the plan year %(year)s") % {
                "raw": raw,
                "year": plan.year,
            }
            problems.append(_problem(located, "actions", name, message))
        if cell.last_day is not None and cell.last_day.year > plan.horizon[1]:
            first, last = plan.horizon
            message = _("«%(raw)s» is after the plan's horizon %(first)s–%(last)s") % {
                "raw": raw,
                "first": first,
                "last": last,
            }
            problems.append(_problem(located, "actions", name, message))
    start, end = read["start"], read["end"]
    if start.value and end.last_day and end.last_day < start.value:
        message = _("ends «%(end)s» before it starts «%(start)s»") % {
            "end": action.end,
            "start": action.start,
        }
        problems.append(_problem(located, "actions", "end", message))
    return problems


# --- Indicators ---------------------------------------------------------------------------


def _indicator_values(located: Located, plan: PlanFrame) -> list[Problem]:
    indicator = located.item
    if not indicator.values:
        return [_problem(located, "indicators", "values", _("no values"))]
    problems = []
    numeric = indicator.direction != "qualitative"
    targets = {v.year for v in indicator.values if v.kind == "target"}
    if numeric and plan.year not in targets and not _dash_intended(indicator, plan.year):
        message = _("no target for the plan year %(year)s") % {"year": plan.year}
        problems.append(_problem(located, "indicators", "values", message))
    for index, value in enumerate(indicator.values):
        where = f"values.{index}"
        if value.split_labels:
            women, men = parse_value(value.women), parse_value(value.men)
            if women == men and not women.is_missing:
                first, second = value.split_labels.split("/")
                message = _("%(label)s: %(first)s and %(second)s say the same, «%(value)s»") % {
                    "label": value.label,
                    "first": first,
                    "second": second,
                    "value": value.women,
                }
                problems.append(_problem(located, "indicators", where, message))
        elif (
            numeric
            and parse_value(value.raw).is_missing
            and not _dash_intended(indicator, value.year)
        ):
            message = _("%(label)s: a dash, no value") % {"label": value.label}
            problems.append(_problem(located, "indicators", where, message))
    return problems


def _dash_intended(indicator: Any, year: int) -> bool:
    """A dash the plan means: an off year of an indicator measured every other year (its
    interval names the years measured), a year before a new indicator's first, or any year
    of an indicator a note says was split up into others."""
    if EVERY_OTHER_YEAR.search(indicator.interval):
        measured = {int(y) % 2 for y in YEAR.findall(indicator.interval)}
        if measured and year % 2 not in measured:
            return True
    if (m := NEW_FROM.search(indicator.name)) and year < int(m[1]):
        return True
    return any(SPLIT_UP.search(note) for note in indicator.notes)


# --- Bilaga 1 -------------------------------------------------------------------------------


def _carried_over(dataset: Dataset, plans: dict[str, PlanFrame]) -> list[Problem]:
    problems = []
    for located in dataset["carried_over"]:
        if located.item.origin_inferred:
            message = _(
                "the origin «%(origin)s» is inferred: the merged cell leaves the row open"
            ) % {"origin": located.item.origin}
            problems.append(_problem(located, "carried_over", "origin", message))
    goal_area_of = dict(Assignment.objects.values_list("key", "goal_area__key"))
    goal_area_of.update((a.item.id, a.item.goal_area) for a in dataset["assignments"])
    for located in dataset["carried_over"]:
        row = located.item
        continued_in = goal_area_of.get(row.assignment) if row.assignment else None
        if continued_in and continued_in != row.goal_area:
            message = _(
                "the row is under goal area «%(goal_area)s», the assignment «%(assignment)s» "
                "under «%(other)s»"
            ) % {"goal_area": row.goal_area, "assignment": row.assignment, "other": continued_in}
            problems.append(_problem(located, "carried_over", "goal_area", message))
    in_files = {loc.item.id for loc in dataset["carried_over"]}
    rows = [(loc.item.plan, loc.item.assignment) for loc in dataset["carried_over"]]
    rows += [
        (plan, assignment)
        for key, plan, assignment in CarriedOverAssignment.objects.values_list(
            "key", "plan__key", "assignment__key"
        )
        if key not in in_files
    ]
    appendix = {plan for plan, _ in rows}
    named = {assignment for _, assignment in rows if assignment}
    for located in dataset["assignments"]:
        assignment = located.item
        root = plans[assignment.plan].root
        marked = CARRIED_OVER.search(assignment.origin) or CARRIED_OVER.search(
            assignment.kind_label
        )
        if marked and root in appendix and assignment.id not in named:
            message = _("marked «%(marked)s» but no row of Bilaga 1 names it") % {
                "marked": marked[0]
            }
            problems.append(_problem(located, "assignments", "origin", message))
    return problems


# --- Texts ----------------------------------------------------------------------------------


def _units_in_prose(dataset: Dataset, plans: dict[str, PlanFrame]) -> list[Problem]:
    """Amounts in a budget table's texts in tkr or mnkr that match the budget tables of the
    plan's board (their figures, or the board's total of its parts' Netto) only when read
    in the other unit."""
    figures: dict[str, set[Decimal]] = {}
    net_by_year: dict[tuple[str, int], Decimal] = {}
    for located in dataset["budget_tables"]:
        table = located.item
        root = plans[table.plan].root
        for row in table.rows:
            for year, raw in row.values.items():
                parsed = parse_amount(raw)
                if parsed is None or parsed.percent:
                    continue
                figures.setdefault(root, set()).add(abs(parsed.number))
                if table.kind == "operating" and row.kind == TOTAL:
                    key = (root, year)
                    net_by_year[key] = net_by_year.get(key, Decimal(0)) + parsed.number
    for (root, _year), total in net_by_year.items():
        figures.setdefault(root, set()).add(abs(total))
    problems = []
    for located in dataset["budget_tables"]:
        known = figures.get(plans[located.item.plan].root, set())
        for field_name in ("intro", "commentary"):
            for m in AMOUNT.finditer(getattr(located.item, field_name)):
                printed, decimals, unit = m[1], m[2] or "", m[3]
                amount = Decimal(printed.replace(" ", "").replace("\u00a0", "").replace(",", "."))
                step = Decimal(10) ** -len(decimals)  # one unit of the last printed digit
                as_printed = _in_tkr(amount, step, unit)
                other_unit = "mnkr" if unit == "tkr" else "tkr"
                if _matches(*as_printed, known) is not None:
                    continue
                found = _matches(*_in_tkr(amount, step, other_unit), known)
                if found is not None:
                    figure = f"{found:,.0f}".replace(",", " ")
                    message = _(
                        "«%(amount)s»: the tables give %(figure)s tkr, so the amount is likely "
                        "in %(unit)s"
                    ) % {"amount": m[0], "figure": figure, "unit": other_unit}
                    problems.append(_problem(located, "budget_tables", field_name, message))
    return problems


def _in_tkr(amount: Decimal, step: Decimal, unit: str) -> tuple[Decimal, Decimal]:
    """An amount and its printed precision in tkr."""
    factor = Decimal(1000) if unit == "mnkr" else Decimal(1)
    return amount * factor, step * factor


def _matches(amount: Decimal, step: Decimal, figures: set[Decimal]) -> Decimal | None:
    """The figure within one unit of the amount's last printed digit (printed amounts are
    rounded or cut), if any."""
    return next((f for f in sorted(figures) if abs(f - amount) < step), None)


def _placeholders(dataset: Dataset) -> list[Problem]:
    problems = []
    for kind, items in dataset.items.items():
        for located in items:
            for where, text in _texts(located.item):
                for m in PLACEHOLDER.finditer(text):
                    message = _("placeholder «%(text)s»") % {"text": m[0]}
                    problems.append(_problem(located, kind, where, message))
    return problems


def _figures_below(dataset: Dataset) -> list[Problem]:
    """Texts that point at a figure printed after them: the seed's pictures are not in the
    data (verksam holds no images of a plan), so the reader would look for nothing."""
    problems = []
    for kind, items in dataset.items.items():
        for located in items:
            for where, text in _texts(located.item):
                if words := figure_below(text):
                    message = _(
                        "the text points at a figure («%(words)s») that is not in the data"
                    ) % {"words": words}
                    problems.append(_problem(located, kind, where, message))
    return problems


def _texts(item: BaseModel, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every text of an item with its field path (`title`, `values.2.raw`, `notes.0`)."""
    for name in type(item).model_fields:
        value = getattr(item, name)
        path = f"{prefix}{name}"
        values = value if isinstance(value, list) else [value]
        for index, one in enumerate(values):
            where = f"{path}.{index}" if isinstance(value, list) else path
            if isinstance(one, str):
                yield where, one
            elif isinstance(one, BaseModel):
                yield from _texts(one, f"{where}.")


def _repeated_texts(dataset: Dataset) -> list[Problem]:
    """The same assignment, action, indicator or governing document printed twice, in one
    office or in two (Bilaga 1's rows repeat assignments on purpose and are not compared)."""
    problems = []
    for kind, (model, field_name, item_field) in REPEATABLE.items():
        in_files = {loc.item.id for loc in dataset[kind]}
        first: dict[str, tuple[str, str]] = {
            _same(text): (key, plan)
            for key, plan, text in model._default_manager.exclude(key__in=in_files).values_list(
                "key", "plan__key", field_name
            )
        }
        for located in dataset[kind]:
            text = _same(getattr(located.item, item_field))
            if text in first:
                key, plan = first[text]
                message = _("the same text as «%(key)s» in %(plan)s") % {"key": key, "plan": plan}
                problems.append(_problem(located, kind, item_field, message))
            else:
                first[text] = (located.item.id, located.item.plan)
    return problems


def _same(text: str) -> str:
    """A text compared regardless of spacing, case and a closing full stop."""
    return " ".join(text.split()).casefold().rstrip(".")


# --- Helpers --------------------------------------------------------------------------------


def _plans(dataset: Dataset) -> dict[str, PlanFrame]:
    """Each plan's year, horizon and board plan, from the files or else the database."""
    rows = {
        key: (year, (start, end), parent)
        for key, year, start, end, parent in Plan.objects.values_list(
            "key", "year", "horizon_start", "horizon_end", "parent__key"
        )
    }
    for located in dataset["plans"]:
        plan = located.item
        rows[plan.id] = (
            plan.year,
            (plan.horizon_start, plan.horizon_end),
            plan.parent,
        )
    return {
        key: PlanFrame(year, horizon, parent or key)
        for key, (year, horizon, parent) in rows.items()
    }


def _problem(located: Located, kind: str, field_name: str, message: str) -> Problem:
    return Problem(located.file, message, kind, located.item.id, field_name, located.line)
