"""The 400, 403, 404 and 500 pages: Swedish (English when chosen), inside the site's layout,
with a way back; the 500 page needs no database. Server errors are logged to standard error
with their traceback and the request id that the response carries."""

import io
import logging
import re
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

from verksam.core.log import tag_request_id

pytestmark = pytest.mark.django_db


def in_layout(html: str) -> bool:
    return '<header class="site-header">' in html and 'href="/"' in html


def test_an_unknown_address_gets_the_404_page_in_swedish_inside_the_layout(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Sidan finns inte</h1>" in html
    assert '<html lang="sv">' in html
    assert in_layout(html)
    assert "Gå till startsidan" in html


def test_the_404_page_is_english_when_english_is_chosen(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/no-such-page/").content.decode()
    assert "<h1>Page not found</h1>" in html
    assert '<html lang="en">' in html


def test_a_refused_page_gets_the_403_page_with_a_way_back(client, make_user):
    client.force_login(make_user("lena", reader="KSK"))
    response = client.get("/accounts/users/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Inte tillåtet</h1>" in html
    assert in_layout(html)


def test_a_form_sent_without_its_csrf_token_gets_the_swedish_403_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Formuläret kunde inte skickas</h1>" in html
    assert in_layout(html)


def test_a_request_for_an_unknown_host_gets_the_400_page(client):
    response = client.get("/", HTTP_HOST="attacker.example")
    html = response.content.decode()
    assert response.status_code == 400
    assert "<h1>Felaktig begäran</h1>" in html
    assert in_layout(html)


@pytest.mark.urls("verksam.core.tests.failing_urls")
def test_a_server_error_gets_the_500_page_without_touching_the_database(make_user):
    client = Client(raise_request_exception=False)
    client.force_login(make_user("lena", reader="KSK"))  # a session a context would read
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/test/database-down/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Något gick fel</h1>" in html
    assert in_layout(html)
    assert f"<code>{response['X-Request-ID']}</code>" in html


@pytest.mark.urls("verksam.core.tests.failing_urls")
def test_the_500_page_is_english_when_english_is_chosen(settings):
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/test/failing/").content.decode()
    assert "<h1>Something went wrong</h1>" in html


@pytest.fixture
def stderr_log():
    """What the stderr handler of settings.LOGGING writes, while the test runs."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "stderr")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.mark.urls("verksam.core.tests.failing_urls")
def test_a_server_error_is_logged_with_its_traceback_and_request_id(stderr_log):
    response = Client(raise_request_exception=False).get("/test/failing/")
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    log = stderr_log.getvalue()
    assert f"ERROR django.request [{request_id}] Internal Server Error: /test/failing/" in log
    assert "Traceback (most recent call last):" in log
    assert "RuntimeError: a bug in a view" in log


def test_the_proxys_request_id_is_kept(client):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef")
    assert response["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    assert re.fullmatch(r"[0-9a-f]{32}", client.get("/", HTTP_X_REQUEST_ID="<x>")["X-Request-ID"])


def test_error_reports_carry_the_request_id():
    from django_guid.context import guid

    token = guid.set("0123456789abcdef0123456789abcdef")
    try:
        event = tag_request_id({"tags": {"x": "y"}}, {})
    finally:
        guid.reset(token)
    assert event["tags"] == {"x": "y", "request_id": "0123456789abcdef0123456789abcdef"}
    assert "tags" not in tag_request_id({}, {})
