"""GET /api/risks/{plan}: the analyses and the internal-control areas that apply."""

import pytest

from verksam.plans.models import Plan
from verksam.testing import RATE_LIMIT_QUERIES

pytestmark = pytest.mark.django_db


def test_the_api_returns_an_offices_risks_and_the_boards_areas(
    client, django_assert_max_num_queries
):
    # 1 the plan, 2 its risk analyses, 3 risks, 4 the board's internal-control areas, 5 points;
    # + RATE_LIMIT_QUERIES: the rate limit's count in the database cache.
    with django_assert_max_num_queries(5 + RATE_LIMIT_QUERIES):
        response = client.get("/api/risks/SBK-2022")
    assert response.status_code == 200
    data = response.json()
    assert data["plan"] == "SBK-2022"
    [analysis] = data["analyses"]
    assert [r["id"] for r in analysis["risks"]] == [f"sbk-2022-risk{n}" for n in range(1, 6)]
    assert analysis["risks"][1]["measures_label"] == "Åtgärd:"
    assert analysis["risks"][1]["value"] is None
    assert [a["title"] for a in data["internal_control_areas"]][1] == "Informationssäkerhet"


def test_the_api_hides_drafts_and_unknown_plans(client):
    Plan.objects.filter(key="TSK-2022").update(status=Plan.Status.DRAFT)
    assert client.get("/api/risks/TSK-2022").status_code == 404
    assert client.get("/api/risks/NOPE").status_code == 404
