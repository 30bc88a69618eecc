"""Forms of the account and user pages. They only read input; the changes are made by
`verksam.accounts.services`, which also checks who may make them."""

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from verksam.accounts.models import Role
from verksam.organisation.models import OrgUnit


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Power BI report”."),
    )


class UnitForm(forms.Form):
    """A unit chosen by id. Any unit is accepted here; whether the administrator manages it
    is the service's question, so that a forged id is refused (403), not merely invalid."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.all())

    def __init__(self, *args: Any, units: Iterable[OrgUnit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offer only the administrator's own units.
        cast(forms.ChoiceField, self.fields["unit"]).choices = [("", "---------")] + [
            (unit.pk, f"{unit.name} ({unit.code})") for unit in units
        ]


class RoleGrantForm(UnitForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class UserCreateForm(RoleGrantForm):
    """A new account with its first role at one of the administrator's units. The person
    sets their own password from an e-mailed link; with single sign-on the link is asked
    for (people may need no password at all)."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("For single sign-on: the name the identity provider gives the person."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("A link to choose a password is sent here."),
    )
    send_password_link = forms.BooleanField(
        label=_("Send a link to choose a password"),
        required=False,
        help_text=_("Only for people who sign in without single sign-on."),
    )
    field_order = ["username", "first_name", "last_name", "email", "unit", "role"]

    def __init__(self, *args: Any, sso: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sso = sso
        self.fields["unit"].help_text = _("The first role; grant more on the next page.")
        if sso:
            self.fields["email"].required = False
            self.fields["email"].help_text = ""
        else:
            del self.fields["send_password_link"]

    @property
    def wants_link(self) -> bool:
        return not self.sso or bool(self.cleaned_data.get("send_password_link"))

    def clean(self) -> dict[str, object]:
        super().clean()
        data = self.cleaned_data
        if self.wants_link and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Needed to send the link."))
        return data
