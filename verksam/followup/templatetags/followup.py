"""Badges for statuses and attainment: a symbol and words first, colour second. Each status
has its own colour and symbol (verksam.css), so that "not started" and "done" never look
alike although both count as on course in the roll-up."""

from django import template
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from verksam.followup import item_followup
from verksam.followup.item_followup import LatestOutcome
from verksam.followup.models import (
    Attainment,
    StatusChoice,
)
from verksam.indicators.models import Indicator

register = template.Library()


@register.simple_tag
def attainment(value: str | None) -> str:
    """An attainment in words with its colour class."""
    value = value or Attainment.UNKNOWN
    return format_html(
        '<span class="attainment attainment--{}">{}</span>',
        value,
        capfirst(Attainment(value).label),
    )


@register.simple_tag
def status(value: str | None) -> str:
    """A status in words, with its own symbol and colour."""
    if not value:
        return format_html('<span class="status status--not_reported">{}</span>', _("Not reported"))
    label = capfirst(StatusChoice(value).label)
    return format_html('<span class="status status--{}">{}</span>', value, label)


@register.simple_tag
def latest_outcome(indicator: Indicator) -> LatestOutcome | None:
    """The indicator's latest outcome the visitor may read, with its assessment
    (`item_followup.latest_outcome`: from what the view prefetched, no query)."""
    return item_followup.latest_outcome(indicator)
