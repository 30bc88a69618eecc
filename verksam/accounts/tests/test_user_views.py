"""The administrators' pages for users and roles. Personas: `adm` administers KSK (and so
every unit below it); `eva` reports at KSK-HR; `sven` reads at SBK, outside adm's reach;
`ny` has no role (only superusers manage such accounts); `both` holds roles inside and
outside adm's reach."""

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


def test_the_list_shows_people_with_a_role_at_my_units(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIST_QUERIES):
        response = admin_client.get(reverse("accounts:user_list"))
    names = [user.username for user in response.context["users"]]
    assert names == ["adm", "both", "eva"]


def test_a_superuser_also_sees_and_manages_people_without_any_role(people):
    client = Client()
    client.force_login(people["root"])
    names = [u.username for u in client.get(reverse("accounts:user_list")).context["users"]]
    assert {"ny", "root", "sven"} <= set(names)
    ny = people["ny"]
    grant = {"unit": unit("SBK").pk, "role": "reader"}
    assert client.post(reverse("accounts:role_grant", args=[ny.pk]), grant).status_code == 302
    assert roles(ny) == {("SBK", "reader")}


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


def new_user(**fields: object) -> dict[str, object]:
    return {
        "username": "kim",
        "email": "kim@example.se",
        "unit": unit("KSK-HR").pk,
        "role": "reporter",
        **fields,
    }


def test_an_administrator_creates_a_user_with_a_role_and_a_link_to_choose_a_password(
    admin_client, mailoutbox
):
    response = admin_client.post(reverse("accounts:user_create"), new_user())
    kim = User.objects.get(username="kim")
    assertRedirects(response, reverse("accounts:user_detail", args=[kim.pk]))
    assert roles(kim) == {("KSK-HR", "reporter")}
    assert not kim.has_usable_password()
    [mail] = mailoutbox
    assert mail.to == ["kim@example.se"]
    assert "/accounts/password/set/" in mail.body


def test_the_new_user_form_asks_for_no_password(admin_client):
    response = admin_client.get(reverse("accounts:user_create"))
    assertNotContains(response, 'type="password"')
    assertContains(response, f'value="{unit("KSK-HR").pk}"')
    assertNotContains(response, f'value="{unit("SBK").pk}"')


def test_with_single_sign_on_the_link_is_sent_only_when_asked_for(
    admin_client, settings, mailoutbox
):
    settings.SSO_ENABLED = True
    response = admin_client.post(reverse("accounts:user_create"), new_user(email=""))
    assert response.status_code == 302
    assert mailoutbox == []
    asked = new_user(username="lo", email="", send_password_link="on")
    response = admin_client.post(reverse("accounts:user_create"), asked)
    assert response.context["form"].errors["email"]
    assert not User.objects.filter(username="lo").exists()


def test_an_e_mail_server_that_does_not_answer_is_a_message_not_an_error_page(
    admin_client, monkeypatch
):
    def down(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", down)
    response = admin_client.post(reverse("accounts:user_create"), new_user(), follow=True)
    assertContains(response, "e-postservern svarade inte")
    assert User.objects.filter(username="kim").exists()


def test_a_new_user_at_a_unit_i_do_not_manage_is_refused(admin_client):
    response = admin_client.post(reverse("accounts:user_create"), new_user(unit=unit("SBK").pk))
    assert response.status_code == 403
    assert not User.objects.filter(username="kim").exists()


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"username": "eva"}, "username"),
        ({"email": "not-an-address"}, "email"),
        ({"email": ""}, "email"),
        ({"unit": ""}, "unit"),
    ],
)
def test_a_bad_new_user_is_refused_with_the_field_named(admin_client, form, field):
    before = User.objects.count()
    response = admin_client.post(reverse("accounts:user_create"), new_user(**form))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assertContains(response, f'href="#id_{field}"', status_code=400)
    assert User.objects.count() == before


def test_an_administrator_grants_a_role_at_a_unit_below_theirs(admin_client, people):
    eva = people["eva"]
    response = admin_client.post(
        reverse("accounts:role_grant", args=[eva.pk]),
        {"unit": unit("KSK-EKONOMI").pk, "role": "reader"},
    )
    assertRedirects(response, reverse("accounts:user_detail", args=[eva.pk]))
    assert roles(eva) == {("KSK-HR", "reporter"), ("KSK-EKONOMI", "reader")}


def test_the_grant_form_offers_only_my_units(admin_client, people):
    response = admin_client.get(reverse("accounts:user_detail", args=[people["eva"].pk]))
    assertContains(response, f'value="{unit("KSK-HR").pk}"')
    assertNotContains(response, f'value="{unit("SBK").pk}"')


def test_a_grant_posted_with_another_units_id_is_refused_and_changes_nothing(admin_client, people):
    eva = people["eva"]
    response = admin_client.post(
        reverse("accounts:role_grant", args=[eva.pk]), {"unit": unit("SBK").pk, "role": "admin"}
    )
    assert response.status_code == 403
    assert roles(eva) == {("KSK-HR", "reporter")}


def test_a_grant_with_an_unknown_unit_or_role_is_a_form_error(admin_client, people):
    url = reverse("accounts:role_grant", args=[people["eva"].pk])
    assert admin_client.post(url, {"unit": "99999", "role": "reader"}).status_code == 400
    assert admin_client.post(url, {"unit": unit("KSK").pk, "role": "boss"}).status_code == 400
    assert roles(people["eva"]) == {("KSK-HR", "reporter")}


def test_an_administrator_revokes_a_role_at_their_units_only(admin_client, people):
    both = people["both"]
    url = reverse("accounts:role_revoke", args=[both.pk])
    assert admin_client.post(url, {"unit": unit("TSK").pk}).status_code == 403
    assert admin_client.post(url, {"unit": unit("KSK-EKONOMI").pk}).status_code == 302
    assert roles(both) == {("TSK", "reader")}


def test_people_outside_my_units_and_people_without_any_role_are_not_found(admin_client, people):
    sven, root, ny = people["sven"], people["root"], people["ny"]
    grant = {"unit": unit("KSK").pk, "role": "reader"}
    for target in (sven, root, ny):
        assert (
            admin_client.get(reverse("accounts:user_detail", args=[target.pk])).status_code == 404
        )
        url = reverse("accounts:user_remove", args=[target.pk])
        assert admin_client.get(url).status_code == 404
        assert admin_client.post(url).status_code == 404
        for name in ("role_grant", "role_revoke", "user_send_link"):
            url = reverse(f"accounts:{name}", args=[target.pk])
            assert admin_client.post(url, grant).status_code == 404
    assert roles(sven) == {("SBK", "reader")}
    assert roles(ny) == set()
    assert User.objects.filter(username__in=["sven", "root", "ny"], is_active=True).count() == 3


def test_an_administrator_sends_a_new_link_to_choose_a_password(admin_client, people, mailoutbox):
    eva = people["eva"]
    url = reverse("accounts:user_send_link", args=[eva.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url, follow=True)
    assertContains(response, "eva har ingen e-postadress")
    assert mailoutbox == []
    User.objects.filter(pk=eva.pk).update(email="eva@example.se")
    response = admin_client.post(url, follow=True)
    assertContains(response, "har skickats till eva@example.se")
    assert [mail.to for mail in mailoutbox] == [["eva@example.se"]]


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
    eva = people["eva"]
    assert client.get(reverse("accounts:role_grant", args=[eva.pk])).status_code == 405
    assert client.get(reverse("accounts:role_revoke", args=[eva.pk])).status_code == 405
    grant = {"unit": unit("KSK").pk, "role": "reader"}
    assert client.post(reverse("accounts:role_grant", args=[eva.pk]), grant).status_code == 403
    assert client.post(reverse("accounts:user_remove", args=[eva.pk])).status_code == 403
    assert client.post(reverse("accounts:user_send_link", args=[eva.pk])).status_code == 403
    assert roles(eva) == {("KSK-HR", "reporter")}
    assert User.objects.filter(username="eva", is_active=True).exists()
