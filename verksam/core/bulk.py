"""Rows written in bulk as if saved one by one: with their history records, and announced
by `rows_created` (bulk_create sends no `post_save`) so that the apps above that keep
something per row (the search index) keep up."""

from collections.abc import Sequence
from typing import TypeVar

from django.db.models import Model
from django.dispatch import Signal
from simple_history.utils import bulk_create_with_history

M = TypeVar("M", bound=Model)

# Sent with `sender=<model>` and `rows=<the created rows, with their primary keys>`.
rows_created = Signal()


def create_with_history(rows: Sequence[M], model: type[M]) -> list[M]:
    """Insert `rows` in a few queries, each with its history record (the history's user
    as for a save: simple-history's request context), and announce them."""
    if not rows:
        return []
    created = bulk_create_with_history(rows, model, batch_size=500)
    rows_created.send(sender=model, rows=created)
    return created
