"""Downloading plan documents from the plan pages."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from verksam.plans.models import Plan

pytestmark = pytest.mark.django_db

# 1 the plan (visible to the visitor), then the document's content as FETCH_QUERIES in
# test_plan_document.py lists it (2 the office parts … 21 the amendments, 22 the
# municipality's name); a decided plan's document is cached: 23 the look-up, and on a miss
# the cache's store: 24 its count (culling), 25 savepoint, 26 the key, 27 insert, 28 release.
DOWNLOAD_QUERIES = 28
CACHED_DOWNLOAD_QUERIES = 23


def download_url(key: str, format_name: str) -> str:
    return reverse("reports:plan_download", args=[key, format_name])


@pytest.mark.parametrize(
    ("format_name", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_anyone_downloads_a_decided_plan(client, format_name: str, content_type: str) -> None:
    response = client.get(download_url("KS-2022", format_name))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="verksamhetsplan-KS-2022.{format_name}"'
    )


def test_office_plan_is_named_after_its_office(client) -> None:
    response = client.get(download_url("KSK-2022", "xlsx"))
    assert 'filename="verksamhetsplan-KSK-2022.xlsx"' in response["Content-Disposition"]


def test_download_runs_a_fixed_number_of_queries(client, django_assert_num_queries) -> None:
    with django_assert_num_queries(DOWNLOAD_QUERIES):
        client.get(download_url("KS-2022", "xlsx"))
    with django_assert_num_queries(CACHED_DOWNLOAD_QUERIES):
        again = client.get(download_url("KS-2022", "xlsx"))
    assert again.status_code == 200


def test_draft_is_hidden_from_anonymous_users(client) -> None:
    Plan.objects.filter(key="KS-2022").update(status=Plan.Status.DRAFT)
    assert client.get(download_url("KS-2022", "pdf")).status_code == 404
    assert client.get(download_url("KSK-2022", "pdf")).status_code == 404


def test_draft_is_downloadable_when_logged_in(client, admin_user) -> None:
    Plan.objects.filter(key="KS-2022").update(status=Plan.Status.DRAFT)
    client.force_login(admin_user)
    assert client.get(download_url("KS-2022", "xlsx")).status_code == 200


def test_unknown_format_or_plan_is_not_found(client) -> None:
    assert client.get(download_url("KS-2022", "odt")).status_code == 404
    assert client.get(download_url("XX-2022", "pdf")).status_code == 404


def test_download_refuses_post(client) -> None:
    assert client.post(download_url("KS-2022", "pdf")).status_code == 405


@pytest.mark.parametrize("key", ["KS-2022", "KSK-2022"])
def test_plan_pages_link_to_the_downloads(client, key: str) -> None:
    response = client.get(reverse("pages:plan_detail", args=[key]))
    for format_name in ("pdf", "docx", "xlsx"):
        assertContains(response, f'href="{download_url(key, format_name)}"')
