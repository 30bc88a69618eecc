"""Fixtures for the report tests: the seed plan's document and files, made once per module
(the seed is loaded once per session and not changed by these fixtures), and a plan item
full of hostile text."""

from typing import Any

import pytest

from verksam.plans.models import Action, Assignment, Plan
from verksam.reports.plan_document import fetch_plan_content, plan_document
from verksam.reports.tests.texts import FORMULA, HOSTILE, LONG_WORD


@pytest.fixture(scope="module")
def seed_document(django_db_setup: None, django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        plan = Plan.objects.select_related("owner").get(key="KS-2022")
        return plan_document(fetch_plan_content(plan, visible=Plan.objects.all()))


@pytest.fixture
def hostile_action(db: None) -> Action:
    """An action of KSK's first assignment with hostile texts and empty fields."""
    assignment = Assignment.objects.get(key="ksk-2022-1.1-u1")
    return Action.objects.create(
        key="hostile",
        plan=assignment.plan,
        goal_area=assignment.goal_area,
        assignment=assignment,
        text=HOSTILE,
        completion_criterion=f"{LONG_WORD} {FORMULA}",
        responsible_raw="",
        start_raw="",
        end_raw="+46 @ -1",
        position=999,
    )
