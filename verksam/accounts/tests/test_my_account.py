"""The person's own page: roles, data download, API tokens, log out everywhere."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from verksam.accounts.models import ApiToken, Session, token_digest

pytestmark = pytest.mark.django_db

MY_ACCOUNT = "/accounts/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_my_account_shows_my_roles(make_user):
    response = logged_in(make_user("anna", reporter="KSK-EKONOMI")).get(MY_ACCOUNT)
    assertContains(response, "KSK-EKONOMI")
    assertNotContains(response, reverse("accounts:user_list"))


def test_an_administrator_finds_the_user_pages_from_my_account(make_user):
    response = logged_in(make_user("adm", admin="KSK")).get(MY_ACCOUNT)
    assertContains(response, reverse("accounts:user_list"))


def test_i_can_download_everything_verksam_keeps_about_me(make_user):
    response = logged_in(make_user("anna", reader="SBK")).get(reverse("accounts:my_data"))
    assert response["Content-Disposition"] == 'attachment; filename="verksam-my-data.json"'
    data = json.loads(response.content)
    assert (data["username"], data["roles"]) == ("anna", [{"unit": "SBK", "role": "reader"}])


def test_log_out_everywhere_ends_my_sessions_on_other_devices_too(make_user):
    anna, olle = make_user("anna"), make_user("olle")
    laptop, phone, olles = logged_in(anna), logged_in(anna), logged_in(olle)
    assert Session.objects.filter(user=anna).count() == 2

    response = laptop.post(reverse("accounts:logout_everywhere"))

    assertRedirects(response, "/accounts/login/", fetch_redirect_response=False)
    assert phone.get(MY_ACCOUNT).status_code == 302
    assert laptop.get(MY_ACCOUNT).status_code == 302
    assert olles.get(MY_ACCOUNT).status_code == 200
    assert not Session.objects.filter(user=anna).exists()


def test_log_out_everywhere_needs_a_post(make_user):
    client = logged_in(make_user("anna"))
    assert client.get(reverse("accounts:logout_everywhere")).status_code == 405
    assert client.get(MY_ACCOUNT).status_code == 200


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(make_user):
    anna = make_user("anna")
    client = logged_in(anna)
    response = client.post(reverse("accounts:token_create"), {"name": "Power BI"})
    secret = response.context["new_token"]
    assertContains(response, secret)
    token = ApiToken.objects.get(user=anna)
    assert (token.name, token.digest) == ("Power BI", token_digest(secret))
    assert secret not in str(ApiToken.objects.values_list())
    assertNotContains(client.get(MY_ACCOUNT), secret)


def test_a_token_needs_a_name(make_user):
    response = logged_in(make_user("anna")).post(reverse("accounts:token_create"), {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_i_revoke_my_own_tokens_but_not_someone_elses(make_user):
    anna, olle = make_user("anna"), make_user("olle")
    client = logged_in(anna)
    client.post(reverse("accounts:token_create"), {"name": "mine"})
    logged_in(olle).post(reverse("accounts:token_create"), {"name": "olle's"})
    mine, olles = ApiToken.objects.get(user=anna), ApiToken.objects.get(user=olle)
    assert client.post(reverse("accounts:token_revoke", args=[olles.pk])).status_code == 404
    assert client.post(reverse("accounts:token_revoke", args=[mine.pk])).status_code == 302
    assert list(ApiToken.objects.all()) == [olles]


def test_every_form_on_the_page_needs_the_csrf_token(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("anna"))
    assert client.post(reverse("accounts:token_create"), {"name": "x"}).status_code == 403
    assert client.post(reverse("accounts:logout_everywhere")).status_code == 403
    assert not ApiToken.objects.exists()
