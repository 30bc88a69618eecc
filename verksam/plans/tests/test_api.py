import pytest

from verksam.plans.models import Plan
from verksam.testing import RATE_LIMIT_QUERIES

pytestmark = pytest.mark.django_db


def test_the_api_lists_the_years_plans(client, django_assert_max_num_queries):
    # 1 the year's published plans, owners joined in;
    # + RATE_LIMIT_QUERIES: the rate limit's count in the database cache.
    with django_assert_max_num_queries(1 + RATE_LIMIT_QUERIES):
        response = client.get("/api/plans/", {"year": 2022})
    assert response.status_code == 200
    assert [p["id"] for p in response.json()] == ["KS-2022", "KSK-2022", "SBK-2022", "TSK-2022"]


def test_the_api_returns_one_plan_with_its_parent(client):
    data = client.get("/api/plans/SBK-2022").json()
    assert (data["owner"], data["parent"], data["horizon_end"]) == ("SBK", "KS-2022", 2024)


def test_the_api_shows_drafts_only_to_readers_of_the_owner(client, make_user):
    Plan.objects.filter(key="SBK-2022").update(status=Plan.Status.DRAFT)
    assert client.get("/api/plans/SBK-2022").status_code == 404
    assert "SBK-2022" not in {p["id"] for p in client.get("/api/plans/").json()}
    client.force_login(make_user("tsk-reader", reader="TSK"))
    assert client.get("/api/plans/SBK-2022").status_code == 404
    client.force_login(make_user("sbk-reader", reader="SBK"))
    assert client.get("/api/plans/SBK-2022").status_code == 200


def test_the_api_answers_404_for_an_unknown_plan(client):
    assert client.get("/api/plans/NOPE-1999").status_code == 404
