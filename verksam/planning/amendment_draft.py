"""An amendment being put together on the editing page of a decided plan: the changes a
controller makes one by one (each checked as it is added, `services.check_amendment_edits`),
kept in their session until they record the amendment, with one reason, decision reference
and date, through `services.amend_plan`, all or nothing. The changes are the amendment's
`services.Edit`s, the same as the API's `changes` and the `verksam plan amend` file: there is
one model of an amendment, and nothing of the decided plan changes before it is recorded."""

from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest

from verksam.planning import services
from verksam.planning.authoring import item_fields, with_relations
from verksam.plans.models import Plan

SESSION_KEY = "verksam.planning.amendment"


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class PendingChange:
    """One change of the amendment as the editing page lists it."""

    number: int
    edit: services.Edit
    title: str
    fields: list[FieldChange]

    @property
    def anchor(self) -> str:
        return f"{self.edit.kind}-{self.edit.key}" if self.edit.key else ""


class AmendmentDraft:
    """The changes collected for the amendment of a decided plan (its board's plan), in the
    user's session."""

    def __init__(self, request: HttpRequest, plan: Plan) -> None:
        self.session = request.session
        self.plan = plan.root
        stored = self.session.get(SESSION_KEY, {}).get(self.plan.key, [])
        self.edits = [services.Edit(**e) for e in stored]

    def __len__(self) -> int:
        return len(self.edits)

    def save(self) -> None:
        drafts = dict(self.session.get(SESSION_KEY, {}))
        if self.edits:
            drafts[self.plan.key] = [asdict(e) for e in self.edits]
        else:
            drafts.pop(self.plan.key, None)
        self.session[SESSION_KEY] = drafts

    def pending(self, kind: str, key: str) -> services.Edit | None:
        """The change collected for an item, if any."""
        return next((e for e in self.edits if (e.kind, e.key) == (kind, key) and key), None)

    def pending_anchors(self) -> set[str]:
        return {f"{e.kind}-{e.key}" for e in self.edits if e.key}

    def with_edit(self, edit: services.Edit) -> list[services.Edit]:
        """The changes with `edit` added: a second change of the same item takes the place
        of the first (the form started from it; the version read stays the first one)."""
        edits = list(self.edits)
        for n, old in enumerate(edits):
            if edit.key and (old.kind, old.key) == (edit.kind, edit.key):
                edit.version = old.version
                edits[n] = edit
                return edits
        return [*edits, edit]

    def add(self, edit: services.Edit, *, actor: Any) -> None:
        """Check the changes with `edit` (nothing is written) and keep them."""
        edits = self.with_edit(edit)
        services.check_amendment_edits(self.plan, actor=actor, edits=edits)
        self.edits = edits
        self.save()

    def remove(self, number: int) -> None:
        if 1 <= number <= len(self.edits):
            del self.edits[number - 1]
            self.save()

    def clear(self) -> None:
        self.edits = []
        self.save()

    def listed(self) -> list[PendingChange]:
        """The changes with their items' titles and what each changes, field by field
        (a query or two per kind of item changed)."""
        rows: dict[tuple[str, str], models.Model] = {}
        by_kind: dict[str, list[str]] = {}
        for e in self.edits:
            if e.key and e.kind in services.KINDS:
                by_kind.setdefault(e.kind, []).append(e.key)
        for kind, keys in by_kind.items():
            model = services.KINDS[kind].model
            for row in with_relations(kind, model._default_manager.filter(key__in=keys)):
                rows[(kind, row.key)] = row
        listed = []
        for n, e in enumerate(self.edits, start=1):
            row = rows.get((e.kind, e.key))
            title = str(row) if row is not None else _new_title(e)
            listed.append(PendingChange(n, e, title[:120], _field_changes(e, row)))
        return listed


def _new_title(edit: services.Edit) -> str:
    fields = edit.fields
    return str(
        fields.get("title") or fields.get("text") or fields.get("name") or fields.get("heading")
        or edit.key
    )  # fmt: skip


def _field_changes(edit: services.Edit, row: models.Model | None) -> list[FieldChange]:
    if edit.op != "update" or row is None:
        return []
    before = item_fields(row)
    changes = []
    for name, after in edit.fields.items():
        if name not in before or before[name] == after:
            continue
        try:
            label = str(getattr(type(row)._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:  # lists that are not model fields (values)
            label = name.replace("_", " ")
        simple = isinstance(after, str | int) and isinstance(before[name], str | int)
        changes.append(
            FieldChange(label, before[name] if simple else "…", after if simple else "…")
        )
    return changes
