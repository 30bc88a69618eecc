"""The economy of a follow-up round: the outcome to date per budget row (imported from the
finance system through a mapping of accounts and cost centres), the full-year forecast per
row, and the carry-over of unspent investment funds (ombudgetering).

Amounts are tkr as exact decimals (`DecimalField(16, 4)`, the input rule of
`core.validation`), signed as the budget table prints them (`economy.figures`). A row's
unit is the department it names or else its plan's owner (`budget_unit`).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from verksam.budget.models import BudgetRow
from verksam.followup.models import ReportingPeriod, Versioned
from verksam.organisation.models import OrgUnit
from verksam.plans.models import PartOfPlan, Plan

USER = settings.AUTH_USER_MODEL
AMOUNT = {"max_digits": 16, "decimal_places": 4}
DIMENSION = {"max_length": 40, "blank": True}

# The rows that hold figures of their own; the others (Netto, Summa, Förändring) are computed.
FIGURE_KINDS = ("amount", "part")
# The tables a follow-up's outcome and forecast are about.
FOLLOWED_TABLES = ("operating", "departments", "investments")


def budget_unit(row: BudgetRow) -> OrgUnit:
    """The unit a row is about: the department it names, else its plan's owner (uses
    `unit` and `table__plan__owner`, select them)."""
    return row.unit if row.unit_id else row.table.plan.owner


class OutcomeMapping(PartOfPlan, models.Model):
    """Which ledger amounts count in a budget row: an account and/or a cost centre (ansvar),
    activity (verksamhet) or project. Each value matches the codes that start with it
    (`3` every income account, `11` every cost centre of KSK's 11xx); empty matches any.
    For each table, a ledger line counts in the row of its most specific matching mapping
    (most characters given, then most fields given)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="outcome_mappings"
    )
    account = models.CharField(_("account (or its first digits)"), max_length=20, blank=True)
    cost_centre = models.CharField(_("cost centre (ansvar)"), **DIMENSION)
    activity = models.CharField(_("activity (verksamhet)"), **DIMENSION)
    project = models.CharField(_("project"), **DIMENSION)
    row = models.ForeignKey(
        BudgetRow, verbose_name=_("budget row"), on_delete=models.CASCADE, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome mapping")
        verbose_name_plural = _("outcome mappings")
        ordering = ["plan", "account", "cost_centre", "activity", "project"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "account", "cost_centre", "activity", "project", "row"],
                name="outcomemapping_once",
            ),
            models.CheckConstraint(
                condition=~Q(account="", cost_centre="", activity="", project=""),
                name="outcomemapping_matches_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.describe()} → {self.row_id}"

    def describe(self) -> str:
        parts = [
            f"{label} {value}"
            for label, value in (
                ("konto", self.account),
                ("ansvar", self.cost_centre),
                ("verksamhet", self.activity),
                ("projekt", self.project),
            )
            if value
        ]
        return ", ".join(parts)

    @property
    def specificity(self) -> tuple[int, int]:
        """How specific the mapping is: characters given, then dimensions given."""
        values = (self.account, self.cost_centre, self.activity, self.project)
        return (sum(len(v) for v in values), sum(1 for v in values if v))


class OutcomeImport(models.Model):
    """One import of a period's outcome: who, when, which file (name and SHA-256), and what
    it changed. Written only when the import changed something."""

    class Format(models.TextChoices):
        SIE = "sie", "SIE 4"
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.CASCADE,
        related_name="outcome_imports",
    )
    imported_by = models.ForeignKey(
        USER, verbose_name=_("imported by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    format = models.CharField(_("format"), max_length=10, choices=Format)
    counts = models.JSONField(_("counts"), default=dict)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome import")
        verbose_name_plural = _("outcome imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"

    owner_path = "period__plan__owner"

    @property
    def plan(self) -> Plan:
        return self.period.plan


class RowFigure(PartOfPlan, models.Model):
    """A figure of a budget row in a round (shared fields of outcome, forecast, carry-over).
    Acted on by roles at the row's unit (`unit_ids`)."""

    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    row = models.ForeignKey(
        BudgetRow, verbose_name=_("budget row"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True

    owner_path = ("row__table__plan__owner", "row__unit")

    @property
    def plan(self) -> Plan:
        return self.row.table.plan

    def unit_ids(self) -> set[int]:
        return {budget_unit(self.row).pk}


class Outcome(RowFigure):
    """The outcome (utfall) of a budget row from the start of the year to the end of the
    period, in tkr as the table prints it. Written only by an import."""

    amount = models.DecimalField(_("outcome (tkr)"), **AMOUNT)
    source = models.ForeignKey(
        OutcomeImport,
        verbose_name=_("import"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="outcomes",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(fields=["period", "row"], name="outcome_once_per_row"),
        ]

    def __str__(self) -> str:
        return f"{self.row_id}: {self.amount}"


class Forecast(RowFigure, Versioned):
    """The full-year forecast (prognos) of a budget row in a round, with the comment that
    explains a deviation from the budget and whether it is the automatic proposal."""

    class Basis(models.TextChoices):
        PROPOSAL = "proposal", _("the automatic proposal, accepted")
        OWN = "own", _("own figure")

    amount = models.DecimalField(_("forecast (tkr)"), **AMOUNT)
    basis = models.CharField(_("basis"), max_length=10, choices=Basis)
    comment = models.TextField(_("comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        constraints = [
            models.UniqueConstraint(fields=["period", "row"], name="forecast_once_per_row"),
        ]

    def __str__(self) -> str:
        return f"{self.row_id}: {self.amount}"


class CarryOver(RowFigure, Versioned):
    """Unspent investment funds proposed for carry-over to next year (ombudgetering) and the
    decision on them, recorded by a controller."""

    class Decision(models.TextChoices):
        PROPOSED = "proposed", _("proposed, not decided")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    proposed = models.DecimalField(_("proposed (tkr)"), **AMOUNT)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision, default=Decision.PROPOSED
    )
    approved = models.DecimalField(_("approved (tkr)"), null=True, blank=True, **AMOUNT)
    note = models.TextField(_("decision and reference"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investment carry-over")
        verbose_name_plural = _("investment carry-overs")
        constraints = [
            models.UniqueConstraint(fields=["period", "row"], name="carryover_once_per_row"),
            models.CheckConstraint(
                condition=Q(decision="approved", approved__isnull=False)
                | (~Q(decision="approved") & Q(approved__isnull=True)),
                name="carryover_amount_when_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.row_id}: {self.proposed}"

    @property
    def amount(self) -> Decimal:
        return self.approved if self.approved is not None else self.proposed
