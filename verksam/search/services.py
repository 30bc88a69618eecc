"""Keeping the search index current.

`index_saved` receives the `post_save` signal of every model in `SOURCES` (connected in
`SearchConfig.ready`), so that the loader, the admin and every service that saves an item keep
its document current; deleting an item deletes its document (a one-to-one link). Writes that
skip `save()` (QuerySet.update, bulk_create) send no signal: they are followed by
`rebuild_index()` (also the `rebuild-search-index` command).

A new kind of item needs a `SearchDocument.Kind`, a one-to-one link, an entry in `SOURCES` and
a page in the search view's `result_url`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.db import transaction
from django.db.models import Model, prefetch_related_objects

from verksam.indicators.models import Indicator
from verksam.plans.models import Action, Assignment
from verksam.risks.models import Risk
from verksam.search.fulltext import HIGHLIGHT_END, HIGHLIGHT_START
from verksam.search.models import SearchDocument

Kind = SearchDocument.Kind


@dataclass(frozen=True)
class Source:
    """Where a kind's document comes from: the model, its title fields (the first that is
    not blank), its other text and the path to its plan's id (a risk belongs to its plan
    through its risk analysis)."""

    kind: str
    model: type[Any]
    title: tuple[str, ...]
    body: tuple[str, ...]
    plan_id: str = "plan_id"

    @property
    def related(self) -> list[str]:
        """What to join to read the plan's id without a query per item."""
        return self.plan_id.split(".")[:-1]

    def items(self) -> Any:
        """Every item of the kind, with what its plan's id is read through."""
        items = self.model.objects.order_by("pk")
        return items.select_related(*self.related) if self.related else items


SOURCES = [
    Source(Kind.ASSIGNMENT, Assignment, ("title",), ("description", "origin", "notes")),
    Source(Kind.ACTION, Action, ("text",), ("completion_criterion", "responsible_raw", "notes")),
    Source(Kind.INDICATOR, Indicator, ("name",), ("notes", "source", "responsible_raw")),
    # A risk printed without a title is known by its description.
    Source(Kind.RISK, Risk, ("title", "description"), ("measures",), "analysis.plan_id"),
]
SOURCE_OF = {source.model: source for source in SOURCES}


def plain(value: object) -> str:
    """Text to index: a list of notes as lines; never the characters that mark highlights."""
    text = "\n".join(map(str, value)) if isinstance(value, list) else str(value or "")
    return text.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")


def document_fields(source: Source, item: Any) -> dict[str, Any]:
    """The document of an item, as column values (the item's link included)."""
    return {
        "kind": source.kind,
        "key": item.key,
        "plan_id": attrgetter(source.plan_id)(item),
        source.kind: item,
        "title": next(filter(None, (plain(getattr(item, f)) for f in source.title)), ""),
        "body": "\n".join(filter(None, (plain(getattr(item, f)) for f in source.body))),
    }


def index_item(item: Assignment | Action | Indicator | Risk) -> None:
    """Create or update the search document of one saved item."""
    source = SOURCE_OF[type(item)]
    fields = document_fields(source, item)
    link = {source.kind: fields.pop(source.kind)}
    # An update, else an insert: one query for a changed item, two for a new one.
    if not SearchDocument.objects.filter(**link).update(**fields):
        SearchDocument.objects.create(**link, **fields)


def index_items(items: Sequence[Model]) -> None:
    """Create or update the documents of items written in bulk (which sends no `post_save`):
    a few queries per kind whatever the number of items."""
    for source in SOURCES:
        mine = [item for item in items if type(item) is source.model]
        if not mine:
            continue
        if source.related:
            prefetch_related_objects(mine, *source.related)
        SearchDocument.objects.filter(**{f"{source.kind}__in": mine}).delete()
        SearchDocument.objects.bulk_create(
            [SearchDocument(**document_fields(source, item)) for item in mine], batch_size=500
        )


def index_saved(sender: type[Any], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """`post_save` receiver: index the saved item (not rows loaded raw from a fixture,
    which `save()` never saw either)."""
    if not raw:
        index_item(instance)


def index_created(sender: type[Any], rows: Sequence[Model], **kwargs: Any) -> None:
    """`core.bulk.rows_created` receiver: index rows a service created in bulk."""
    index_items(rows)


def documents() -> list[SearchDocument]:
    """Unsaved documents for every searchable item."""
    return [
        SearchDocument(**document_fields(source, item))
        for source in SOURCES
        for item in source.items().iterator()
    ]


@transaction.atomic
def rebuild_index() -> int:
    """Index every item again from scratch; returns the number of documents."""
    SearchDocument.objects.all().delete()
    return len(SearchDocument.objects.bulk_create(documents(), batch_size=500))
