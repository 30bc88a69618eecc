"""Downloading a follow-up report from the period page: the same reading rule as the page."""

import io
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from verksam.followup import services
from verksam.followup.models import ReportingPeriod
from verksam.plans.models import Plan
from verksam.testing import (
    close_round,
    example_controller,
    example_round,
    multiply_seed,
    rolled_back,
    sv,
)

# One xdist worker makes the example round (a module fixture) for all of these tests.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("followup_views")]

# Anonymous: 1 the closed period of a decided plan, 2 its latest snapshot (its reports and
# its economy, frozen when it closed); what the visitor may read of it: 3 actions,
# 4 assignments, 5 indicators of public plans, 6 the public plans; 7 the municipality's name
# (never hyphenated); a closed round's document is cached: 8 the look-up, and on a miss the
# cache's store: 9 its count (culling), 10 savepoint, 11 the key, 12 insert, 13 release.
CLOSED_DOWNLOAD_QUERIES = 13
CACHED_CLOSED_DOWNLOAD_QUERIES = 8


@pytest.fixture(scope="module")
def example(django_db_setup: None, django_db_blocker: Any) -> Iterator[int]:
    """The demo's April round, made once for the module's tests (rolled back after them)."""
    with rolled_back(django_db_blocker):
        yield example_round().pk


@pytest.fixture
def april(example: int) -> ReportingPeriod:
    return ReportingPeriod.objects.get(pk=example)


@pytest.fixture
def controller(april: ReportingPeriod) -> Any:
    """The example round's controller (made with the round)."""
    return example_controller()


@pytest.fixture
def closed(april, controller) -> ReportingPeriod:
    close_round(april, actor=controller)
    return april


def download_url(key: str, format_name: str) -> str:
    return reverse("reports:followup_download", args=[key, format_name])


def page_url(key: str) -> str:
    return reverse("followup:period_detail", args=[key])


def test_period_page_links_to_the_downloads(client, controller, april) -> None:
    client.force_login(controller)
    response = client.get(page_url(april.key))
    assertContains(response, download_url(april.key, "pdf"))
    assertContains(response, download_url(april.key, "xlsx"))


def test_a_board_reader_downloads_the_open_round(client, april, make_user) -> None:
    client.force_login(make_user("ks-reader", reader="KS"))
    response = client.get(download_url(april.key, "docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="uppfoljning-KS-2022-t1.docx"'


def workbook_ids(content: bytes) -> set[str]:
    """The items' ids in a follow-up workbook (its sheets whose first column is the id)."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    ids = set()
    for sheet in book.worksheets:
        header, *rows = sheet.iter_rows(values_only=True)
        if header[0] == sv("Id"):
            ids |= {str(row[0]) for row in rows}
    return ids


def test_a_department_reporter_downloads_only_their_units_drafts(client, april) -> None:
    client.force_login(get_user_model().objects.get(username="exempel-stab"))
    assert client.get(page_url(april.key)).status_code == 200
    ids = workbook_ids(client.get(download_url(april.key, "xlsx")).content)
    assert "ksk-2022-1.2-u3-a1" in ids  # KSK stab's own action
    assert not {i for i in ids if not i.startswith("ksk-")}  # nothing of TSK, SBK or KS


def test_anonymous_user_gets_404_for_an_open_period(client, april) -> None:
    assert client.get(page_url(april.key)).status_code == 404
    assert client.get(download_url(april.key, "pdf")).status_code == 404


def test_anonymous_user_downloads_a_closed_period_of_a_decided_plan(client, closed) -> None:
    response = client.get(download_url(closed.key, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_closed_period_of_a_draft_plan_is_as_hidden_as_its_page(client, closed) -> None:
    Plan.objects.filter(pk=closed.plan_id).update(status=Plan.Status.DRAFT)
    assert client.get(page_url(closed.key)).status_code == 404
    assert client.get(download_url(closed.key, "xlsx")).status_code == 404


@pytest.mark.parametrize("username", [None, "exempel-sbk", "exempel-stab", "outsider"])
def test_download_follows_the_period_pages_reading_rule(
    client, make_user, april, username: str | None
) -> None:
    """A reporter of another office reads what the period page lets them read, no more."""
    Plan.objects.filter(pk=april.plan_id).update(status=Plan.Status.DRAFT)
    if username == "outsider":
        client.force_login(make_user("outsider"))
    elif username:
        client.force_login(get_user_model().objects.get(username=username))
    page = client.get(page_url(april.key)).status_code
    download = client.get(download_url(april.key, "xlsx"))
    # Never more than the page; and only the drafts of the reader's own units.
    assert download.status_code == page
    if page == 200:
        office = {"exempel-sbk": "sbk-", "exempel-stab": "ksk-"}[username]  # type: ignore[index]  # parametrised with those names
        ids = workbook_ids(download.content)
        assert ids
        assert not {i for i in ids if not i.startswith(office)}


def test_closed_download_reads_the_period_its_snapshot_and_its_economy(
    client, closed, django_assert_num_queries
) -> None:
    with django_assert_num_queries(CLOSED_DOWNLOAD_QUERIES):
        client.get(download_url(closed.key, "xlsx"))
    with django_assert_num_queries(CACHED_CLOSED_DOWNLOAD_QUERIES):
        client.get(download_url(closed.key, "xlsx"))


def test_download_is_get_only_and_knows_its_formats(client, controller, april) -> None:
    client.force_login(controller)
    assert client.post(download_url(april.key, "pdf")).status_code == 405
    assert client.get(download_url(april.key, "odt")).status_code == 404
    assert client.get(download_url("KS-2022-xx", "pdf")).status_code == 404


def test_open_download_runs_the_same_queries_whatever_the_plans_size(
    client, controller, april
) -> None:
    client.force_login(controller)
    url = download_url(april.key, "xlsx")
    # 31: 1 the session, 2 the user, 3 units and 4 memberships for the role scopes, 5 the
    # period; the round's rows (6 status reports, 7 assignments, 8 their actions, 9 their
    # objectives, 10 actions, 11 their units, 12 outcomes, 13 indicators, 14 their values,
    # 15 their units), 16 judgements, the round's rows again for the checks (17-26), 27 goal
    # areas, 28 objectives, 29 the plan family, 30 submissions, 31 acknowledged findings.
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    multiply_seed(3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large) == len(small)


def test_an_open_rounds_report_holds_only_the_drafts_of_the_readers_units(client, make_user):
    # A new round, without the reports of the module's example round (if it is made yet).
    ReportingPeriod.objects.filter(plan__key="KS-2022").delete()
    assert not ReportingPeriod.objects.exists()
    board_controller = make_user("board", controller="KS")
    services.create_periods(Plan.objects.get(key="KS-2022"), actor=board_controller)
    april = ReportingPeriod.objects.get(key="KS-2022-t1")
    services.open_period(april, actor=board_controller)
    url = f"/reports/followup/{april.key}/xlsx/"
    client.force_login(make_user("sbk", controller="SBK"))
    ids = workbook_ids(client.get(url).content)
    assert ids
    assert not {i for i in ids if not i.startswith("sbk-")}
    client.force_login(make_user("ks-reader", reader="KS"))
    ids = workbook_ids(client.get(url).content)
    assert {i[:4] for i in ids} >= {"ksk-", "sbk-", "tsk-"}
