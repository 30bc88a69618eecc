"""The status filter of the plan, goal-area and objective pages: the actions and assignments
whose latest status (of the rounds the visitor may read) is the chosen one, or the indicators
whose latest outcome is assessed so.

A plain GET form (`?status=delayed`), so that a filtered page works without JavaScript and
can be shared; the states are those the pages show beside each item
(`followup.item_followup.status_state`, `outcome_state`), so the filter never says more than
the page does.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from verksam.followup.item_followup import NO_OUTCOME, NOT_REPORTED, outcome_state, status_state
from verksam.followup.models import Attainment, Item, StatusChoice
from verksam.indicators.models import Indicator

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

STATUS_STATES: list[tuple[str, "StrOrPromise"]] = [
    *((value, capfirst(label)) for value, label in StatusChoice.choices),
    (NOT_REPORTED, _("Not reported")),
]
ASSESSMENT_STATES: list[tuple[str, "StrOrPromise"]] = [
    *((value, capfirst(label)) for value, label in Attainment.choices),
    (NO_OUTCOME, _("No outcome")),
]


class StateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Latest status or assessment"),
        required=False,
        choices=[
            ("", _("Everything")),
            (_("Actions and assignments: latest status"), STATUS_STATES),
            (_("Indicators: latest assessment"), ASSESSMENT_STATES),
        ],
    )

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__(data, label_suffix="", auto_id="state-%s")


@dataclass(frozen=True)
class StateFilter:
    """The chosen state ("" for everything) and the form that chose it."""

    form: StateForm
    state: str

    @property
    def is_status(self) -> bool:
        return self.state in dict(STATUS_STATES)

    @property
    def label(self) -> "StrOrPromise":
        return dict(STATUS_STATES + ASSESSMENT_STATES).get(self.state, "")

    def keeps_item(self, item: Item) -> bool:
        return self.is_status and status_state(item) == self.state

    def keeps_indicator(self, indicator: Indicator) -> bool:
        return not self.is_status and outcome_state(indicator) == self.state


def state_filter(request: HttpRequest) -> StateFilter:
    """The page's filter from its query string (an unknown state filters nothing: the form
    says what is wrong)."""
    form = StateForm(request.GET)
    return StateFilter(form, form.cleaned_data["status"] if form.is_valid() else "")
