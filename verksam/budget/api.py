"""Read API for a plan's budget: the printed figures and the computed ones side by side."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from verksam.budget.models import BudgetTable
from verksam.core.validation import get_by_key
from verksam.plans.models import Plan

router = Router(tags=["budget"])


class ColumnOut(Schema):
    label: str
    kind: str
    year: int
    kind_inferred: bool


class CellOut(Schema):
    year: int
    raw: str
    printed: Decimal | None
    computed: Decimal | None
    disagrees: bool


class RowOut(Schema):
    id: str
    label: str
    kind: str
    part_of: str | None
    unit: str | None
    notes: list[str]
    cells: list[CellOut]


class TableOut(Schema):
    id: str
    plan: str
    kind: str
    heading: str
    title: str
    intro: str
    commentary: str
    notes: list[str]
    columns: list[ColumnOut]
    rows: list[RowOut]


def table_out(table: BudgetTable) -> TableOut:
    figures = table.figures()
    raw_of = {(c.row_id, c.column.year): c.raw for row in table.rows.all() for c in row.cells.all()}
    return TableOut(
        id=table.key,
        plan=table.plan.key,
        kind=table.kind,
        heading=table.heading,
        title=table.title,
        intro=table.intro,
        commentary=table.commentary,
        notes=table.notes,
        columns=[
            ColumnOut(label=c.label, kind=c.kind, year=c.year, kind_inferred=c.kind_inferred)
            for c in table.columns.all()
        ],
        rows=[
            RowOut(
                id=row.key,
                label=row.label,
                kind=row.kind,
                part_of=row.part_of.key if row.part_of else None,
                unit=row.unit.code if row.unit else None,
                notes=row.notes,
                cells=[
                    CellOut(
                        year=year,
                        raw=raw_of.get((row.pk, year), ""),
                        printed=figure.printed,
                        computed=figure.rounded,
                        disagrees=figure.disagrees,
                    )
                    for year, figure in figures[row.key].items()
                    if figure.printed is not None or figure.computed is not None
                ],
            )
            for row in table.rows.all()
        ],
    )


@router.get("/{key}", response=list[TableOut])
def get_budget(request: HttpRequest, key: str) -> list[TableOut]:
    """The budget tables of a plan and its offices' parts, in document order."""
    visible = Plan.objects.visible_to(request.user)
    plan = get_by_key(visible, key)
    tables = BudgetTable.objects.filter(plan__in=visible.family(plan)).for_display()
    return [table_out(t) for t in tables.in_document_order()]
