"""Checking budget tables in the data files: the columns' years and kinds, the rows'
references and figures, and the anomalies of the printed computed rows.

Kept apart from `services` (which calls it) because it is the one kind whose items
carry their own arithmetic.
"""

from typing import Any

from django.utils.translation import gettext as _

from verksam.budget.services import (
    CHANGE_PERCENT,
    COMPUTED_KINDS,
    HEADING,
    PART,
    SUBTOTAL,
    RowInput,
    compute_table,
)
from verksam.core.numbers import NBSP, parse_amount
from verksam.core.validation import clean_number
from verksam.imports.sources import Dataset, Located, Problem

# The word of a column label that says its kind ("Utfall 2020" → outcome).
COLUMN_WORDS = {"utfall": "outcome", "prognos": "forecast", "budget": "budget", "plan": "plan"}


def check_budget_tables(dataset: Dataset) -> list[Problem]:
    """Columns say their year and kind; rows refer to columns and rows of their own table."""
    problems: list[Problem] = []
    for located in dataset["budget_tables"]:
        table = located.item
        years: set[int] = set()
        for index, column in enumerate(table.columns):
            name = f"columns.{index}"
            words = [COLUMN_WORDS[w] for w in column.label.casefold().split() if w in COLUMN_WORDS]
            if column.year in years:
                problems.append(_table_problem(located, name, _("the year twice")))
            years.add(column.year)
            if str(column.year) not in column.label:
                message = _("the year %(year)s is not in «%(label)s»") % {
                    "year": column.year,
                    "label": column.label,
                }
                problems.append(_table_problem(located, name, message))
            if words and words[0] != column.kind:
                message = _("«%(label)s» says %(word)s, not %(kind)s") % {
                    "label": column.label,
                    "word": words[0],
                    "kind": column.kind,
                }
                problems.append(_table_problem(located, name, message))
            if not words and not column.kind_inferred:
                message = (
                    f"«{column.label}» anger ingen typ; ange kind_inferred: true / "
                    "the label gives no kind; set kind_inferred: true"
                )
                problems.append(_table_problem(located, name, message))
        earlier: dict[str, str] = {}
        for index, row in enumerate(table.rows):
            problems.extend(_check_budget_row(located, index, row, years, earlier))
            earlier[row.id] = row.kind
        parents = {row.part_of for row in table.rows}
        for index, row in enumerate(table.rows):
            if row.kind == SUBTOTAL and row.id not in parents:
                message = _("a subtotal without parts")
                problems.append(_row_problem(located, index, row.id, "kind", message))
    return problems


def _check_budget_row(
    located: Located, index: int, row: Any, years: set[int], earlier: dict[str, str]
) -> list[Problem]:
    problems = []

    def add(field_name: str, message: str) -> None:
        problems.append(_row_problem(located, index, row.id, field_name, message))

    if (row.kind == PART) != (row.part_of is not None):
        add("part_of", _("a part needs part_of, and only a part has it"))
    if row.part_of is not None and earlier.get(row.part_of) in (None, PART):
        add("part_of", _("«%(row)s» is no row above in this table") % {"row": row.part_of})
    if row.kind == HEADING and row.values:
        add("values", _("a heading row has no figures"))
    for year, raw in row.values.items():
        if year not in years:
            add(f"values.{year}", _("no column for %(year)s") % {"year": year})
        parsed = parse_amount(raw)
        if parsed is None:
            add(f"values.{year}", _("«%(raw)s» is not a number") % {"raw": raw})
            continue
        try:
            clean_number(parsed.number)
        except ValueError as error:
            add(f"values.{year}", str(error))
        if parsed.percent != (row.kind == CHANGE_PERCENT):
            add(f"values.{year}", f"«{raw}»: % endast i förändring i % / % only in change_percent")
    return problems


def budget_anomalies(located: Located) -> list[Problem]:
    """Every printed figure of a computed row (Netto, Summa, Förändring) that disagrees with
    the computation or that the table's other figures cannot give. (A column headed by a
    bare year, or `- 6 406` printed for -6 406, reads plainly and is no anomaly.)"""
    table = located.item
    columns = table.columns
    anomalies = []
    label = {c.year: c.label for c in columns}
    inputs = []
    for row in table.rows:
        printed = {year: parse_amount(raw).number for year, raw in row.values.items()}  # type: ignore[union-attr]  # only kinds with the field get the value
        inputs.append(RowInput(row.id, row.kind, row.part_of, printed, dict(row.values)))
    figures = compute_table([c.year for c in columns], inputs)
    for index, row in enumerate(table.rows):
        if row.kind not in COMPUTED_KINDS:
            continue
        for year, figure in figures[row.id].items():
            where = f"«{row.label}»"
            if figure.disagrees:
                message = f"{where}: " + _("printed %(printed)s, computed %(computed)s") % {
                    "printed": row.values[year],
                    "computed": figure.display().replace(NBSP, " "),
                }
                anomalies.append(_row_problem(located, index, row.id, label[year], message))
            elif figure.uncheckable:
                message = f"{where}: " + _(
                    "printed %(printed)s cannot be computed from the table"
                ) % {"printed": row.values[year]}
                anomalies.append(_row_problem(located, index, row.id, label[year], message))
    return anomalies


def _table_problem(located: Located, field_name: str, message: str) -> Problem:
    return Problem(
        located.file, message, "budget_tables", located.item.id, field_name, located.line
    )


def _row_problem(located: Located, index: int, row: str, field_name: str, message: str) -> Problem:
    """A problem in a table's row, located at the row's own line."""
    line = located.line_of("rows", index)
    return Problem(located.file, message, "budget_tables", row, field_name, line)
