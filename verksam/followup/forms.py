"""Forms of the follow-up pages. They only read and check input; the services save it
(and check what needs the database: the period, the version, the permission)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from verksam.followup.models import (
    Attainment,
    CarryOverDecision,
    IndicatorOutcome,
    Judgement,
    StatusChoice,
    StatusReport,
)

TEXT = {"rows": 3}


class VersionedForm(forms.Form):
    """Carries the version the edit is based on (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {"expected_version": data.pop("version"), **data}


class StatusForm(VersionedForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=StatusChoice.choices,
        error_messages={"required": _("Choose a status.")},
    )
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Optional: how far the work has come, 0–100."),
    )
    cause = forms.CharField(
        label=_("Cause of the deviation"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    remedy = forms.CharField(
        label=_("Remedy"),
        required=False,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("What is done to get back on track."),
    )
    new_forecast = forms.CharField(label=_("New forecast"), required=False, max_length=500)
    new_end_date = forms.DateField(
        label=_("New end date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("As 2022-09-30."),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs=TEXT))

    @classmethod
    def initial_from(cls, report: StatusReport | None) -> dict[str, Any]:
        if report is None:
            return {"version": 0}
        return {name: getattr(report, name) for name in cls.base_fields}


class OutcomeForm(VersionedForm):
    raw = forms.CharField(
        label=_("Outcome"),
        error_messages={"required": _("Give the outcome, a number or a short text.")},
        max_length=200,
        help_text=_("A number as printed, with its unit (2,4 or 7 191 kr), or a short text."),
    )
    women = forms.DecimalField(label=_("Women"), required=False, localize=True)
    men = forms.DecimalField(label=_("Men"), required=False, localize=True)
    source = forms.CharField(label=_("Source"), required=False, max_length=500)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs=TEXT))

    @classmethod
    def initial_from(cls, outcome: IndicatorOutcome | None) -> dict[str, Any]:
        if outcome is None:
            return {"version": 0}
        return {name: getattr(outcome, name) for name in cls.base_fields}


class AssessmentForm(VersionedForm):
    attainment = forms.ChoiceField(
        label=_("Manual assessment"),
        required=False,
        choices=[("", _("by the rule")), *Attainment.choices],
    )
    motivation = forms.CharField(
        label=_("Motivation"), required=False, widget=forms.Textarea(attrs=TEXT)
    )

    @classmethod
    def initial_from(cls, outcome: IndicatorOutcome) -> dict[str, Any]:
        return {
            "version": outcome.version,
            "attainment": outcome.manual_attainment,
            "motivation": outcome.manual_motivation,
        }


class JudgementForm(VersionedForm):
    attainment = forms.ChoiceField(label=_("Judgement"), choices=Attainment.choices)
    motivation = forms.CharField(
        label=_("Motivation"),
        widget=forms.Textarea(attrs=TEXT),
        error_messages={"required": _("A judgement needs a motivation.")},
    )

    @classmethod
    def initial_from(cls, judgement: Judgement | None) -> dict[str, Any]:
        if judgement is None:
            return {"version": 0}
        return {
            "version": judgement.version,
            "attainment": judgement.attainment,
            "motivation": judgement.motivation,
        }


class OpenForm(forms.Form):
    deadline = forms.DateField(
        label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), widget=forms.Textarea(attrs=TEXT))


class AcknowledgeForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    subject = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Why it is acceptable"), max_length=1000)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=CarryOverDecision.Decision.choices, widget=forms.RadioSelect
    )
    replacement = forms.CharField(
        label=_("Replaced by"),
        required=False,
        help_text=_("Only for replace: the new assignment or action."),
    )
    motivation = forms.CharField(label=_("Motivation"), required=False)


class CarryOverForm(forms.Form):
    to_year = forms.IntegerField(label=_("Into the plan for the year"), min_value=2000)
