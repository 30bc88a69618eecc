"""Forms of the account and user pages. They only read input; the changes are made by
`verksam.accounts.services`, which also checks who may make them."""

from collections.abc import Iterable

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


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("For single sign-on: the name the identity provider gives the person."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        help_text=_("Leave empty for people who sign in with single sign-on only."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class UnitForm(forms.Form):
    """A unit chosen by id. Any unit is accepted here; whether the administrator manages it
    is the service's question, so that a forged id is refused (403), not merely invalid."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.all())

    def __init__(self, *args: object, units: Iterable[OrgUnit] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Offer only the administrator's own units.
        self.fields["unit"].choices = [("", "---------")] + [  # type: ignore[attr-defined]
            (unit.pk, f"{unit.name} ({unit.code})") for unit in units
        ]


class RoleGrantForm(UnitForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
