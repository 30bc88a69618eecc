"""Explainable rules: an indicator outcome against its target, and the roll-up of
objectives, goal areas and offices. Each result carries the sentence that produced it
("mål 3,0%, utfall 2,4 %, tolerans 10 % → ej uppfyllt"), so people can check it.

Indicator rule (docs/followup.md):
- the target is the indicator's target value for the period's year; missing, `-` or
  words ("Minskande", "Basvärde tas fram") cannot be assessed by rule: a controller
  assesses by hand with a motivation;
- the tolerance is 10 % of the target (half a unit when the target is 0, as for
  budget deviation 0,0 %);
- higher is better: at or above target → met; within the tolerance below → partly met;
- lower is better (ranks, days, costs): at or below → met; within the tolerance above →
  partly met;
- best at the target value: within the tolerance either side → met; within twice
  the tolerance → partly met;
- anything else → not met.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.core.numbers import number_text, parse_value, value_text
from verksam.followup.models import Attainment, StatusChoice
from verksam.indicators.models import Indicator, IndicatorValue

TOLERANCE = Decimal("0.10")
ZERO_TARGET_TOLERANCE = Decimal("0.5")


@dataclass(frozen=True)
class Assessment:
    """An attainment and the rule, in words, that produced it."""

    attainment: Attainment
    rule: str


def target_for(values: Iterable[IndicatorValue], year: int) -> IndicatorValue | None:
    """The indicator's target for the year, as printed in the plan (first one if several)."""
    return next(
        (v for v in values if v.kind == IndicatorValue.Kind.TARGET and v.year == year), None
    )


def assess(indicator: Indicator, target: IndicatorValue | None, outcome_raw: str) -> Assessment:
    """The rule's attainment of an outcome against a target, with its explanation."""
    outcome = parse_value(outcome_raw)
    if target is None or parse_value(target.raw).is_missing:
        return Assessment(Attainment.UNKNOWN, _("no target for the year: assess by hand"))
    goal = parse_value(target.raw)
    if indicator.direction == Indicator.Direction.QUALITATIVE or goal.number is None:
        return Assessment(
            Attainment.UNKNOWN,
            _("the target “%(target)s” is qualitative: assess by hand") % {"target": target.raw},
        )
    if outcome.number is None:
        return Assessment(
            Attainment.UNKNOWN,
            _("the outcome “%(outcome)s” is not a number: assess by hand")
            % {"outcome": outcome_raw},
        )
    suffix = goal.suffix if goal.suffix in {"%", outcome.suffix} else outcome.suffix
    target_number, value = goal.number, outcome.number
    if target_number == 0:
        tolerance = ZERO_TARGET_TOLERANCE
        tolerance_text = number_text(tolerance, suffix)
    else:
        tolerance = abs(target_number) * TOLERANCE
        tolerance_text = number_text(TOLERANCE * 100, "%", 0)
    attainment = rule_attainment(indicator.direction, target_number, value, tolerance)
    rule = _(
        "target %(target)s, outcome %(outcome)s, %(direction)s, tolerance %(tolerance)s "
        "→ %(attainment)s"
    ) % {
        "target": value_text(target.raw),
        "outcome": value_text(outcome_raw),
        "direction": Indicator.Direction(indicator.direction).label,
        "tolerance": tolerance_text,
        "attainment": Attainment(attainment).label,
    }
    return Assessment(attainment, rule)


def rule_attainment(
    direction: str, target: Decimal, value: Decimal, tolerance: Decimal
) -> Attainment:
    """The comparison itself, by the indicator's direction."""
    if direction == Indicator.Direction.HIGHER:
        shortfall = target - value
    elif direction == Indicator.Direction.LOWER:
        shortfall = value - target
    else:
        shortfall = abs(value - target) - tolerance
    if shortfall <= 0:
        return Attainment.MET
    if shortfall <= tolerance:
        return Attainment.PARTLY
    return Attainment.NOT_MET


def final(assessment: Assessment, manual: str, motivation: str) -> Assessment:
    """A manual assessment, when given, overrides the rule; its motivation is its rule."""
    if not manual:
        return assessment
    return Assessment(
        Attainment(manual),
        _("assessed by hand: %(motivation)s") % {"motivation": motivation},
    )


# --- Roll-up ---------------------------------------------------------------------------

# How an action's or assignment's status counts in the roll-up. Not started is not met:
# nothing can be said of it yet (and once its end has passed it counts as late).
STATUS_ATTAINMENT = {
    StatusChoice.NOT_STARTED: Attainment.UNKNOWN,
    StatusChoice.ON_TRACK: Attainment.MET,
    StatusChoice.DONE: Attainment.MET,
    StatusChoice.DEVIATION: Attainment.PARTLY,
    StatusChoice.POSTPONED: Attainment.PARTLY,
    StatusChoice.DELAYED: Attainment.NOT_MET,
    StatusChoice.CANCELLED: Attainment.UNKNOWN,
}
GREEN_SHARE = Decimal("0.8")
RED_SHARE = Decimal(1) / Decimal(3)


def status_attainment(status: str, *, late: bool) -> Attainment:
    """An unfinished item past its end counts as delayed whatever was typed (or if
    nothing was reported); other unreported items cannot be assessed."""
    if late:
        return Attainment.NOT_MET
    if not status:
        return Attainment.UNKNOWN
    return STATUS_ATTAINMENT[StatusChoice(status)]


@dataclass(frozen=True)
class Contribution:
    """One child of a roll-up (an indicator, action, assignment or objective) and its result."""

    label: str
    link: str  # its page; "" for an item's, made from its kind and key (`url`)
    attainment: Attainment
    kind: str = ""  # "action", "assignment", "indicator" or "objective"
    key: str = ""

    @property
    def url(self) -> str:
        """Its page, reversed only for the children a page names (the culprits): reversing
        every item's took a third of a round's roll-up at 100× the seed."""
        return self.link or reverse(f"pages:{self.kind}_detail", args=[self.key])


@dataclass
class RollUp:
    """A computed suggestion from the children, the rule in words, and the children that
    made it yellow or red."""

    attainment: Attainment
    rule: str
    children: list[Contribution] = field(default_factory=list)

    @property
    def culprits(self) -> list[Contribution]:
        if self.attainment not in {Attainment.PARTLY, Attainment.NOT_MET}:
            return []
        return [c for c in self.children if c.attainment in {Attainment.PARTLY, Attainment.NOT_MET}]


def roll_up(children: list[Contribution]) -> RollUp:
    """The suggestion for a parent: children that cannot be assessed are left out; with
    none left it cannot be assessed; a third or more not met → not met; at least 80 %
    met and none not met → met; otherwise partly met."""
    assessed = [c for c in children if c.attainment != Attainment.UNKNOWN]
    counts = {a: sum(1 for c in assessed if c.attainment == a) for a in Attainment}
    if not assessed:
        attainment = Attainment.UNKNOWN
    elif counts[Attainment.NOT_MET] >= RED_SHARE * len(assessed):
        attainment = Attainment.NOT_MET
    elif counts[Attainment.MET] >= GREEN_SHARE * len(assessed) and not counts[Attainment.NOT_MET]:
        attainment = Attainment.MET
    else:
        attainment = Attainment.PARTLY
    unknown = len(children) - len(assessed)
    # Each count with its own plural ("1 delvis uppfylld", "2 delvis uppfyllda").
    parts = [
        ngettext("%(n)d met", "%(n)d met", counts[Attainment.MET]),
        ngettext("%(n)d partly met", "%(n)d partly met", counts[Attainment.PARTLY]),
        ngettext("%(n)d not met", "%(n)d not met", counts[Attainment.NOT_MET]),
        ngettext("%(n)d not assessable", "%(n)d not assessable", unknown),
    ]
    numbers = [counts[Attainment.MET], counts[Attainment.PARTLY], counts[Attainment.NOT_MET]]
    rule = _("%(counts)s → %(attainment)s") % {
        "counts": ", ".join(
            part % {"n": n} for part, n in zip(parts, [*numbers, unknown], strict=True)
        ),
        "attainment": attainment.label,
    }
    return RollUp(attainment, rule, children)
