"""The admin site applies the same rules as the pages."""

import pytest

from verksam.accounts import services
from verksam.accounts.models import Role
from verksam.organisation.models import OrgUnit
from verksam.plans.models import Action, Plan
from verksam.testing import make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def ksk_controller(make_user):
    user = make_user("controller-ksk")
    services.grant_role(
        actor=None, user=user, unit=OrgUnit.objects.get(code="KSK"), role=Role.CONTROLLER
    )
    return user


def test_controllers_become_staff_and_lose_it_with_the_role(ksk_controller):
    assert ksk_controller.is_staff
    services.revoke_role(actor=None, user=ksk_controller, unit=OrgUnit.objects.get(code="KSK"))
    ksk_controller.refresh_from_db()
    assert not ksk_controller.is_staff


def test_the_admin_lists_only_the_controllers_own_plans_actions(client, ksk_controller):
    client.force_login(ksk_controller)
    page = client.get("/admin/plans/action/?all=")
    keys = {a.key for a in page.context["cl"].result_list}
    assert keys == set(Action.objects.filter(plan__key="KSK-2022").values_list("key", flat=True))


def test_the_admin_refuses_another_units_action(client, ksk_controller):
    client.force_login(ksk_controller)
    theirs = Action.objects.filter(plan__key="SBK-2022").first()
    assert client.get(f"/admin/plans/action/{theirs.pk}/change/").status_code in {302, 403, 404}
    response = client.post(f"/admin/plans/action/{theirs.pk}/delete/", {"post": "yes"})
    assert response.status_code in {302, 403, 404}
    assert Action.objects.filter(pk=theirs.pk).exists()


def test_the_admin_does_not_move_an_action_into_another_units_plan(client, ksk_controller):
    make_draft("KSK-2022")  # a decided plan is read-only in the admin
    client.force_login(ksk_controller)
    ours = Action.objects.filter(plan__key="KSK-2022").first()
    page = client.get(f"/admin/plans/action/{ours.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    plan_choices = set(form.fields["plan"].queryset.values_list("key", flat=True))
    assert plan_choices == {"KSK-2022"}
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data["plan"] = Plan.objects.get(key="SBK-2022").pk
    response = client.post(f"/admin/plans/action/{ours.pk}/change/", data)
    assert response.status_code == 200  # the form comes back with an error
    assert "plan" in response.context["adminform"].form.errors
    ours.refresh_from_db()
    assert ours.plan.key == "KSK-2022"


def test_history_rows_cannot_be_reverted_from_the_admin(client, admin_user):
    client.force_login(admin_user)
    action = Action.objects.first()
    record = action.history.first()
    url = f"/admin/plans/action/{action.pk}/history/{record.history_id}/"
    response = client.post(url, {"text": "omskrivet"})
    assert response.status_code in {403, 404}
    action.refresh_from_db()
    assert action.text != "omskrivet"


def test_the_admin_shows_a_decided_plans_items_read_only(client, ksk_controller):
    client.force_login(ksk_controller)
    ours = Action.objects.filter(plan__key="KSK-2022").first()
    page = client.get(f"/admin/plans/action/{ours.pk}/change/")
    assert page.status_code == 200
    assert "adminform" not in page.context or not page.context["has_change_permission"]
    response = client.post(f"/admin/plans/action/{ours.pk}/change/", {"text": "Ändrad"})
    assert response.status_code == 403
    response = client.post(f"/admin/plans/action/{ours.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    ours.refresh_from_db()
    assert ours.text != "Ändrad"
    assert Action.objects.filter(pk=ours.pk).exists()
