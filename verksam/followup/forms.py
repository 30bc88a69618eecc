"""Forms of the follow-up pages. They only read and check input; the services save it
(and check what needs the database: the period, the version, the permission)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from verksam.core.numbers import parse_value
from verksam.core.validation import (
    SHORT_TEXT_MAX,
    TITLE_MAX,
    YEAR_MAX,
    FormNumber,
    FormText,
    clean_number,
)
from verksam.followup.models import (
    Attainment,
    CarryOverDecision,
    IndicatorOutcome,
    Judgement,
    PeriodText,
    StatusChoice,
    StatusReport,
)


class VersionedForm(forms.Form):
    """Carries the version the edit is based on (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {"expected_version": data.pop("version"), **data}


class StatusForm(VersionedForm):
    # No status is chosen for the person: an untouched form is an error, not "not started".
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Choose…")), *StatusChoice.choices],
        error_messages={"required": _("Choose a status.")},
    )
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Optional: how far the work has come, 0–100."),
    )
    cause = FormText(label=_("Cause of the deviation"), required=False)
    remedy = FormText(
        label=_("Remedy"), required=False, help_text=_("What is done to get back on track.")
    )
    new_forecast = FormText(
        label=_("New forecast"), required=False, max_length=TITLE_MAX, multiline=False
    )
    new_end_date = forms.DateField(
        label=_("New end date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("As 2022-09-30."),
    )
    analysis = FormText(
        label=_("Analysis"),
        required=False,
        help_text=_("What was done and what happens next."),
    )
    comment = FormText(label=_("Comment"), required=False)

    @classmethod
    def initial_from(cls, report: StatusReport | None) -> dict[str, Any]:
        if report is None:
            return {"version": 0}
        return {name: getattr(report, name) for name in cls.base_fields}


class OutcomeForm(VersionedForm):
    raw = FormText(
        label=_("Outcome"),
        error_messages={"required": _("Give the outcome, a number or a short text.")},
        max_length=SHORT_TEXT_MAX,
        multiline=False,
        help_text=_("A number as printed, with its unit (2,4 or 7 191 kr), or a short text."),
    )
    women = FormNumber(label=_("Women"), required=False)
    men = FormNumber(label=_("Men"), required=False)
    source = FormText(label=_("Source"), required=False, max_length=TITLE_MAX, multiline=False)
    comment = FormText(label=_("Comment"), required=False)

    def clean_raw(self) -> str:
        """The number in the outcome must fit, as every number does."""
        raw = self.cleaned_data["raw"]
        number = parse_value(raw).number
        if number is not None:
            try:
                clean_number(number)
            except ValueError as error:
                raise forms.ValidationError(str(error), code="invalid") from None
        return raw

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
    motivation = FormText(label=_("Motivation"), required=False)

    @classmethod
    def initial_from(cls, outcome: IndicatorOutcome) -> dict[str, Any]:
        return {
            "version": outcome.version,
            "attainment": outcome.manual_attainment,
            "motivation": outcome.manual_motivation,
        }


class JudgementForm(VersionedForm):
    # No judgement is chosen for the controller, whatever the suggestion says.
    attainment = forms.ChoiceField(
        label=_("Judgement"),
        choices=[("", _("Choose…")), *Attainment.choices],
        error_messages={"required": _("Choose a judgement.")},
    )
    motivation = FormText(
        label=_("Motivation"), error_messages={"required": _("A judgement needs a motivation.")}
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


class PeriodTextForm(VersionedForm):
    """The round's summary or significant events. A new summary is offered the draft from
    the figures; nothing is stored until the controller saves it."""

    text = FormText(
        label=_("Text"),
        error_messages={"required": _("Write the text.")},
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Paragraphs are separated by an empty line; a line starting with • or - is a bullet."
        ),
    )

    @classmethod
    def initial_from(cls, text: PeriodText | None, draft: str = "") -> dict[str, Any]:
        if text is None:
            return {"version": 0, "text": draft}
        return {"version": text.version, "text": text.text}


class OpenForm(forms.Form):
    deadline = forms.DateField(
        label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )


class ReopenForm(forms.Form):
    reason = FormText(label=_("Reason for reopening"))


class AcknowledgeForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    subject = forms.CharField(widget=forms.HiddenInput)
    note = FormText(label=_("Why it is acceptable"), max_length=TITLE_MAX, multiline=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=CarryOverDecision.Decision.choices, widget=forms.RadioSelect
    )
    replacement = FormText(
        label=_("Replaced by"),
        required=False,
        max_length=TITLE_MAX,
        multiline=False,
        help_text=_("Only for replace: the new assignment or action."),
    )
    motivation = FormText(label=_("Motivation"), required=False, multiline=False)


class CarryOverForm(forms.Form):
    to_year = forms.IntegerField(
        label=_("Into the plan for the year"), min_value=2000, max_value=YEAR_MAX
    )


class ToReportFilterForm(forms.Form):
    """The filters of "Att rapportera": the offices, units and goal areas of the rows the
    user has to report (so an unknown value is an error at its field), and the state."""

    office = forms.ChoiceField(label=_("Office"), required=False)
    unit = forms.ChoiceField(label=_("Reporting unit"), required=False)
    goal_area = forms.ChoiceField(label=_("Goal area"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All")),
            ("missing", _("Not reported")),
            ("reported", _("Reported")),
            ("late", _("Late")),
        ],
    )

    def __init__(
        self,
        data: Any,
        *,
        offices: list[tuple[str, str]],
        units: list[tuple[str, str]],
        goal_areas: list[tuple[str, str]],
    ) -> None:
        """`offices`, `units` and `goal_areas`: (code or key, name) of those in the rows
        (`glance.filter_choices`)."""
        super().__init__(data, label_suffix="")
        everything = [("", _("All"))]
        self.fields["office"].choices = everything + offices  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["unit"].choices = everything + units  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["goal_area"].choices = everything + goal_areas  # type: ignore[attr-defined]  # a ChoiceField
