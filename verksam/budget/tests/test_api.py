"""GET /api/budget/{plan}: printed and computed figures side by side."""

import pytest

from verksam.budget.models import BudgetCell
from verksam.plans.models import Plan
from verksam.testing import RATE_LIMIT_QUERIES

pytestmark = pytest.mark.django_db


def test_the_api_returns_a_plans_tables_with_printed_and_computed_figures(
    client, django_assert_max_num_queries
):
    # 1 the plan, 2 its tables, 3 columns, 4 rows (with units), 5 cells;
    # + RATE_LIMIT_QUERIES: the rate limit's count in the database cache.
    with django_assert_max_num_queries(5 + RATE_LIMIT_QUERIES):
        response = client.get("/api/budget/KSK-2022")
    assert response.status_code == 200
    tables = response.json()
    assert [t["id"] for t in tables] == [
        "ksk-2022-operating",
        "ksk-2022-departments",
        "ksk-2022-investments",
    ]
    net = next(r for r in tables[0]["rows"] if r["id"] == "ksk-2022-operating-net")
    cell = next(c for c in net["cells"] if c["year"] == 2022)
    assert cell["raw"] == "-152 445"
    assert float(cell["printed"]) == float(cell["computed"]) == -152445
    assert cell["disagrees"] is False
    percent = next(r for r in tables[0]["rows"] if r["kind"] == "change_percent")
    assert [c["computed"] for c in percent["cells"]] == ["12.0", "5.7", "1.3", "2.6"]
    assert tables[2]["columns"][0] == {
        "label": "2022",
        "kind": "budget",
        "year": 2022,
        "kind_inferred": True,
    }


def test_the_api_marks_a_disagreeing_figure(client):
    BudgetCell.objects.filter(row__key="tsk-2022-investments-total", column__year=2023).update(
        raw="6 301"
    )
    tables = client.get("/api/budget/TSK-2022").json()
    total = next(r for t in tables for r in t["rows"] if r["id"] == "tsk-2022-investments-total")
    cell = next(c for c in total["cells"] if c["year"] == 2023)
    assert (cell["raw"], cell["disagrees"], float(cell["computed"])) == ("6 301", True, 6300)


def test_the_api_hides_drafts_and_unknown_plans(client):
    Plan.objects.filter(key="SBK-2022").update(status=Plan.Status.DRAFT)
    assert client.get("/api/budget/SBK-2022").status_code == 404
    assert client.get("/api/budget/NOPE-1999").status_code == 404
