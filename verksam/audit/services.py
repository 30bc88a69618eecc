"""Reading the audit trail that django-simple-history records for every audited model.

Each audited model has its own history table; these functions turn their rows into one
list of changes (who, when, what, before → after) for item pages and the audit search.
The trail is only ever read here: nothing in verksam writes to or deletes from it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalChanges

from verksam.accounts.models import Role
from verksam.accounts.rules import AnyUser, owned_by, unit_ids_with_role

VALUE_LENGTH = 300
# A verb in the past tense, read after who did it ("Anna · skapade uppdrag"): an adjective
# ("skapad uppdrag") would have to agree with each model's gender.
KIND_LABELS = {
    "+": pgettext_lazy("someone … an item", "created"),
    "~": pgettext_lazy("someone … an item", "changed"),
    "-": pgettext_lazy("someone … an item", "deleted"),
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Change:
    """One recorded change of one row."""

    record: tuple[str, int]
    when: datetime
    who: str
    kind: str
    kind_label: str
    what: str
    label: str
    fields: tuple[FieldChange, ...]


# simple-history makes its record models at run time: to mypy, a record is `Any`.
HistoryRecord = Any


def audited_models() -> list[type[HistoryRecord]]:
    """The history tables that record who made a change (not simple-history's link tables)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges)
        and any(field.name == "history_user" for field in model._meta.fields)
    ]


def display(value: object) -> str:
    if value is None or value == "":
        return "–"
    return Truncator(str(value)).chars(VALUE_LENGTH)


def row_label(record: HistoryRecord) -> str:
    """A short name for the changed row that needs no further query."""
    for name in ("key", "code", "username"):
        if getattr(record, name, ""):
            return str(getattr(record, name))
    return f"#{record.id}"


def changes(records: Iterable[HistoryRecord]) -> list[Change]:
    """Changes of rows from history records (each row's records in any order); a changed
    record lists its fields with their value before and after."""
    by_row: dict[tuple[type, int], list[HistoryRecord]] = {}
    for record in records:
        by_row.setdefault((type(record), record.id), []).append(record)
    found = []
    for rows in by_row.values():
        rows.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in rows:
            fields: tuple[FieldChange, ...] = ()
            if record.history_type == "~" and previous is not None:
                # Plain fields only: diffing the many-to-many links costs a query a record.
                plain = {f.name for f in record.tracked_fields if f.editable}
                delta = record.diff_against(previous, included_fields=plain)
                fields = tuple(
                    FieldChange(
                        str(record.instance_type._meta.get_field(c.field).verbose_name),
                        display(c.old),
                        display(c.new),
                    )
                    for c in delta.changes
                )
            user = record.history_user
            found.append(
                Change(
                    record=(record._meta.label, record.history_id),
                    when=record.history_date,
                    who=user.username if user else str(_("system (data load)")),
                    kind=record.history_type,
                    kind_label=str(KIND_LABELS[record.history_type]),
                    what=str(record.instance_type._meta.verbose_name),
                    label=row_label(record),
                    fields=fields,
                )
            )
            previous = record
    found.sort(key=lambda change: change.when, reverse=True)
    return found


def changes_of(obj: Model, *related: QuerySet) -> list[Change]:
    """The history of one item and of rows that belong to it (e.g. an action's
    responsibilities), newest first."""
    records = list(obj.history.select_related("history_user"))  # type: ignore[attr-defined]  # simple-history's manager, made at run time
    for rows in related:
        records.extend(rows.select_related("history_user"))
    return changes(records)


def scope(history: type[HistoryRecord], user: AnyUser) -> Q | None:
    """Which records of a history table the user may search: a controller those of plans
    their units own, an administrator the roles at their units; None if none at all."""
    if user.is_superuser:
        return Q()
    model = history.instance_type
    if not hasattr(model, "owner_path"):
        return None
    role = Role.ADMIN if model._meta.model_name == "membership" else Role.CONTROLLER
    units = unit_ids_with_role(user, role)
    return owned_by(model, units) if units else None


@dataclass(frozen=True)
class AuditQuery:
    """What the audit search asks for; every part optional."""

    who: str = ""
    kind: str = ""
    item: str = ""
    since: date | None = None
    until: date | None = None


def search_changes(user: AnyUser, query: AuditQuery, *, limit: int = 200) -> list[Change]:
    """The newest `limit` changes the user may see that match `query`; one query per
    audited table, whatever the size of the trail."""
    records: list[HistoryRecord] = []
    wanted: set[tuple[str, int]] = set()
    for history in audited_models():
        allowed = scope(history, user)
        if allowed is None or (query.kind and history.instance_type._meta.model_name != query.kind):
            continue
        rows = history.objects.filter(allowed).select_related("history_user")
        if query.who:
            rows = rows.filter(history_user__username__iexact=query.who)
        if query.item:
            names = {field.name for field in history._meta.fields}
            key = next((n for n in ("key", "code", "username") if n in names), None)
            if key is None:
                continue
            rows = rows.filter(**{f"{key}__icontains": query.item})
        tz = timezone.get_current_timezone()
        if query.since:
            rows = rows.filter(history_date__gte=datetime.combine(query.since, time(), tz))
        if query.until:
            end = datetime.combine(query.until + timedelta(days=1), time(), tz)
            rows = rows.filter(history_date__lt=end)
        found = {r.history_id for r in rows.order_by("-history_date")[:limit]}
        if found:
            # The rows' earlier records too, so that each change shows what it changed.
            ids = history.objects.filter(history_id__in=found).values("id")
            records.extend(history.objects.filter(id__in=ids).select_related("history_user"))
            wanted.update((history._meta.label, pk) for pk in found)
    return [c for c in changes(records) if c.record in wanted][:limit]


def audit_kinds(user: AnyUser) -> list[tuple[str, str]]:
    """The kinds of row the user may search, for the search form's choices."""
    return sorted(
        (
            (h.instance_type._meta.model_name, str(h.instance_type._meta.verbose_name))
            for h in audited_models()
            if scope(h, user) is not None
        ),
        key=lambda kind: kind[1],
    )


def history_for(user: AnyUser, obj: Model, *related: QuerySet) -> list[Change] | None:
    """An item page's history: its changes if the user may see who made them, else None."""
    if not user.has_perm("verksam.view_history", obj):
        return None
    return changes_of(obj, *related)
