"""Forms of the economy pages. They only read and check input; the services save it (and
check the period, the version, the permission and the comment rule)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from verksam.core.validation import FormText
from verksam.economy.ledger import parse_amount
from verksam.economy.models import CarryOver, Forecast
from verksam.followup.forms import VersionedForm


class ForecastForm(VersionedForm):
    """The full-year forecast: the proposal accepted or an own figure; nothing is chosen
    beforehand, so a forecast is never saved without the person's choice."""

    choice = forms.ChoiceField(
        label=_("Forecast"),
        choices=Forecast.Basis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Accept the proposal or give your own forecast.")},
    )
    amount = forms.CharField(
        label=_("Own forecast for the full year (kSEK)"),
        required=False,
        max_length=40,
        help_text=_("Net, as the budget prints it: costs negative (-48 634)."),
    )

    def clean_amount(self) -> Decimal | None:
        return clean_amount(self.cleaned_data["amount"])

    comment = FormText(
        label=_("Comment"),
        required=False,
        help_text=_(
            "Required when the forecast deviates from the budget by more than the threshold."
        ),
    )


class CarryOverForm(VersionedForm):
    def clean_approved(self) -> Decimal | None:
        return clean_amount(self.cleaned_data["approved"])

    # No decision is chosen beforehand: the empty choice first.
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("", "–"), *CarryOver.Decision.choices]
    )
    approved = forms.CharField(
        label=_("Approved for carry-over (kSEK)"), required=False, max_length=40
    )
    note = FormText(label=_("Decision and reference"), required=False)


def clean_amount(text: str) -> Decimal | None:
    """An amount in tkr as people type it (`-48 634`, `-48634,5`), None when empty."""
    if not text.strip():
        return None
    try:
        return parse_amount(text)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from None


class OutcomeUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File from the finance system"),
        help_text=_(
            "SIE 4 (.se), CSV or Excel (.xlsx): the outcome from 1 January to the period's end."
        ),
    )


class MappingUploadForm(forms.Form):
    mapping = forms.FileField(
        label=_("Mapping file (CSV)"),
        help_text=_("Columns konto;ansvar;verksamhet;projekt;rad. Replaces the whole mapping."),
    )
