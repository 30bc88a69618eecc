"""The admin's review comments (issue 12 §4): read-only, and only the comments the pages
show the user (`ReviewComment.objects.visible_to`), role by role and unit by unit."""

import pytest
from django.contrib.auth.models import User

from verksam.accounts import services as accounts
from verksam.accounts.models import Role
from verksam.organisation.models import OrgUnit
from verksam.planning import review
from verksam.planning.models import ReviewComment
from verksam.plans.models import Action, Plan

pytestmark = pytest.mark.django_db

ROLES = [Role.READER, Role.REPORTER, Role.CONTROLLER, Role.ADMIN]
# KSK-EKONOMI is responsible for actions in KSK-2022 (so reviews it), not in SBK-2022.
SEES = {"KS": {"KSK", "SBK"}, "KSK": {"KSK"}, "KSK-EKONOMI": {"KSK"}, "SBK": {"SBK"}}
URL = "/admin/planning/reviewcomment/"


@pytest.fixture
def comments() -> dict[str, ReviewComment]:
    """A comment on an action of KSK's part and one of SBK's, the plan in review."""
    Plan.objects.filter(year=2022).update(status=Plan.Status.REVIEW)
    author = User.objects.create_user("rut")
    accounts.grant_role(
        actor=None, user=author, unit=OrgUnit.objects.get(code="KS"), role=Role.READER
    )
    made = {}
    for office in ("KSK", "SBK"):
        action = Action.objects.filter(plan__key=f"{office}-2022").order_by("pk")[0]
        made[office] = review.add_comment(action, actor=author, text=f"Fråga om {office}")
    return made


def person(role: Role, unit: str) -> User:
    user = User.objects.create_user(f"{role.value}-{unit}")
    accounts.grant_role(actor=None, user=user, unit=OrgUnit.objects.get(code=unit), role=role)
    user.refresh_from_db()
    return user


@pytest.mark.parametrize("unit", SEES)
@pytest.mark.parametrize("role", ROLES)
def test_the_admin_lists_only_the_comments_the_pages_show(client, comments, role, unit):
    user = person(role, unit)
    client.force_login(user)
    page = client.get(URL)
    if not user.is_staff:  # readers and reporters have no admin
        assert page.status_code == 302
        return
    assert page.status_code == 200
    listed = {c.pk for c in page.context["cl"].result_list}
    assert listed == set(ReviewComment.objects.visible_to(user).values_list("pk", flat=True))
    assert listed == {comments[office].pk for office in SEES[unit]}
    for office, comment in comments.items():
        shown = client.get(f"{URL}{comment.pk}/change/")
        assert (shown.status_code == 200) is (office in SEES[unit])


def test_the_admin_changes_no_comment(client, comments):
    user = person(Role.CONTROLLER, "KS")
    client.force_login(user)
    comment = comments["KSK"]
    response = client.post(f"{URL}{comment.pk}/change/", {"text": "Ändrad", "status": "resolved"})
    assert response.status_code == 403
    assert client.post(f"{URL}{comment.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{URL}add/").status_code == 403
    comment.refresh_from_db()
    assert (comment.text, comment.status) == ("Fråga om KSK", "open")


def test_after_the_decision_only_the_owners_people_see_the_comments(client, comments):
    Plan.objects.filter(year=2022).update(status=Plan.Status.DECIDED)
    responsible = person(Role.CONTROLLER, "KSK-EKONOMI")
    client.force_login(responsible)
    assert list(client.get(URL).context["cl"].result_list) == []
    owner = person(Role.CONTROLLER, "KSK")
    client.force_login(owner)
    assert [c.pk for c in client.get(URL).context["cl"].result_list] == [comments["KSK"].pk]


def test_a_superuser_sees_every_comment(admin_client, comments):
    listed = {c.pk for c in admin_client.get(URL).context["cl"].result_list}
    assert listed == {c.pk for c in comments.values()}
