"""Budgetföljsamhet: the indicators "Budgetföljsamhet (grad av budgetavvikelse i %)"
computed from the round's forecast and assessed by the follow-up's indicator rule
(`followup.assessment`: target 0,0 %, tolerance half a percentage point either side).

Which figure an indicator measures (docs/economy.md): an indicator whose name begins with
"Budgetföljsamhet" measures its plan's owner (an office's total, or the board's for the
board's plan); "per nämnd" means the board; "för kommunen som helhet" is the whole
municipality, whose budget verksam does not hold, so it is left to be reported by hand.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from verksam.core.numbers import number_text
from verksam.economy.reporting import Economy, Line
from verksam.followup import services as followup_services
from verksam.followup.assessment import Assessment, assess, target_for
from verksam.followup.models import IndicatorOutcome, ReportingPeriod
from verksam.followup.services import Actor
from verksam.indicators.models import Indicator

NAME_PREFIX = "Budgetföljsamhet"
WHOLE_MUNICIPALITY = "kommunen som helhet"
PER_BOARD = "per nämnd"
SOURCE = "verksam: helårsprognos mot budget"


@dataclass
class Compliance:
    """One Budgetföljsamhet indicator in a round: what it measures, the figure the forecast
    gives (None when it cannot: a forecast missing, or the whole municipality), the rule's
    assessment, and the outcome recorded in the round, if any."""

    indicator: Indicator
    scope: Line | None
    why_not: str = ""
    recorded: IndicatorOutcome | None = None

    @property
    def raw(self) -> str:
        deviation = self.scope.deviation if self.scope else None
        if deviation is None or deviation.percent is None:
            return ""
        return number_text(deviation.percent, "%", 1)

    @property
    def assessment(self) -> Assessment | None:
        if not self.raw:
            return None
        year_target = target_for(self.indicator.values.all(), self.indicator.plan.year)
        return assess(self.indicator, year_target, self.raw)


def compliance_of(economy: Economy) -> list[Compliance]:
    """The round's Budgetföljsamhet indicators with their figures (two queries: the
    indicators with their values, and their outcomes in the round)."""
    period = economy.period
    indicators = list(
        Indicator.objects.filter(plan__in=period.plans(), name__startswith=NAME_PREFIX)
        .select_related("plan__owner")
        .prefetch_related("values")
        .order_by("plan__position", "plan__key", "position")
    )
    recorded = {
        o.indicator_id: o
        for o in IndicatorOutcome.objects.filter(period=period, indicator__in=indicators)
    }
    offices = {o.plan.pk: o.total for o in economy.offices}
    found = []
    for indicator in indicators:
        name = indicator.name.lower()
        item = Compliance(indicator, None, recorded=recorded.get(indicator.pk))
        if WHOLE_MUNICIPALITY in name:
            item.why_not = _("the whole municipality's budget is not in verksam: report by hand")
        elif PER_BOARD in name or indicator.plan_id == period.plan_id:
            item.scope = economy.board
        else:
            item.scope = offices.get(indicator.plan_id)
        if item.scope is not None and item.scope.deviation is None:
            item.why_not = _("not every department has a forecast yet")
        found.append(item)
    return found


@transaction.atomic
def record_compliance(economy: Economy, *, actor: Actor) -> list[IndicatorOutcome]:
    """Record each computable Budgetföljsamhet figure as the indicator's outcome in the round
    (`followup.services.record_outcome`: the reporter's permission, the open round, the
    version), so that it is assessed and reported like every outcome."""
    period: ReportingPeriod = economy.period
    saved = []
    for item in compliance_of(economy):
        if not item.raw:
            continue
        current = item.recorded
        if current is not None and current.raw == item.raw and current.source == SOURCE:
            continue
        saved.append(
            followup_services.record_outcome(
                period,
                item.indicator,
                actor=actor,
                expected_version=current.version if current else 0,
                raw=item.raw,
                source=SOURCE,
                comment=_("Deviation of the full-year forecast from the budget, %(scope)s.")
                % {"scope": item.scope.label if item.scope else ""},
            )
        )
    return saved
