"""`/health/`: for the proxy or orchestrator, answered before host names and HTTPS are
checked, one query, no sign-in, nothing but "ok"."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_the_health_check_answers_ok_with_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"


def test_the_health_check_answers_a_probe_by_address_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["verksam.example.se"]
    assert client.get("/health/", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_the_health_check_says_503_when_the_database_does_not_answer(client, caplog):
    with mock.patch(
        "verksam.core.health.connection.cursor", side_effect=OperationalError("refused")
    ):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert "refused" not in response.content.decode()
    assert "Health check: the database does not answer: refused" in caplog.text


def test_the_health_check_takes_get_and_head_only(client):
    assert client.head("/health/").status_code == 200
    assert client.post("/health/").status_code == 405
