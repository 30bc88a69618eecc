"""Amounts on the economy pages: whole tkr and percentages in Swedish format."""

from decimal import Decimal

from django import template

from verksam.economy import reporting

register = template.Library()


@register.filter
def tkr(value: Decimal | None) -> str:
    return reporting.tkr(value)


@register.filter
def percent(value: Decimal | None) -> str:
    return reporting.percent(value)
