from collections.abc import Iterable, Mapping

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OrgUnit(models.Model):
    """A body in the municipality's tree (council, board, office, department, unit),
    or an outside body a plan names as responsible (TKN, KSON, another municipality)."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        COUNCIL = "council", _("council")
        BOARD = "board", _("board")
        COMMITTEE = "committee", _("committee")
        OFFICE = "office", _("office")
        DEPARTMENT = "department", _("department")
        UNIT = "unit", _("unit")
        EXTERNAL = "external", _("external body")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="orgunit_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def unit_ids(self) -> set[int]:
        """Roles at this unit (or above it) apply to it (see accounts.rules)."""
        return {self.pk}


def units_below(
    children: Mapping[int | None, Iterable[int]], roots: Iterable[int]
) -> frozenset[int]:
    """The root units and every unit under them, given each unit's children (read once,
    so that walking the tree costs no queries)."""
    found: set[int] = set()
    todo = list(roots)
    while todo:
        unit_id = todo.pop()
        if unit_id not in found:
            found.add(unit_id)
            todo.extend(children.get(unit_id, ()))
    return frozenset(found)
