"""The admin is an entrance too: its forms apply the input rules (issue 10 §2)."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from verksam.budget.models import BudgetCell
from verksam.indicators.models import IndicatorValue
from verksam.plans.models import Action
from verksam.testing import make_admin

pytestmark = pytest.mark.django_db


def admin_form_fields(model, user) -> dict:
    request = RequestFactory().get("/")
    request.user = user
    return admin.site._registry[model].get_form(request, model.objects.first()).base_fields


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("key", "h-<script>alert(1)</script>"),
        ("key", "ksk/2022"),
        ("text", "NUL\x00"),
        ("text", "Word\x0bbreak"),
        ("completion_criterion", "x" * 20_001),
    ],
)
def test_the_action_admin_refuses_what_the_input_rules_refuse(field, value):
    fields = admin_form_fields(Action, make_admin())
    with pytest.raises(ValidationError):
        fields[field].clean(value)


def test_the_action_admin_takes_a_valid_key_and_text():
    fields = admin_form_fields(Action, make_admin())
    assert fields["key"].clean("ksk-2022-1.1-u1-a9") == "ksk-2022-1.1-u1-a9"
    assert fields["text"].clean("Ta fram en plan.\nSedan: genomför den.")


def test_the_budget_admins_inline_applies_the_text_rules():
    """A row's figures are edited in its inline."""
    request = RequestFactory().get("/")
    request.user = make_admin()
    row = BudgetCell.objects.first().row
    inline = admin.site._registry[type(row)].get_inline_instances(request, row)[0]
    fields = inline.get_formset(request, row).form.base_fields
    with pytest.raises(ValidationError):
        fields["raw"].clean("-152\x00445")
    assert fields["raw"].clean("-152 445") == "-152 445"


def test_a_figure_whose_number_does_not_fit_is_refused_by_the_model_the_admin_checks():
    cell = BudgetCell.objects.first()
    cell.raw = "123 456 789 012 345"
    with pytest.raises(ValidationError) as error:
        cell.full_clean()
    assert "raw" in error.value.message_dict


def test_an_indicator_value_whose_number_does_not_fit_is_refused():
    value = IndicatorValue.objects.first()
    value.raw, value.women_raw = "12", "123456789012345"
    with pytest.raises(ValidationError) as error:
        value.full_clean()
    assert set(error.value.message_dict) == {"women_raw"}
