"""Every model holding plan, follow-up, budget, risk, user or role data keeps a history."""

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
