"""A budget table as people read it: figures in column order, the computed rows computed,
and every printed figure that disagrees with the computation said in words.

The budget page and the plan documents both show tables through `table_view`, so they
print the same figures and the same disagreements.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from verksam.budget.models import BudgetColumn, BudgetRow, BudgetTable
from verksam.budget.services import Figure


@dataclass(frozen=True)
class RowView:
    """A row and its figures in column order."""

    row: BudgetRow
    figures: list[Figure]


@dataclass
class TableView:
    """A table as the page shows it; `disagreements` names each printed figure that differs."""

    table: BudgetTable
    columns: list[BudgetColumn]
    rows: list[RowView] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)


def table_view(table: BudgetTable) -> TableView:
    """`table` (fetched with `for_display`) with its figures computed (no queries)."""
    columns = list(table.columns.all())
    figures = table.figures()
    view = TableView(table, columns)
    for row in table.rows.all():
        cells = [figures[row.key][c.year] for c in columns]
        view.rows.append(RowView(row, cells))
        for column, figure in zip(columns, cells, strict=True):
            if figure.disagrees:
                view.disagreements.append(
                    _("%(row)s, %(column)s: printed %(printed)s, computed %(computed)s")
                    % {
                        "row": row.label,
                        "column": column.label,
                        "printed": figure.display_printed(),
                        "computed": figure.display(),
                    }
                )
    return view
