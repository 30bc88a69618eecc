"""Who may author a plan: role (none, reader, reporter, controller, admin) × where the role
is held (the owner's unit, a unit below it, beside it, above it) × level (the board's plan,
whose goal areas and objectives its controllers edit, and an office's part), through the
editing pages and through the API with a token. Only a controller or admin at the owner or
above may; the others are refused (403, or 404 when they may not even read the draft) and
nothing changes."""

import pytest
from django.urls import reverse

from verksam.accounts import services as accounts
from verksam.accounts.models import Role
from verksam.organisation.models import OrgUnit
from verksam.plans.models import GoalArea, Plan, PlanSection
from verksam.testing import make_user

pytestmark = pytest.mark.django_db

ROLES = [None, Role.READER, Role.REPORTER, Role.CONTROLLER, Role.ADMIN]
# Where the role is held, per level: the owner, a unit below it, one beside it, one above.
UNITS = {
    "board": {"own": "KS", "child": "KSK", "sibling": "TKN", "parent": "KF"},
    "office": {"own": "KSK", "child": "KSK-STAB", "sibling": "SBK", "parent": "KS"},
}
RELATIONS = ["own", "child", "sibling", "parent"]


def may_author(role: Role | None, relation: str) -> bool:
    return role in (Role.CONTROLLER, Role.ADMIN) and relation in ("own", "parent")


@pytest.fixture
def drafts() -> dict[str, object]:
    """A draft board plan for 2023 with a goal area, and KSK's draft part with a text."""
    ks = Plan.objects.create(key="KS-2023", owner=OrgUnit.objects.get(code="KS"), year=2023,
                             title="KS 2023", horizon_start=2023, horizon_end=2025)  # fmt: skip
    ksk = Plan.objects.create(key="KSK-2023", owner=OrgUnit.objects.get(code="KSK"), year=2023,
                              parent=ks, title="KSK 2023", horizon_start=2023,
                              horizon_end=2025)  # fmt: skip
    area = GoalArea.objects.create(key="x-ma1", plan=ks, number="1", title="Ekonomi")
    text = PlanSection.objects.create(key="x-t1", plan=ksk, kind="idea", heading="Idé", body="")
    return {"board": area, "office": text}


def user_with(role: Role | None, unit: str):
    return make_user("u", **({role.value: unit} if role else {}))


def page_edit(client, item, level: str):
    if level == "board":
        kind, data = "goal_area", {"number": "1", "title": "Ändrad", "ambition": ""}
    else:
        kind, data = "section", {"heading": "Ändrad", "kind": "idea", "goal_area": "",
                                 "objective": "", "body": ""}  # fmt: skip
    url = reverse("planning:item_edit", args=[kind, item.key])
    return client.get(url), client.post(url, {"version": str(item.version), **data})


def api_edit(client, item, level: str, headers):
    kind, field = ("goal_area", "title") if level == "board" else ("section", "heading")
    return client.patch(
        f"/api/planning/items/{kind}/{item.key}",
        {"version": item.version, "fields": {field: "Ändrad"}},
        content_type="application/json", headers=headers,
    )  # fmt: skip


def title_of(item) -> str:
    item.refresh_from_db()
    return item.title if isinstance(item, GoalArea) else item.heading


@pytest.mark.parametrize("level", ["board", "office"])
@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "none")
def test_only_controllers_of_the_plan_author_it_through_the_pages(
    client, drafts, role, relation, level
):
    item = drafts[level]
    client.force_login(user_with(role, UNITS[level][relation]))
    editing_page = client.get(reverse("planning:plan_edit", args=[item.plan.key]))
    form, saved = page_edit(client, item, level)
    if may_author(role, relation):
        assert (editing_page.status_code, form.status_code, saved.status_code) == (200, 200, 302)
        assert title_of(item) == "Ändrad"
    else:
        assert editing_page.status_code in (403, 404)
        assert form.status_code in (403, 404)
        assert saved.status_code in (403, 404)
        assert title_of(item) != "Ändrad"


@pytest.mark.parametrize("level", ["board", "office"])
@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "none")
def test_only_controllers_of_the_plan_author_it_through_the_api(
    client, drafts, role, relation, level
):
    item = drafts[level]
    user = user_with(role, UNITS[level][relation])
    token = accounts.create_api_token(actor=user, user=user, name="test")[1]
    answer = api_edit(client, item, level, {"Authorization": f"Bearer {token}"})
    if may_author(role, relation):
        assert answer.status_code == 200
        assert title_of(item) == "Ändrad"
    else:
        assert answer.status_code in (403, 404)
        assert title_of(item) != "Ändrad"


def test_a_reader_of_the_plan_reads_its_items_through_the_api_but_gets_no_edit_buttons(
    client, drafts
):
    reader = user_with(Role.READER, "KS")
    token = accounts.create_api_token(actor=reader, user=reader, name="test")[1]
    items = client.get(
        "/api/planning/plans/KSK-2023/items", headers={"Authorization": f"Bearer {token}"}
    )
    assert [(i["kind"], i["id"]) for i in items.json()] == [("section", "x-t1")]
    client.force_login(reader)
    page = client.get(reverse("pages:plan_detail", args=["KS-2023"]))
    assert reverse("planning:plan_edit", args=["KS-2023"]) not in page.content.decode()


def test_an_offices_controller_cannot_add_an_objective_to_the_boards_goal_area(client, drafts):
    client.force_login(user_with(Role.CONTROLLER, "KSK"))
    url = reverse("planning:item_new", args=["KSK-2023", "objective"])
    response = client.post(url, {"version": "0", "goal_area": "x-ma1", "number": "1.9",
                                 "title": "Nytt mål"})  # fmt: skip
    assert response.status_code == 400
    assert not GoalArea.objects.get(key="x-ma1").objectives.exists()
