"""Moving items up and down and reordering them is optimistic-locked like every other edit
(issue 12 §3): the write names the version read, a second saver who read an older version
gets a conflict naming the other version, and nothing of the refused write is saved;
through the services, the editing page (plain form and htmx) and the API."""

import pytest
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains

from verksam.accounts import services as accounts
from verksam.indicators.models import Indicator
from verksam.organisation.models import OrgUnit
from verksam.planning import services
from verksam.plans.models import Objective, Plan
from verksam.testing import board_controller, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def clara():
    return board_controller()


@pytest.fixture(autouse=True)
def english_pages(client) -> None:
    """The pages and the API in English, as the messages below are written."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def draft(clara) -> Plan:
    return services.create_plan(
        actor=clara,
        owner=OrgUnit.objects.get(code="KS"),
        year=2023,
        from_plan=Plan.objects.get(key="KS-2022"),
    ).plan


def objectives() -> list[Objective]:
    return list(Objective.objects.filter(goal_area__key="2023-ma1").order_by("position", "pk"))


def keys() -> list[str]:
    return [o.key for o in objectives()]


def test_a_shift_saves_the_moved_items_as_their_next_version(draft, clara):
    first, second = objectives()[:2]
    assert services.shift_item(second, actor=clara, by=-1, expected_version=second.version)
    assert keys()[:2] == [second.key, first.key]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, second.version) == (2, 2)
    assert second.history.latest().history_user == clara


def test_a_shift_of_a_version_read_before_anothers_move_is_refused(draft, clara):
    first, second, *_ = objectives()
    before = keys()
    olle = make_user("olle", controller="KS")
    # Olle moves the second up; Clara, who read the first at version 1, moves it down.
    services.shift_item(second, actor=olle, by=-1, expected_version=1)
    moved = keys()
    with pytest.raises(services.ItemConflict) as stale:
        services.shift_item(first, actor=clara, by=1, expected_version=1)
    assert (stale.value.read, stale.value.version) == (1, 2)
    assert stale.value.saved_by()[0] == "olle"
    assert "you read version 1, it is now version 2" in str(stale.value)
    assert keys() == moved != before


def test_a_shift_after_an_edit_of_the_item_is_refused(draft, clara):
    first = objectives()[0]
    services.update_item(first, actor=clara, expected_version=1, fields={"title": "Ny titel"})
    with pytest.raises(services.ItemConflict):
        services.shift_item(first, actor=clara, by=1, expected_version=1)
    assert objectives()[0] == first


def indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(plan__key="KSK-2023").order_by("position", "pk")[:3])


def test_a_reorder_names_every_version_read_and_a_stale_one_writes_nothing(draft, clara):
    rows = indicators()
    before = [r.key for r in rows]
    services.update_item(rows[2], actor=clara, expected_version=1, fields={"name": "Ändrad"})
    with pytest.raises(services.ItemConflict) as stale:
        services.reorder_items(rows[::-1], actor=clara, versions=[1, 1, 1])
    assert stale.value.key == rows[2].key
    assert [r.key for r in indicators()] == before
    assert [r.version for r in indicators()] == [1, 1, 2]
    services.reorder_items(rows[::-1], actor=clara, versions=[2, 1, 1])
    assert [r.key for r in indicators()] == before[::-1]
    with pytest.raises(services.ItemConflict):  # the old order was read before this one
        services.reorder_items(rows, actor=clara, versions=[1, 1, 1])


def test_a_reorder_without_a_version_for_each_item_is_refused(draft, clara):
    rows = objectives()[:2]
    with pytest.raises(services.ValidationError):
        services.reorder_items(rows, actor=clara, versions=[1])


def shift(client, item, direction, version, **headers):
    url = reverse("planning:item_shift", args=["objective", item.key])
    return client.post(url, {"direction": direction, "version": str(version)}, headers=headers)


def test_the_page_moves_an_item_and_keeps_the_focus_on_its_button(client, clara, draft):
    client.force_login(clara)
    first, second = objectives()[:2]
    response = shift(client, second, "up", second.version)
    assert response.status_code == 302
    assert f"moved=objective-{second.key}&direction=up" in response["Location"]
    page = client.get(response["Location"])
    assertContains(page, 'value="up" class="button--secondary" autofocus')
    assert keys()[:2] == [second.key, first.key]


@pytest.mark.parametrize("htmx", [False, True])
def test_the_page_refuses_a_stale_move_and_says_whose_version_it_is(client, clara, draft, htmx):
    client.force_login(clara)
    first, second = objectives()[:2]
    services.shift_item(second, actor=make_user("olle", controller="KS"), by=-1, expected_version=1)
    moved = keys()
    headers = {"HX-Request": "true"} if htmx else {}
    response = shift(client, first, "down", 1, **headers)
    assert response.status_code == 302
    page = client.get(response["Location"], headers=headers)
    assertContains(page, f"Someone else changed {first.key} since you read it")
    assertContains(page, "it is now version 2")
    assertContains(page, "Saved by olle")
    assert keys() == moved
    # The form asks htmx for the editing page's content (`hx-select`), where the message is.
    assertContains(page, 'hx-select="#main"')


def test_the_page_refuses_a_move_without_the_version_read(client, clara, draft):
    client.force_login(clara)
    first = objectives()[0]
    url = reverse("planning:item_shift", args=["objective", first.key])
    assert client.post(url, {"direction": "down"}).status_code == 400
    assert objectives()[0] == first


def test_the_conflict_is_said_in_swedish(client, clara, draft):
    first, second = objectives()[:2]
    services.shift_item(second, actor=clara, by=-1, expected_version=1)
    with pytest.raises(services.ItemConflict) as stale:
        services.shift_item(first, actor=clara, by=1, expected_version=1)
    with translation.override("sv"):
        assert "du läste version 1" in stale.value.message()


def test_the_api_orders_with_versions_and_a_stale_order_is_409_with_the_current_item(
    client, clara, draft
):
    token = accounts.create_api_token(actor=clara, user=clara, name="t")[1]
    json = {"content_type": "application/json", "headers": {"Authorization": f"Bearer {token}"}}
    url = "/api/planning/plans/KS-2023/order/objective"
    rows = objectives()[:2]
    items = [{"id": r.key, "version": r.version} for r in rows[::-1]]
    assert client.post(url, {"items": items}, **json).status_code == 204
    assert keys()[:2] == [rows[1].key, rows[0].key]
    stale = client.post(url, {"items": items[::-1]}, **json)
    assert stale.status_code == 409
    body = stale.json()
    assert body["current"]["version"] == 2
    assert body["current"]["saved_by"] == "clara"
    assert body["current"]["fields"]["title"]
    assert "it is now version 2" in body["detail"]
    assert keys()[:2] == [rows[1].key, rows[0].key]
    missing = client.post(url, {"items": [{"id": rows[0].key}]}, **json)
    assert missing.status_code == 422
