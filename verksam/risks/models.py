"""A plan's risk analysis and the internal-control areas and points that follow from it.

The seed prints risks as prose (bullets, "Risk:/Åtgärd:" pairs, paragraphs) without a
valuation; probability and consequence (1–4) are there for plans that give them, and
the risk value is derived from them, never stored.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from verksam.organisation.models import OrgUnit
from verksam.plans.models import KEY, Plan, PlanContent, PlanContentQuerySet

SCALE = [MinValueValidator(1), MaxValueValidator(4)]


class RiskAnalysis(PlanContent, models.Model):
    """Riskanalys: a plan's introduction to its risks; one per plan."""

    key = models.CharField(_("id"), **KEY)
    plan = models.OneToOneField(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="risk_analysis"
    )
    heading = models.TextField(_("heading"))
    intro = models.TextField(_("introduction"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    objects = PlanContentQuerySet["RiskAnalysis"].as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk analysis")
        verbose_name_plural = _("risk analyses")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.heading} ({self.plan})"


class Risk(PlanContent, models.Model):
    """A risk as printed, with the measures (Åtgärd) where given and an optional valuation."""

    key = models.CharField(_("id"), **KEY)
    analysis = models.ForeignKey(
        RiskAnalysis,
        verbose_name=_("risk analysis"),
        on_delete=models.CASCADE,
        related_name="risks",
    )
    title = models.TextField(_("title"), blank=True)
    description = models.TextField(_("description"))
    measures_label = models.TextField(_("measures label as printed"), blank=True)
    measures = models.TextField(_("measures"), blank=True)
    probability = models.PositiveSmallIntegerField(
        _("probability (1–4)"), null=True, blank=True, validators=SCALE
    )
    consequence = models.PositiveSmallIntegerField(
        _("consequence (1–4)"), null=True, blank=True, validators=SCALE
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(probability__isnull=True) | Q(probability__range=(1, 4)))
                & (Q(consequence__isnull=True) | Q(consequence__range=(1, 4))),
                name="risk_valuation_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.description

    @property
    def value(self) -> int | None:
        """Risk value = probability × consequence (1–16), when both are given."""
        if self.probability is None or self.consequence is None:
            return None
        return self.probability * self.consequence

    owner_path = "analysis__plan__owner"

    @property
    def plan(self) -> Plan:
        return self.analysis.plan


class InternalControlArea(PlanContent, models.Model):
    """An internal-control area (internkontrollområde), e.g. one the council names for the year."""

    class Origin(models.TextChoices):
        COUNCIL = "council", _("council (KF)")
        BOARD = "board", _("board")
        OFFICE = "office", _("office")

    key = models.CharField(_("id"), **KEY)
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="internal_control_areas",
    )
    title = models.TextField(_("title"))
    origin = models.CharField(_("origin"), max_length=10, choices=Origin)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    objects = PlanContentQuerySet["InternalControlArea"].as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internal-control area")
        verbose_name_plural = _("internal-control areas")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class InternalControlPoint(PlanContent, models.Model):
    """A control point (kontrollmoment) of the internal-control plan: what risk, what is
    checked, how, by whom, how often and when it is reported."""

    key = models.CharField(_("id"), **KEY)
    area = models.ForeignKey(
        InternalControlArea,
        verbose_name=_("internal-control area"),
        on_delete=models.CASCADE,
        related_name="points",
    )
    risk = models.TextField(_("risk"))
    control = models.TextField(_("control"))
    method = models.TextField(_("method"), blank=True)
    responsible_raw = models.TextField(_("responsible as printed"), blank=True)
    responsible_units = models.ManyToManyField(
        OrgUnit, verbose_name=_("responsible units"), blank=True, related_name="control_points"
    )
    frequency = models.TextField(_("frequency"), blank=True)
    reporting = models.TextField(_("reported when"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords(m2m_fields=[responsible_units])

    class Meta:
        verbose_name = _("control point")
        verbose_name_plural = _("control points")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.control

    owner_path = "area__plan__owner"

    @property
    def plan(self) -> Plan:
        return self.area.plan
