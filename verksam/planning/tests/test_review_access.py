"""Who reads a plan in review (issue 12 §4): whoever may comment on it, and nobody else. A
plan's reviewers are the people with a role at its owner (or above) and at a unit
responsible for one of its actions or indicators (`Plan.objects.reviewed_by`, the rules
predicate `reviews_plan`); while the plan is in review they read it, its items and its
comments through the pages, the API and the documents, and comment on its items. A draft is
read only at its owner; a decided plan is public."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from verksam.accounts import services as accounts
from verksam.organisation.models import OrgUnit
from verksam.planning import review
from verksam.planning.models import ReviewComment
from verksam.plans.models import Action, Plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ROLES = ["reader", "reporter", "controller", "admin"]
# KSK-2022 is KSK's part of KS-2022. KSK-EKONOMI is responsible for actions in it; the new
# department KSK-NY (below KSK too) for nothing; SBK is the sibling office.
UNIT_OF = {
    "own": "KSK",
    "parent": "KS",
    "responsible child": "KSK-EKONOMI",
    "other child": "KSK-NY",
    "sibling": "SBK",
}
REVIEWERS = {"own", "parent", "responsible child"}
ACTION = "ksk-2022-1.1-u1-a1"


@pytest.fixture(autouse=True)
def other_department() -> None:
    OrgUnit.objects.create(
        code="KSK-NY",
        name="Ny avdelning",
        kind=OrgUnit.Kind.DEPARTMENT,
        parent=OrgUnit.objects.get(code="KSK"),
    )


def set_status(status: str) -> None:
    Plan.objects.filter(year=2022).update(status=status)


def user_at(relation: str, role: str = "reader") -> User:
    user = User.objects.create_user(f"{role}-{relation}".replace(" ", "-"))
    from verksam.accounts.models import Membership

    Membership.objects.create(
        user=user, unit=OrgUnit.objects.get(code=UNIT_OF[relation]), role=role
    )
    return user


def test_the_responsible_department_is_responsible_for_an_item_of_the_part():
    assert Action.objects.filter(
        plan__key="KSK-2022", responsible_units__code="KSK-EKONOMI"
    ).exists()
    assert not Action.objects.filter(plan__key="KSK-2022", responsible_units__code="SBK").exists()


@pytest.mark.parametrize("relation", UNIT_OF)
@pytest.mark.parametrize("role", ROLES)
def test_in_review_the_rule_and_the_querysets_name_the_same_people(role, relation):
    set_status("review")
    user = user_at(relation, role)
    plan = Plan.objects.get(key="KSK-2022")
    action = Action.objects.get(key=ACTION)
    expected = relation in REVIEWERS
    assert plan.is_reviewed_by(user) is expected
    assert Plan.objects.reviewed_by(user).filter(key="KSK-2022").exists() is expected
    assert Plan.objects.visible_to(user).filter(key="KSK-2022").exists() is expected
    assert Action.objects.visible_to(user).filter(key=ACTION).exists() is expected
    for perm in ("verksam.view", "verksam.comment_plan", "verksam.view_review"):
        assert user.has_perm(perm, action) is expected, perm
        assert user.has_perm(perm, plan) is expected, perm


@pytest.mark.parametrize("relation", UNIT_OF)
def test_a_draft_is_read_only_at_its_owner_and_a_decided_plan_by_everyone(relation):
    user = user_at(relation)
    action = Action.objects.get(key=ACTION)
    set_status("draft")
    at_owner = relation in ("own", "parent")
    assert Plan.objects.visible_to(user).filter(key="KSK-2022").exists() is at_owner
    assert Plan.objects.reviewed_by(user).exists() is False
    assert user.has_perm("verksam.view", action) is at_owner
    assert user.has_perm("verksam.comment_plan", action) is False
    set_status("decided")
    assert Plan.objects.visible_to(user).filter(key="KSK-2022").exists()
    assert user.has_perm("verksam.comment_plan", action) is False


@pytest.mark.parametrize("relation", UNIT_OF)
def test_in_review_pages_api_and_documents_follow_the_rule(client, relation):
    set_status("review")
    user = user_at(relation)
    ok = relation in REVIEWERS
    client.force_login(user)
    action = Action.objects.get(key=ACTION)
    pages = [
        reverse("pages:plan_detail", args=["KSK-2022"]),
        action.get_absolute_url(),
        reverse("planning:item_comments", args=["action", ACTION]),
        reverse("planning:plan_review", args=["KSK-2022"]),
        reverse("planning:plan_changes", args=["KSK-2022"]),
        reverse("reports:plan_download", args=["KSK-2022", "xlsx"]),
    ]
    for url in pages:
        assert client.get(url).status_code == (200 if ok else 404), url
    token = accounts.create_api_token(actor=user, user=user, name="t")[1]
    headers = {"Authorization": f"Bearer {token}"}
    api = [
        f"/api/planning/items/action/{ACTION}",
        "/api/planning/plans/KSK-2022/items?kind=action",
        "/api/planning/plans/KSK-2022/comments",
        "/api/plans/KSK-2022",
    ]
    for url in api:
        assert client.get(url, headers=headers).status_code == (200 if ok else 404), url
    made = client.post(
        f"/api/planning/items/action/{ACTION}/comments",
        {"text": "En fråga"},
        content_type="application/json",
        headers=headers,
    )
    assert made.status_code == (201 if ok else 404)
    assert ReviewComment.objects.exists() is ok


def test_the_action_page_offers_a_responsible_department_the_comment_form(client):
    set_status("review")
    user = user_at("responsible child")
    review.add_comment(Action.objects.get(key=ACTION), actor=user_at("own"), text="Först")
    client.force_login(user)
    page = client.get(Action.objects.get(key=ACTION).get_absolute_url()).content.decode()
    assert 'id="comment-text"' in page
    assert "Först" in page  # the review's comments, which its reviewers read
