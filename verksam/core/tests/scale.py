"""Test data at a multiple of the seed's size, for asserting that query counts stay bounded.

`multiply_seed(10)` adds nine copies of every assignment, action and indicator (with their
objectives, responsibilities and values), written in bulk so that it takes a moment, not
minutes. Bulk writes skip `save()`, so the copies are not in the search index until a test
calls `verksam.search.services.rebuild_index()`.
"""

from typing import TypeVar

from django.db.models import Model

from verksam.indicators.models import Indicator, IndicatorResponsibility, IndicatorValue
from verksam.plans.models import Action, ActionResponsibility, Assignment

M = TypeVar("M", bound=Model)


def clone(row: M, **changes: object) -> M:
    """An unsaved copy of a row's own columns, with `changes` applied."""
    fields = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
    return type(row)(**{**fields, "id": None, **changes})


def multiply_seed(factor: int) -> None:
    """Make the plan data `factor` times as large (copy keys end in `-x<batch>.<n>`)."""
    batch = Assignment.objects.count()  # keeps keys unique when called again
    assignments = list(Assignment.objects.prefetch_related("objectives"))
    actions = list(Action.objects.prefetch_related("responsibilities"))
    indicators = list(Indicator.objects.prefetch_related("values", "responsibilities"))
    for n in range(1, factor):
        suffix = f"-x{batch}.{n}"
        copies = {a.pk: clone(a, key=a.key + suffix) for a in assignments}
        Assignment.objects.bulk_create(copies.values())
        Assignment.objectives.through.objects.bulk_create(
            Assignment.objectives.through(assignment_id=copies[a.pk].pk, objective_id=o.pk)
            for a in assignments
            for o in a.objectives.all()
        )
        new_actions = [
            clone(
                a,
                key=a.key + suffix,
                assignment_id=copies[a.assignment_id].pk if a.assignment_id else None,
            )
            for a in actions
        ]
        Action.objects.bulk_create(new_actions)
        ActionResponsibility.objects.bulk_create(
            clone(r, action_id=new.pk)
            for old, new in zip(actions, new_actions, strict=True)
            for r in old.responsibilities.all()
        )
        new_indicators = [clone(i, key=i.key + suffix) for i in indicators]
        Indicator.objects.bulk_create(new_indicators)
        IndicatorResponsibility.objects.bulk_create(
            clone(r, indicator_id=new.pk)
            for old, new in zip(indicators, new_indicators, strict=True)
            for r in old.responsibilities.all()
        )
        IndicatorValue.objects.bulk_create(
            clone(v, indicator_id=new.pk)
            for old, new in zip(indicators, new_indicators, strict=True)
            for v in old.values.all()
        )
