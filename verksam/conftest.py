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
