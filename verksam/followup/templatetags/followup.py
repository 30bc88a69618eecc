"""Badges for statuses and attainment: words first, colour second."""

from django import template
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from verksam.followup.assessment import status_attainment
from verksam.followup.models import (
    Attainment,
    StatusChoice,
)

register = template.Library()

STATUS_TONE = {
    Attainment.MET: "good",
    Attainment.PARTLY: "warn",
    Attainment.NOT_MET: "bad",
    Attainment.UNKNOWN: "none",
}


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
    """A status in words, coloured by how it counts in the roll-up."""
    if not value:
        return format_html('<span class="status status--none">{}</span>', _("Not reported"))
    tone = STATUS_TONE[status_attainment(value, late=False)]
    label = capfirst(StatusChoice(value).label)
    return format_html('<span class="status status--{}">{}</span>', tone, label)
