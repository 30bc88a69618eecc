"""The planning API: the plan's life and item edits with a token, the same refusals as
the services (403, 409 for a decided plan or a stale version, 422 by field)."""

import pytest

from verksam.accounts import services as accounts
from verksam.plans.models import Action, Amendment, GoalArea, Plan
from verksam.testing import board_controller

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    token = accounts.create_api_token(actor=user, user=user, name="test")[1]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def clara_headers() -> dict[str, str]:
    return bearer(board_controller())


def test_a_controller_makes_reviews_and_decides_a_plan_with_a_token(client, clara_headers):
    made = client.post(
        "/api/planning/plans", {"owner": "KS", "year": 2023, "from_year": 2022},
        content_type="application/json", headers=clara_headers,
    )  # fmt: skip
    assert made.status_code == 201
    assert made.json()["id"] == "KS-2023"
    ga = "2023-ma1"
    item = client.post(
        "/api/planning/plans/KSK-2023/items/assignment",
        {"fields": {"title": "Nytt", "kind": "office_initiative", "goal_area": ga}},
        content_type="application/json", headers=clara_headers,
    )  # fmt: skip
    assert item.status_code == 201
    assert item.json()["version"] == 1
    key = item.json()["id"]
    changed = client.patch(
        f"/api/planning/items/assignment/{key}", {"version": 1, "fields": {"title": "Ändrat"}},
        content_type="application/json", headers=clara_headers,
    )  # fmt: skip
    assert changed.json()["version"] == 2
    stale = client.patch(
        f"/api/planning/items/assignment/{key}", {"version": 1, "fields": {"title": "Sent"}},
        content_type="application/json", headers=clara_headers,
    )  # fmt: skip
    assert stale.status_code == 409
    assert (
        client.post("/api/planning/plans/KS-2023/review", headers=clara_headers).status_code == 200
    )
    decided = client.post(
        "/api/planning/plans/KS-2023/decide",
        {"decided_by": "KS", "decided_on": "2022-12-14", "reference": "KS 2022/1 §2"},
        content_type="application/json", headers=clara_headers,
    )  # fmt: skip
    assert decided.json()["status"] == "decided"
    diff = client.get("/api/planning/plans/KS-2023/diff?against=review", headers=clara_headers)
    assert {(c["kind"], c["change"]) for c in diff.json()} == {("plan", "changed")}


def test_a_decided_plans_items_answer_409_and_stay_as_they_were(client, clara_headers):
    action = Action.objects.filter(plan__key="KSK-2022").first()
    response = client.patch(
        f"/api/planning/items/action/{action.key}",
        {"version": action.version, "fields": {"text": "Ändrad"}},
        content_type="application/json", headers=clara_headers,
    )  # fmt: skip
    assert response.status_code == 409
    assert "KSK-2022" in response.json()["detail"]
    assert Action.objects.get(pk=action.pk).text == action.text


def test_a_refused_transition_is_422_and_bad_fields_are_named(client, clara_headers):
    response = client.post("/api/planning/plans/KS-2022/review", headers=clara_headers)
    assert response.status_code == 422
    assert Plan.objects.get(key="KS-2022").status == "decided"
    client.post("/api/planning/plans", {"owner": "KS", "year": 2023},
                content_type="application/json", headers=clara_headers)  # fmt: skip
    bad = client.post(
        "/api/planning/plans/KS-2023/items/goal_area", {"fields": {"number": "", "colour": 1}},
        content_type="application/json", headers=clara_headers,
    )  # fmt: skip
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"number", "title", "colour"}


def test_a_reader_is_refused_and_anonymous_callers_must_sign_in(client, make_user):
    reader = bearer(make_user("lasse", reader="KS"))
    response = client.post(
        "/api/planning/plans", {"owner": "KS", "year": 2023},
        content_type="application/json", headers=reader,
    )  # fmt: skip
    assert response.status_code == 403
    assert client.post("/api/planning/plans/KS-2022/archive").status_code == 401
    assert not Plan.objects.filter(year=2023).exists()


@pytest.mark.parametrize("against", ["", "XYZ-1999", "KS-2022@someday", "KS-2022@review"])
def test_a_diff_against_a_state_that_does_not_exist_is_404(client, clara_headers, against):
    answer = client.get(
        f"/api/planning/plans/KS-2022/diff?against={against}", headers=clara_headers
    )
    assert answer.status_code == 404
    assert answer.json()["errors"]["query.against"]


def test_items_read_through_the_api_can_be_sent_back_and_moved_and_ordered(client, clara_headers):
    json = {"content_type": "application/json", "headers": clara_headers}
    client.post("/api/planning/plans", {"owner": "KS", "year": 2023, "from_year": 2022}, **json)
    items = client.get("/api/planning/plans/KSK-2023/items?kind=indicator", headers=clara_headers)
    assert items.status_code == 200
    first = items.json()[0]
    assert first["plan"] == "KSK-2023"
    assert {"name", "origin", "direction", "values", "responsible_units"} <= set(first["fields"])
    assert any(v["kind"] == "target" and v["year"] == 2023 for v in first["fields"]["values"])
    one = client.get(f"/api/planning/items/indicator/{first['id']}", headers=clara_headers)
    assert one.json() == first
    # What is read is written back unchanged: the same fields, a new version.
    same = client.patch(
        f"/api/planning/items/indicator/{first['id']}",
        {"version": first["version"], "fields": first["fields"]}, **json,
    )  # fmt: skip
    assert same.status_code == 200, same.json()
    again = client.get(f"/api/planning/items/indicator/{first['id']}", headers=clara_headers)
    assert again.json()["fields"] == first["fields"]
    assert again.json()["version"] == first["version"] + 1
    moved = client.post(
        f"/api/planning/items/indicator/{first['id']}/move",
        {"version": first["version"] + 1, "objective": "2023-1.2"}, **json,
    )  # fmt: skip
    assert moved.status_code == 200, moved.json()
    moved_item = client.get(f"/api/planning/items/indicator/{first['id']}", headers=clara_headers)
    assert moved_item.json()["fields"]["objective"] == "2023-1.2"
    current = client.get("/api/planning/plans/KSK-2023/items?kind=indicator", headers=clara_headers)
    ids = [i["id"] for i in current.json()][:3]
    order = [{"id": i["id"], "version": i["version"]} for i in current.json()][:3]
    ordered = client.post(
        "/api/planning/plans/KSK-2023/order/indicator", {"items": order[::-1]}, **json
    )
    assert ordered.status_code == 204
    after = client.get("/api/planning/plans/KSK-2023/items?kind=indicator", headers=clara_headers)
    assert [i["id"] for i in after.json()][:3] == ids[::-1]
    foreign = client.post(
        "/api/planning/plans/KSK-2023/order/indicator",
        {"items": [{"id": "ksk-2022-1.1-i1", "version": 1}]},
        **json,
    )
    assert foreign.status_code == 422


def test_an_amendments_changes_name_the_version_read_and_a_stale_one_is_409(client, clara_headers):
    area = GoalArea.objects.filter(plan__key="KS-2022").first()
    read = client.get(f"/api/planning/items/goal_area/{area.key}", headers=clara_headers).json()

    def amend(title: str, version: int):
        return client.post(
            "/api/planning/plans/KS-2022/amendments",
            {"reason": "Ny titel.", "reference": "KS 2022/9 §1", "decided_on": "2022-05-01",
             "changes": [{"op": "update", "kind": "goal_area", "id": area.key,
                          "version": version, "fields": {"title": title}}]},
            content_type="application/json", headers=clara_headers,
        )  # fmt: skip

    assert amend("Första", read["version"]).status_code == 201
    stale = amend("Andra", read["version"])
    assert stale.status_code == 409
    assert stale.json()["current"]["fields"]["title"] == "Första"
    assert stale.json()["current"]["version"] == read["version"] + 1
    assert Amendment.objects.count() == 1
    assert GoalArea.objects.get(pk=area.pk).title == "Första"
