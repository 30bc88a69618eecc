"""A plan's budget tables: operating budget, net budget per department, investments.

Each table keeps its columns by year and kind (Utfall 2020, Budget 2022, Plan 2024),
not by position, and each cell the figure as printed next to the number read from it.
Computed rows (Netto, Summa, Förändring) are stored with their printed figures only
to compare: the figures shown are computed (`budget.services.compute_table`).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from verksam.budget import services
from verksam.budget.services import Figure, RowInput
from verksam.core.fields import NumberField
from verksam.core.numbers import parse_amount
from verksam.core.validation import clean_number
from verksam.organisation.models import OrgUnit
from verksam.plans.models import KEY, Plan, PlanContent, PlanContentQuerySet


class BudgetTableQuerySet(PlanContentQuerySet["BudgetTable"]):
    def for_display(self) -> "BudgetTableQuerySet":
        """Tables with their plan, columns, rows and cells, in a fixed number of queries."""
        return self.select_related("plan__owner").prefetch_related(
            "columns",
            Prefetch(
                "rows",
                queryset=BudgetRow.objects.select_related("unit", "part_of").prefetch_related(
                    Prefetch("cells", queryset=BudgetCell.objects.select_related("column"))
                ),
            ),
        )


class BudgetTable(PlanContent, models.Model):
    """One printed budget table of a plan, with the text printed before and after it."""

    class Kind(models.TextChoices):
        OPERATING = "operating", _("operating budget")
        DEPARTMENTS = "departments", _("net budget per department")
        CHANGES = "changes", _("notable changes in the budget")
        INVESTMENTS = "investments", _("investments")

    key = models.CharField(_("id"), **KEY)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="budget_tables"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    heading = models.TextField(_("heading"), blank=True)
    title = models.TextField(_("title as printed"))
    intro = models.TextField(_("text before the table"), blank=True)
    commentary = models.TextField(_("text after the table"), blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    objects = BudgetTableQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget table")
        verbose_name_plural = _("budget tables")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title

    def figures(self) -> dict[str, dict[int, Figure]]:
        """Every cell, printed and computed, by row key and year (uses prefetched rows)."""
        years = [c.year for c in self.columns.all()]
        return services.compute_table(years, [row.as_input() for row in self.rows.all()])


class BudgetColumn(PlanContent, models.Model):
    """A column of a budget table: the year and kind of its figures, and its printed label."""

    class Kind(models.TextChoices):
        OUTCOME = "outcome", _("outcome")
        FORECAST = "forecast", _("forecast")
        BUDGET = "budget", _("budget")
        PLAN = "plan", pgettext_lazy("budget column", "plan")

    table = models.ForeignKey(BudgetTable, on_delete=models.CASCADE, related_name="columns")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    year = models.PositiveSmallIntegerField(_("year"))
    label = models.TextField(_("column as printed"))
    kind_inferred = models.BooleanField(_("kind inferred"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget column")
        verbose_name_plural = _("budget columns")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["table", "year"], name="budgetcolumn_year_once"),
        ]

    def __str__(self) -> str:
        return self.label

    owner_path = "table__plan__owner"

    @property
    def plan(self) -> Plan:
        return self.table.plan


class BudgetRow(PlanContent, models.Model):
    """A row of a budget table: an amount, a part ("varav") of another row, or a computed row."""

    class Kind(models.TextChoices):
        AMOUNT = services.AMOUNT, _("amount")
        PART = services.PART, _("part of the row above (of which)")
        SUBTOTAL = services.SUBTOTAL, _("subtotal of its parts")
        TOTAL = services.TOTAL, _("total (net, sum)")
        CHANGE = services.CHANGE, _("change in kSEK")
        CHANGE_PERCENT = services.CHANGE_PERCENT, _("change in %")
        HEADING = services.HEADING, _("group heading")

    key = models.CharField(_("id"), **KEY)
    table = models.ForeignKey(BudgetTable, on_delete=models.CASCADE, related_name="rows")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    label = models.TextField(_("label as printed"))
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parts",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_rows",
    )
    notes = models.JSONField(_("notes"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget row")
        verbose_name_plural = _("budget rows")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(part_of__isnull=True) | Q(kind="part"), name="budgetrow_part_has_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_computed(self) -> bool:
        return self.kind in services.COMPUTED_KINDS

    def as_input(self) -> RowInput:
        """The row for `compute_table` (uses prefetched cells). The numbers are read from the
        printed text again, which keeps their printed decimals (`12,0` stays one decimal)."""
        printed = {c.column.year: amount_of(c.raw) for c in self.cells.all()}
        return RowInput(
            key=self.key,
            kind=self.kind,
            part_of=self.part_of.key if self.part_of else None,
            printed={year: n for year, n in printed.items() if n is not None},
            raw={c.column.year: c.raw for c in self.cells.all()},
        )

    owner_path = "table__plan__owner"

    @property
    def plan(self) -> Plan:
        return self.table.plan


class BudgetCell(PlanContent, models.Model):
    """One printed figure of a row in a column (tkr, or % in a change row)."""

    row = models.ForeignKey(BudgetRow, on_delete=models.CASCADE, related_name="cells")
    column = models.ForeignKey(BudgetColumn, on_delete=models.CASCADE, related_name="cells")
    raw = models.TextField(_("figure as printed"))
    number = NumberField(_("number"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget figure")
        verbose_name_plural = _("budget figures")
        ordering = ["column__position"]
        constraints = [
            models.UniqueConstraint(fields=["row", "column"], name="budgetcell_once_per_column"),
        ]

    def __str__(self) -> str:
        return self.raw

    def save(self, *args, **kwargs) -> None:
        """Keep the number in step with the printed figure."""
        self.number = amount_of(self.raw)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """The number the figure says fits the database (the admin's check; the loader
        checks the same)."""
        number = amount_of(self.raw)
        if number is not None:
            try:
                clean_number(number)
            except ValueError as error:
                raise ValidationError({"raw": str(error)}) from None

    owner_path = "row__table__plan__owner"

    @property
    def plan(self) -> Plan:
        return self.row.plan


def amount_of(raw: str) -> Decimal | None:
    """The number a printed figure says, None for an empty or unreadable cell."""
    parsed = parse_amount(raw)
    return parsed.number if parsed else None
