"""Shared test setup: the Norrtälje 2022 seed plan is loaded once per test session.

Every test runs in a transaction that is rolled back, so tests see the seed as
loaded and can change it freely.
"""

import pytest
from django.conf import settings

from verksam.imports.services import load_plan


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_plan([settings.DEMO_PLAN_DIR])


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 takes half a second a password by design; tests hash with a fast hasher
    (verksam/accounts/tests/test_login.py checks that the project's first is Argon2)."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


@pytest.fixture
def make_user(django_user_model):
    """Make a user holding the given roles, e.g. `make_user("anna", reporter="KSK-EKONOMI")`."""
    from verksam.accounts.models import Membership
    from verksam.organisation.models import OrgUnit

    def make(username: str, **roles: str):
        user = django_user_model.objects.create_user(username, password="not-used-here")
        for role, unit_code in roles.items():
            Membership.objects.create(
                user=user, unit=OrgUnit.objects.get(code=unit_code), role=role
            )
        return user

    return make
