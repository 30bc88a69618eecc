"""Indicators with their values per year and kind: baseline, outcome, forecast, target.

Plans print indicator tables whose columns differ from table to table
("Utfall 2021 (jan-nov)", "Mål 2021–2025", "Målvärde 2022"); verksam stores each
cell as a value with its year and kind, keeps the printed text and the column
label, and reads a number out of it where there is one.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from verksam.core.fields import NumberField
from verksam.core.numbers import parse_value, value_text
from verksam.core.validation import clean_number
from verksam.organisation.models import OrgUnit
from verksam.plans.models import (
    GoalArea,
    Objective,
    Plan,
    PlanContent,
    PlanContentQuerySet,
    reporting_unit_of,
)


class IndicatorQuerySet(PlanContentQuerySet["Indicator"]):
    has_responsible_units = True

    def with_values(self) -> "IndicatorQuerySet":
        """With its printed values in the order of the table's columns."""
        return self.prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("position", "pk"))
        )

    def with_responsibilities(self) -> "IndicatorQuerySet":
        """With the responsible units in printed order."""
        return self.prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=IndicatorResponsibility.objects.select_related("unit").order_by(
                    "position", "pk"
                ),
            )
        )


class Indicator(PlanContent, models.Model):
    class Origin(models.TextChoices):
        COUNCIL = "council", _("council (KF)")
        BOARD = "board", _("own")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("higher is better")
        LOWER = "lower", _("lower is better")
        TARGET = "target", _("best at the target value")
        QUALITATIVE = "qualitative", _("qualitative")

    key = models.CharField(_("id"), max_length=80, unique=True)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="indicators"
    )
    goal_area = models.ForeignKey(
        GoalArea,
        verbose_name=_("goal area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    table = models.TextField(_("table"), blank=True)
    name = models.TextField(_("name"))
    origin = models.CharField(_("origin"), max_length=10, choices=Origin)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(_("direction"), max_length=12, choices=Direction)
    responsible_raw = models.TextField(_("responsible as printed"), blank=True)
    responsible_units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("responsible units"),
        through="IndicatorResponsibility",
        related_name="indicators",
        blank=True,
    )
    source = models.TextField(_("source"), blank=True)
    interval = models.TextField(_("measurement interval"), blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Optimistic locking of edits (`planning.services`): a save names the version it read.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pages:indicator_detail", args=[self.key])

    def unit_ids(self) -> set[int]:
        """The plan's owner and the units responsible for the indicator."""
        return self.plan.unit_ids() | {r.unit_id for r in self.responsibilities.all()}

    def reporting_unit(self) -> OrgUnit:
        return reporting_unit_of(self.responsibilities.all(), self.plan.owner)

    def objective_ids(self) -> list[int]:
        return [self.objective_id] if self.objective_id else []


class IndicatorResponsibility(PlanContent, models.Model):
    """A unit responsible for an indicator (Ansvarig)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="responsibilities"
    )
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT)
    role = models.CharField(_("role"), max_length=20, default="responsible")
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit"], name="indicator_unit_once"),
        ]

    def __str__(self) -> str:
        return str(self.unit)

    owner_path = "indicator__plan__owner"

    @property
    def plan(self) -> Plan:
        return self.indicator.plan


class IndicatorValue(PlanContent, models.Model):
    """One cell of an indicator table: a baseline, outcome, forecast or target for a year.

    A cell split by gender keeps its female and male parts (`women_raw`, `men_raw`, named
    like the follow-up's outcomes) and the labels the plan prints for them: the seed's
    F/P are flickor/pojkar (girls/boys), not kvinnor/män (K/M)."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("baseline")
        OUTCOME = "outcome", _("outcome")
        FORECAST = "forecast", _("forecast")
        TARGET = "target", _("target")

    class SplitLabels(models.TextChoices):
        GIRLS_BOYS = "F/P", _("F/P: girls/boys")
        WOMEN_MEN = "K/M", _("K/M: women/men")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    year = models.PositiveSmallIntegerField(_("year"))
    label = models.TextField(_("column as printed"))
    # Blank for a cell the plan prints empty: the table keeps its column.
    raw = models.TextField(_("value as printed"), blank=True)
    number = NumberField(_("number"), null=True, blank=True)
    suffix = models.TextField(_("printed after the number"), blank=True)
    text = models.TextField(_("qualitative value"), blank=True)
    split_labels = models.CharField(
        _("split by gender, labels as printed"), max_length=3, choices=SplitLabels, blank=True
    )
    women_raw = models.TextField(_("female part, as printed"), blank=True)
    men_raw = models.TextField(_("male part, as printed"), blank=True)
    women = NumberField(_("female part"), null=True, blank=True)
    men = NumberField(_("male part"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "label"], name="indicatorvalue_label_once"
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(text=""), name="indicatorvalue_number_or_text"
            ),
            models.CheckConstraint(
                condition=Q(split_labels="", women_raw="", men_raw="")
                | (~Q(split_labels="") & ~Q(women_raw="", men_raw="")),
                name="indicatorvalue_split_has_labels",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.raw}"

    def save(self, *args, **kwargs) -> None:
        """Keep the numbers read out of the printed cell in step with it."""
        for name, value in parsed_fields(self.raw, self.women_raw, self.men_raw).items():
            setattr(self, name, value)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """The numbers read out of the printed cells fit the database (the admin's check;
        the loader checks the same)."""
        errors = {}
        parsed = parsed_fields(self.raw, self.women_raw, self.men_raw)
        for field, number in (("raw", "number"), ("women_raw", "women"), ("men_raw", "men")):
            if parsed[number] is not None:
                try:
                    clean_number(parsed[number])
                except ValueError as error:
                    errors[field] = str(error)
        if errors:
            raise ValidationError(errors)

    @property
    def is_split_by_gender(self) -> bool:
        return bool(self.women_raw or self.men_raw)

    def display(self) -> str:
        """The value for people as the plan printed it (`value_text`: `10:52 min`, `0%`); a
        cell split by gender a part a line, with its label (`F 54 %`, `P 61 %`) where the
        cell prints one."""
        if not self.is_split_by_gender:
            return value_text(self.raw)
        labelled = self.raw.split("\n") == [f"{label} {part}" for label, part in self.split_parts]
        return "\n".join(
            f"{label} {value_text(part)}" if labelled else value_text(part)
            for label, part in self.split_parts
        )

    @property
    def split_parts(self) -> list[tuple[str, str]]:
        """The parts of a split cell with their labels, as printed: `[("F", "54 %"), …]`."""
        if not self.is_split_by_gender:
            return []
        return list(zip(self.split_labels.split("/"), [self.women_raw, self.men_raw], strict=True))

    @property
    def split_legend(self) -> str:
        """What the split's labels stand for, for a note under a table."""
        return str(self.SplitLabels(self.split_labels).label) if self.split_labels else ""

    owner_path = "indicator__plan__owner"

    @property
    def plan(self) -> Plan:
        return self.indicator.plan


def parsed_fields(raw: str, women_raw: str = "", men_raw: str = "") -> dict[str, Any]:
    """The derived fields of a value cell: its number (or qualitative text) and the gender split."""
    parsed = parse_value(raw)
    return {
        "number": parsed.number,
        "suffix": parsed.suffix,
        "text": parsed.text,
        "women": parse_value(women_raw).number,
        "men": parse_value(men_raw).number,
    }
