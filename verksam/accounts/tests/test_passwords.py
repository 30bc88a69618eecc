"""Passwords: people change their own, ask for a link when they forgot it, and choose the
first one of a new account from the link an administrator's page sent (Django's views and
tokens, in Swedish, in the site's layout)."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from verksam.accounts import services
from verksam.accounts.models import Role
from verksam.organisation.models import OrgUnit

pytestmark = pytest.mark.django_db

OLD, NEW = "ett-gammalt-lösenord-2021", "ett-nytt-lösenord-2022"


@pytest.fixture
def anna() -> User:
    return User.objects.create_user("anna", email="anna@example.se", password=OLD)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def link_in(body: str) -> str:
    [link] = re.findall(r"https?://\S+/accounts/password/set/\S+/", body)
    return link


def test_i_change_my_own_password_and_my_other_sessions_end(anna):
    here, elsewhere = signed_in(anna), signed_in(anna)
    url = reverse("accounts:password_change")
    assertContains(here.get(url), "<h1>Byt mitt lösenord</h1>")
    response = here.post(
        url, {"old_password": OLD, "new_password1": NEW, "new_password2": NEW}, follow=True
    )
    assertRedirects(response, reverse("accounts:my_account"))
    assertContains(response, "Ditt lösenord är bytt.")
    anna.refresh_from_db()
    assert anna.check_password(NEW)
    assert here.get(reverse("accounts:my_account")).status_code == 200
    assert elsewhere.get(reverse("accounts:my_account")).status_code == 302


def test_a_wrong_old_or_weak_new_password_changes_nothing(anna):
    client = signed_in(anna)
    url = reverse("accounts:password_change")
    for form in (
        {"old_password": "fel", "new_password1": NEW, "new_password2": NEW},
        {"old_password": OLD, "new_password1": "123", "new_password2": "123"},
    ):
        response = client.post(url, form)
        assert response.status_code == 400
        assertContains(response, "Det finns ett problem", status_code=400)
    anna.refresh_from_db()
    assert anna.check_password(OLD)


def test_changing_a_password_needs_sign_in_and_a_post_with_the_csrf_token(client, anna):
    url = reverse("accounts:password_change")
    assertRedirects(client.get(url), f"{reverse('accounts:login')}?next={url}")
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(anna)
    form = {"old_password": OLD, "new_password1": NEW, "new_password2": NEW}
    assert csrf.post(url, form).status_code == 403
    anna.refresh_from_db()
    assert anna.check_password(OLD)


def test_my_account_links_the_password_page_only_for_people_with_a_password(anna):
    assertContains(signed_in(anna).get(reverse("accounts:my_account")), "Byt mitt lösenord")
    sso = User.objects.create_user("sso-only")  # single sign-on: no password
    assertNotContains(signed_in(sso).get(reverse("accounts:my_account")), "Byt mitt lösenord")


def test_a_forgotten_password_gets_a_link_that_works_once(client, anna, mailoutbox, settings):
    settings.SITE_URL = "https://verksam.example.se"
    assertContains(client.get(reverse("accounts:login")), reverse("accounts:password_reset"))
    response = client.post(reverse("accounts:password_reset"), {"email": "anna@example.se"})
    assertRedirects(response, reverse("accounts:password_reset_done"))
    [mail] = mailoutbox
    assert mail.subject == "Ett nytt lösenord till verksam"
    link = link_in(mail.body)
    assert link.startswith("https://verksam.example.se/accounts/password/set/")

    form = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assertContains(form, "<h1>Välj ett lösenord</h1>")
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assertRedirects(done, reverse("accounts:password_reset_complete"))
    anna.refresh_from_db()
    assert anna.check_password(NEW)
    again = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assertContains(again, "Länken fungerar inte längre")


def test_an_unknown_address_or_a_single_sign_on_account_gets_no_link(client, mailoutbox):
    User.objects.create_user("sso-only", email="sso@example.se")
    for address in ("nobody@example.se", "sso@example.se"):
        response = client.post(reverse("accounts:password_reset"), {"email": address})
        assertRedirects(response, reverse("accounts:password_reset_done"))
    assert mailoutbox == []


def test_a_new_account_chooses_its_first_password_from_the_link_and_signs_in(
    client, make_user, mailoutbox
):
    admin = make_user("adm", admin="KSK")
    kim = services.create_user(
        actor=admin,
        username="kim",
        email="kim@example.se",
        unit=OrgUnit.objects.get(code="KSK"),
        role=Role.READER,
    )
    services.send_password_link(actor=admin, user=kim)
    link = link_in(mailoutbox[0].body).split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + link, follow=True)
    assertContains(form, "<strong>kim</strong>")
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    response = Client().post(reverse("accounts:login"), {"username": "kim", "password": NEW})
    assertRedirects(response, reverse("pages:home"))  # signing in lands on the home


def test_a_forged_link_shows_that_it_does_not_work(client, anna):
    response = client.get("/accounts/password/set/MQ/forged-token/", follow=True)
    assertContains(response, "Länken fungerar inte längre")
    assertNotContains(response, "new_password1")
