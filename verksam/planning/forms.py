"""Forms of the planning pages. They only read and check input; the services save it (and
check the permission, the plan's state and the texts again)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from verksam.core.validation import LONG_TEXT_MAX, FormText
from verksam.planning.models import ReviewComment


class CommentForm(forms.Form):
    text = FormText(
        label=_("Your comment"),
        max_length=LONG_TEXT_MAX,
        error_messages={"required": _("Write the comment.")},
    )


class AnswerForm(forms.Form):
    answer = FormText(
        label=_("Answer"),
        max_length=LONG_TEXT_MAX,
        error_messages={"required": _("Write the answer.")},
    )
    # Which button was pressed: save the answer only, or also close the comment.
    close = forms.ChoiceField(
        required=False,
        choices=[
            ("", ""),
            (ReviewComment.Status.RESOLVED, _("Resolve")),
            (ReviewComment.Status.ACKNOWLEDGED, pgettext_lazy("review comment", "Acknowledge")),
        ],
    )


class DecisionForm(forms.Form):
    decided_by = FormText(
        label=_("Decided by"),
        max_length=100,
        multiline=False,
        help_text=_("The body, e.g. KS."),
        error_messages={"required": _("Required.")},
    )
    decided_on = forms.DateField(
        label=_("Decided on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"required": _("Give the date of the decision.")},
    )
    reference = FormText(
        label=_("Decision reference"),
        max_length=100,
        multiline=False,
        help_text=_("E.g. KS 2021/123 §45."),
        error_messages={"required": _("Required.")},
    )
