"""Every model holding plan, follow-up, budget, risk, user or role data keeps a history."""

import pytest
from django.apps import apps
from django.contrib.auth.models import User

# Rows that are bookkeeping, not data anyone decides on: login sessions, the search index.
NOT_AUDITED = {"accounts.Session", "search.SearchDocument"}


def test_every_verksam_model_and_the_user_model_keep_a_history():
    models = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("verksam.") and not model.__name__.startswith("Historical")
    ]
    unaudited = [
        model._meta.label
        for model in [*models, User]
        if not hasattr(model, "history") and model._meta.label not in NOT_AUDITED
    ]
    assert unaudited == []


@pytest.mark.django_db
def test_every_owner_path_reaches_a_unit_on_the_model_and_its_history():
    """The admin and the audit search filter by `owner_path`; a wrong path would fail there."""
    from verksam.accounts.rules import owned_by

    owned = [m for m in apps.get_models() if hasattr(m, "owner_path") and hasattr(m, "history")]
    assert len(owned) > 20
    for model in owned:
        model.objects.filter(owned_by(model, [1])).exists()
        model.history.filter(owned_by(model, [1])).exists()
