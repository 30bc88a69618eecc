"""The admin pages where controllers edit budget tables and rows."""

import pytest
from django.urls import reverse

from verksam.budget.models import BudgetRow, BudgetTable

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "key"),
    [
        (BudgetTable, "ksk-2022-departments"),
        (BudgetRow, "ksk-2022-departments-it"),
    ],
)
def test_the_admin_lists_shows_and_keeps_the_history_of_each_item(admin_client, model, key):
    meta = model._meta
    prefix = f"admin:{meta.app_label}_{meta.model_name}"
    pk = model.objects.get(key=key).pk
    assert admin_client.get(reverse(f"{prefix}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"{prefix}_change", args=[pk])).status_code == 200
    assert admin_client.get(reverse(f"{prefix}_history", args=[pk])).status_code == 200
    assert model.history.filter(key=key).exists()
