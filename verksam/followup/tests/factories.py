"""Make the seed plan larger for query-count tests: copies of every action (with its
responsible units), assignment and indicator (with values and responsible units)."""

from verksam.indicators.models import Indicator, IndicatorResponsibility, IndicatorValue
from verksam.plans.models import Action, ActionResponsibility, Assignment


def multiply_seed(times: int) -> None:
    """Make the plan `times` as large: `times - 1` copies of each item, in bulk."""
    actions = list(Action.objects.prefetch_related("responsibilities"))
    assignments = list(Assignment.objects.all())
    indicators = list(Indicator.objects.prefetch_related("values", "responsibilities"))
    for n in range(1, times):
        suffix = f"-x{n}"
        new_assignments = Assignment.objects.bulk_create(
            [copy(a, key=a.key + suffix) for a in assignments]
        )
        by_old = {old.pk: new for old, new in zip(assignments, new_assignments, strict=True)}
        new_actions = Action.objects.bulk_create(
            [copy(a, key=a.key + suffix, assignment=by_old.get(a.assignment_id)) for a in actions]
        )
        ActionResponsibility.objects.bulk_create(
            copy(r, action=new)
            for old, new in zip(actions, new_actions, strict=True)
            for r in old.responsibilities.all()
        )
        new_indicators = Indicator.objects.bulk_create(
            [copy(i, key=i.key + suffix) for i in indicators]
        )
        pairs = list(zip(indicators, new_indicators, strict=True))
        IndicatorValue.objects.bulk_create(
            copy(v, indicator=new) for old, new in pairs for v in old.values.all()
        )
        IndicatorResponsibility.objects.bulk_create(
            copy(r, indicator=new) for old, new in pairs for r in old.responsibilities.all()
        )


def copy(row, **changes):
    """An unsaved copy of a model instance with some fields changed."""
    new = type(row)(
        **{
            f.attname: getattr(row, f.attname)
            for f in row._meta.concrete_fields
            if not f.primary_key
        }
    )
    for name, value in changes.items():
        setattr(new, name, value)
    return new
