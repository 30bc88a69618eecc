"""The administrators' pages for users and roles. Personas: `adm` administers KSK (and so
every unit below it); `eva` reports at KSK-HR; `sven` reads at SBK, outside adm's reach;
`ny` has no role yet; `both` holds roles inside and outside adm's reach."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from verksam.accounts.models import Membership
from verksam.organisation.models import OrgUnit

pytestmark = pytest.mark.django_db

LIST_QUERIES = 6  # session, user, two for the admin's units, users, their roles


@pytest.fixture
def people(make_user) -> dict[str, User]:
    people = {
        "adm": make_user("adm", admin="KSK"),
        "eva": make_user("eva", reporter="KSK-HR"),
        "sven": make_user("sven", reader="SBK"),
        "ny": make_user("ny"),
        "both": make_user("both", reader="KSK-EKONOMI"),
        "root": User.objects.create_superuser("root"),
    }
    Membership.objects.create(user=people["both"], unit=unit("TSK"), role="reader")
    return people


@pytest.fixture
def admin_client(people) -> Client:
    client = Client()
    client.force_login(people["adm"])
    return client


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def roles(user: User) -> set[tuple[str, str]]:
    return set(Membership.objects.filter(user=user).values_list("unit__code", "role"))


def test_the_list_shows_people_at_my_units_and_people_without_roles(
    admin_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(LIST_QUERIES):
        response = admin_client.get(reverse("accounts:user_list"))
    names = [user.username for user in response.context["users"]]
    assert names == ["adm", "both", "eva", "ny"]


def test_people_who_are_not_administrators_get_403(people):
    client = Client()
    client.force_login(people["eva"])
    for name, args in [
        ("accounts:user_list", []),
        ("accounts:user_create", []),
        ("accounts:user_detail", [people["ny"].pk]),
        ("accounts:user_remove", [people["ny"].pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403
    grant = {"unit": unit("KSK-HR").pk, "role": "admin"}
    assert (
        client.post(reverse("accounts:role_grant", args=[people["eva"].pk]), grant).status_code
        == 403
    )
    assert roles(people["eva"]) == {("KSK-HR", "reporter")}


def test_anonymous_visitors_are_sent_to_the_login_page(client, people):
    response = client.get(reverse("accounts:user_list"))
    assertRedirects(response, "/accounts/login/?next=/accounts/users/")


def test_an_administrator_creates_a_user_without_roles(admin_client):
    response = admin_client.post(
        reverse("accounts:user_create"),
        {"username": "kim", "email": "kim@example.se", "password": "ett-långt-lösenord-2022"},
    )
    kim = User.objects.get(username="kim")
    assertRedirects(response, reverse("accounts:user_detail", args=[kim.pk]))
    assert kim.check_password("ett-långt-lösenord-2022")
    assert roles(kim) == set()


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"username": "kim", "password": "123"}, "password"),
        ({"username": "eva"}, "username"),
        ({"username": "kim", "email": "not-an-address"}, "email"),
    ],
)
def test_a_bad_new_user_is_refused_with_the_field_named(admin_client, form, field):
    before = User.objects.count()
    response = admin_client.post(reverse("accounts:user_create"), form)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assertContains(response, f'href="#id_{field}"', status_code=400)
    assert User.objects.count() == before


def test_an_administrator_grants_a_role_at_a_unit_below_theirs(admin_client, people):
    ny = people["ny"]
    response = admin_client.post(
        reverse("accounts:role_grant", args=[ny.pk]),
        {"unit": unit("KSK-HR").pk, "role": "reporter"},
    )
    assertRedirects(response, reverse("accounts:user_detail", args=[ny.pk]))
    assert roles(ny) == {("KSK-HR", "reporter")}


def test_the_grant_form_offers_only_my_units(admin_client, people):
    response = admin_client.get(reverse("accounts:user_detail", args=[people["ny"].pk]))
    assertContains(response, f'value="{unit("KSK-HR").pk}"')
    assertNotContains(response, f'value="{unit("SBK").pk}"')


def test_a_grant_posted_with_another_units_id_is_refused_and_changes_nothing(admin_client, people):
    ny = people["ny"]
    response = admin_client.post(
        reverse("accounts:role_grant", args=[ny.pk]), {"unit": unit("SBK").pk, "role": "admin"}
    )
    assert response.status_code == 403
    assert roles(ny) == set()


def test_a_grant_with_an_unknown_unit_or_role_is_a_form_error(admin_client, people):
    url = reverse("accounts:role_grant", args=[people["ny"].pk])
    assert admin_client.post(url, {"unit": "99999", "role": "reader"}).status_code == 400
    assert admin_client.post(url, {"unit": unit("KSK").pk, "role": "boss"}).status_code == 400
    assert roles(people["ny"]) == set()


def test_an_administrator_revokes_a_role_at_their_units_only(admin_client, people):
    both = people["both"]
    url = reverse("accounts:role_revoke", args=[both.pk])
    assert admin_client.post(url, {"unit": unit("TSK").pk}).status_code == 403
    assert admin_client.post(url, {"unit": unit("KSK-EKONOMI").pk}).status_code == 302
    assert roles(both) == {("TSK", "reader")}


def test_people_outside_my_units_are_not_found(admin_client, people):
    sven, root = people["sven"], people["root"]
    for target in (sven, root):
        assert (
            admin_client.get(reverse("accounts:user_detail", args=[target.pk])).status_code == 404
        )
        assert (
            admin_client.post(reverse("accounts:user_remove", args=[target.pk])).status_code == 404
        )
    assert roles(sven) == {("SBK", "reader")}


def test_removing_a_user_asks_first_then_erases_their_personal_data(admin_client, people):
    eva = people["eva"]
    url = reverse("accounts:user_remove", args=[eva.pk])
    assertContains(admin_client.get(url), "eva")
    assert User.objects.filter(username="eva").exists()

    assertRedirects(admin_client.post(url), reverse("accounts:user_list"))
    eva.refresh_from_db()
    assert (eva.username, eva.is_active, roles(eva)) == (f"removed-{eva.pk}", False, set())


def test_a_user_with_roles_outside_my_units_cannot_be_removed_by_me(admin_client, people):
    both = people["both"]
    assert admin_client.post(reverse("accounts:user_remove", args=[both.pk])).status_code == 403
    both.refresh_from_db()
    assert (both.username, len(roles(both))) == ("both", 2)


def test_the_forms_need_post_and_the_csrf_token(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["adm"])
    ny = people["ny"]
    assert client.get(reverse("accounts:role_grant", args=[ny.pk])).status_code == 405
    assert client.get(reverse("accounts:role_revoke", args=[ny.pk])).status_code == 405
    grant = {"unit": unit("KSK").pk, "role": "reader"}
    assert client.post(reverse("accounts:role_grant", args=[ny.pk]), grant).status_code == 403
    assert client.post(reverse("accounts:user_remove", args=[ny.pk])).status_code == 403
    assert roles(ny) == set()
    assert User.objects.filter(username="ny").exists()
