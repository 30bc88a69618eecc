"""The admin site applies the same rules as the pages."""

import pytest

from verksam.accounts import services
from verksam.accounts.models import Role
from verksam.budget.models import BudgetRow, BudgetTable
from verksam.indicators.models import Indicator
from verksam.organisation.models import OrgUnit
from verksam.plans.models import Action, GoalArea, Plan, PlanSection
from verksam.risks.models import InternalControlArea, RiskAnalysis
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


# Every plan content admin of the decided seed, for a system administrator too (who passes
# every rule): view-only, and a post changes nothing.
DECIDED_CONTENT = [
    ("plans", "plan", lambda: Plan.objects.get(key="KSK-2022")),
    ("plans", "goalarea", lambda: GoalArea.objects.filter(plan__key="KS-2022").first()),
    ("plans", "plansection", lambda: PlanSection.objects.filter(plan__key="KSK-2022").first()),
    ("plans", "action", lambda: Action.objects.filter(plan__key="KSK-2022").first()),
    ("indicators", "indicator", lambda: Indicator.objects.filter(plan__key="KSK-2022").first()),
    ("budget", "budgettable", lambda: BudgetTable.objects.filter(plan__key="KSK-2022").first()),
    ("budget", "budgetrow", lambda: BudgetRow.objects.filter(table__plan__key="KSK-2022").first()),
    ("risks", "riskanalysis", lambda: RiskAnalysis.objects.get(plan__key="KSK-2022")),
    ("risks", "internalcontrolarea", lambda: InternalControlArea.objects.first()),
]


@pytest.mark.parametrize(
    ("app", "model", "row"), DECIDED_CONTENT, ids=[m for _, m, _ in DECIDED_CONTENT]
)
def test_a_decided_plans_content_is_read_only_in_the_admin_for_a_superuser_too(
    client, admin_user, app, model, row
):
    obj = row()
    client.force_login(admin_user)
    url = f"/admin/{app}/{model}/{obj.pk}/"
    page = client.get(url + "change/")
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert not page.context["has_delete_permission"]
    assert all(not formset.has_add_permission for formset in page.context["inline_admin_formsets"])
    before = type(obj)._default_manager.filter(pk=obj.pk).values().get()
    assert client.post(url + "change/", {"title": "Ändrad"}).status_code == 403
    assert client.post(url + "delete/", {"post": "yes"}).status_code == 403
    assert type(obj)._default_manager.filter(pk=obj.pk).values().get() == before


def test_the_admin_offers_no_decided_plan_for_a_new_item(client, ksk_controller):
    client.force_login(ksk_controller)
    page = client.get("/admin/plans/action/add/")
    assert page.status_code == 200
    assert not page.context["adminform"].form.fields["plan"].queryset.exists()  # KSK-2022 decided
    make_draft("KSK-2022")
    page = client.get("/admin/plans/action/add/")
    plans = page.context["adminform"].form.fields["plan"].queryset
    assert set(plans.values_list("key", flat=True)) == {"KSK-2022"}


def test_a_plans_state_and_decision_are_not_edited_in_the_admin(client, admin_user):
    """The life goes through the services (review, comments, decision, snapshots)."""
    make_draft("KS-2022")
    make_draft("KSK-2022")
    client.force_login(admin_user)
    plan = Plan.objects.get(key="KSK-2022")
    page = client.get(f"/admin/plans/plan/{plan.pk}/change/")
    form = page.context["adminform"].form
    assert not {"status", "decided_by", "decided_on", "decision_reference"} & set(form.fields)
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {"status": "archived", "decision_reference": "KS 1/1 §1", "title": "Ny titel"}
    response = client.post(f"/admin/plans/plan/{plan.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    plan.refresh_from_db()
    assert (plan.title, plan.status, plan.decision_reference) == ("Ny titel", "draft", "")
