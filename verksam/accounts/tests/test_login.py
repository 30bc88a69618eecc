"""Signing in and out: our page, lockout after repeated failures, session lifetime."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from verksam.config import settings as project_settings
from verksam.testing import PASSWORD, sv

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def log_in(client: Client, username: str, password: str, **extra: str):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_the_login_page_has_labelled_fields_that_browsers_can_fill(client):
    html = client.get(LOGIN).content.decode()
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_pages_that_need_a_login_send_people_to_our_login_page(client):
    assertRedirects(client.get(reverse("accounts:my_account")), f"{LOGIN}?next=/accounts/")


def test_the_right_password_logs_in_and_goes_where_the_person_was_going(client, make_user):
    make_user("anna")
    response = log_in(client, "anna", PASSWORD, next="/plans/KS-2022/")
    assertRedirects(response, "/plans/KS-2022/", fetch_redirect_response=False)
    assertContains(client.get(reverse("accounts:my_account")), "anna")


def test_a_wrong_password_is_named_in_an_error_summary(client, make_user):
    make_user("anna")
    response = log_in(client, "anna", "wrong")
    assert response.status_code == 200
    assertContains(response, 'class="error-summary" role="alert"')
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_login_with_a_clear_message(client, make_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    make_user("anna")
    for _attempt in range(2):
        assert log_in(client, "anna", "wrong").status_code == 200
    locked = log_in(client, "anna", "wrong")
    assert locked.status_code == 429
    assertContains(locked, sv("Too many attempts"), status_code=429)
    assertContains(locked, "15", status_code=429)
    # Even the right password waits for the cool-off.
    assert log_in(client, "anna", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_keeps_out_that_username_from_that_address_not_the_colleagues_behind_it(
    client, make_user, settings
):
    """The default suits a municipality where everyone signs in from one NAT address."""
    assert project_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    settings.AXES_FAILURE_LIMIT = 2
    make_user("anna")
    make_user("bertil")
    nat = {"REMOTE_ADDR": "10.0.0.1"}
    for _attempt in range(2):
        client.post(LOGIN, {"username": "anna", "password": "wrong"}, **nat)
    assert client.post(LOGIN, {"username": "anna", "password": PASSWORD}, **nat).status_code == 429
    colleague = Client().post(LOGIN, {"username": "bertil", "password": PASSWORD}, **nat)
    assert colleague.status_code == 302


def test_the_lockout_message_is_in_english_for_english_readers(client, make_user, settings):
    settings.AXES_FAILURE_LIMIT = 1
    make_user("anna")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assertContains(
        log_in(client, "anna", "wrong"), "Logging in is locked after too many", status_code=429
    )


def test_a_session_lasts_the_configured_time_and_ends_with_the_browser(client, make_user):
    make_user("anna")
    response = log_in(client, "anna", PASSWORD)
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert client.session.get_expire_at_browser_close()
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert (cookie["max-age"], cookie["expires"]) == ("", "")
    assert cookie["httponly"]


def test_logging_out_needs_a_post(client, make_user):
    client.force_login(make_user("anna"))
    assert client.get(reverse("accounts:logout")).status_code == 405
    assertRedirects(client.post(reverse("accounts:logout")), "/")
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(make_user, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert make_user("anna").password.startswith("argon2$")
