"""The search index: one document per searchable item, with the text that search matches.

The full-text index itself lives in the database: an FTS5 table on SQLite, a GIN index on
PostgreSQL (see `fulltext.py` and the migration). Documents point at their item with a
one-to-one link, so that deleting an item (or its plan) deletes its document.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from verksam.indicators.models import Indicator
from verksam.plans.models import Action, Assignment, Plan
from verksam.risks.models import Risk


class SearchDocument(models.Model):
    """What search sees of an item: its title and its other text, in one row."""

    class Kind(models.TextChoices):
        # In the order the results page shows the groups.
        ASSIGNMENT = "assignment", _("assignments")
        ACTION = "action", _("actions")
        INDICATOR = "indicator", _("indicators")
        RISK = "risk", _("risks")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    key = models.CharField(_("id"), max_length=80)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    assignment = models.OneToOneField(
        Assignment, null=True, on_delete=models.CASCADE, related_name="search_document"
    )
    action = models.OneToOneField(
        Action, null=True, on_delete=models.CASCADE, related_name="search_document"
    )
    indicator = models.OneToOneField(
        Indicator, null=True, on_delete=models.CASCADE, related_name="search_document"
    )
    risk = models.OneToOneField(
        Risk, null=True, on_delete=models.CASCADE, related_name="search_document"
    )
    title = models.TextField(_("title"))
    body = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="assignment", assignment__isnull=False)
                    | Q(kind="action", action__isnull=False)
                    | Q(kind="indicator", indicator__isnull=False)
                    | Q(kind="risk", risk__isnull=False)
                ),
                name="searchdocument_links_its_item",
            ),
        ]

    def __str__(self) -> str:
        return self.title
