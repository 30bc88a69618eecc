"""The changes page: a plan against another state of it or another year's plan."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verksam.planning import services
from verksam.plans.models import GoalArea, Plan
from verksam.testing import assert_accessible_structure, board_controller, multiply_seed

pytestmark = pytest.mark.django_db


def test_the_page_lists_an_amendment_and_its_changes_field_by_field(client):
    clara = board_controller()
    plan = Plan.objects.get(key="KS-2022")
    area = GoalArea.objects.filter(plan=plan).first()
    services.amend_plan(
        plan, actor=clara, reason="Ny titel.", reference="KS 2022/5 §1",
        decided_on=date(2022, 5, 1),
        edits=[services.Edit("update", "goal_area", area.key, {"title": "Ny titel"})],
    )  # fmt: skip
    page = client.get("/planning/KS-2022/changes/?since=KS-2022@amendment-1")
    assert page.status_code == 200
    assert "Inga ändringar." in page.text  # nothing since the amendment
    page = client.get("/planning/KS-2022/changes/")  # the seed has no stored decision
    assert page.context["since"] == "KS-2022"
    assert "KS 2022/5 §1" in page.text
    assert_accessible_structure(page.text)


def test_two_years_compare_and_an_unknown_reference_is_a_400_at_its_field(client):
    clara = board_controller()
    ks = Plan.objects.get(key="KS-2022")
    services.create_plan(actor=clara, owner=ks.owner, year=2023, from_plan=ks)
    client.force_login(clara)
    page = client.get("/planning/KS-2023/changes/")
    assert page.context["since"] == "KS-2022"
    assert {c.change for c in page.context["changes"]} >= {"removed", "changed"}
    bad = client.get("/planning/KS-2023/changes/?since=KS-1999")
    assert bad.status_code == 400
    assert 'aria-invalid="true"' in bad.text


def test_a_drafts_changes_are_not_shown_to_anonymous_visitors_and_post_is_refused(client):
    clara = board_controller()
    ks = Plan.objects.get(key="KS-2022")
    services.create_plan(actor=clara, owner=ks.owner, year=2023, from_plan=ks)
    assert client.get("/planning/KS-2023/changes/").status_code == 404
    assert client.post("/planning/KS-2022/changes/").status_code == 405


def test_the_page_runs_the_same_queries_whatever_the_size(client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/planning/KSK-2022/changes/?since=KS-2022").status_code == 200
        return len(queries)

    # The session-less visit: the plan, its state twice (the plans, then each kind of
    # item with its links and values), the amendments and the stored steps.
    at_1 = count()
    multiply_seed(10)
    assert count() == at_1
