from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _


class AuditSearchForm(forms.Form):
    """The audit search's filters; `kind` offers what the user may search."""

    who = forms.CharField(label=_("Changed by (user name)"), required=False, max_length=150)
    kind = forms.ChoiceField(label=_("Kind of item"), required=False)
    item = forms.CharField(label=_("Item id contains"), required=False, max_length=80)
    since = forms.DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", _("all")), *kinds]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data
