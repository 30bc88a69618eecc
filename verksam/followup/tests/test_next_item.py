""" "Save and go to the next": after saving a report the reporter lands on the form of the
next item their units have not reported, and on "Att rapportera" when all is reported."""

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from verksam.accounts.rules import Role, unit_ids_with_role
from verksam.followup import glance
from verksam.followup.models import ReportingPeriod
from verksam.followup.reporting import Row, rows_for
from verksam.testing import example_round, multiply_seed, rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def example(django_db_setup, django_db_blocker) -> Iterator[ReportingPeriod]:
    """The example round, made once for the module (each test writes in its own
    transaction)."""
    with rolled_back(django_db_blocker):
        yield example_round()


@pytest.fixture
def april(example, db) -> ReportingPeriod:
    return ReportingPeriod.objects.get(pk=example.pk)


def edit_url(period: ReportingPeriod, kind: str, key: str) -> str:
    return reverse("followup:report_edit", args=[period.key, kind, key])


def post_for(kind: str) -> dict[str, str]:
    if kind == "indicator":
        return {"version": "0", "raw": "5", "women": "", "men": "", "source": "", "comment": ""}
    return {"version": "0", "status": "on_track", "progress": "40", "next": "1"}


def test_saving_with_next_opens_the_next_unreported_item(client, make_user, april):
    user = make_user("rasmus", reporter="KSK-STAB")
    client.force_login(user)
    units = unit_ids_with_role(user, Role.REPORTER)
    first = glance.to_report(april, units).missing[0]
    assertContains(client.get(edit_url(april, first.kind, first.key)), 'name="next"')
    following = glance.next_to_report(april, units, first.item)
    assert following is not None
    assert following.key != first.key
    response = client.post(
        edit_url(april, first.kind, first.key), {**post_for(first.kind), "next": "1"}
    )
    assertRedirects(response, edit_url(april, following.kind, following.key))


def test_the_last_item_saved_with_next_goes_back_to_the_list(client, make_user, april):
    user = make_user("rasmus", reporter="KSK-STAB")
    client.force_login(user)
    units = unit_ids_with_role(user, Role.REPORTER)
    missing = glance.to_report(april, units, shown=1000).missing  # all of them
    for row in missing:
        response = client.post(
            edit_url(april, row.kind, row.key), {**post_for(row.kind), "next": "1"}
        )
        assert response.status_code == 302, row.key
    assertRedirects(response, reverse("followup:report_list"))
    assert glance.to_report(april, units).missing == []


def next_of_rows(rows: list[Row], after: Row) -> Row | None:
    """The reference: the next row not reported after `after` in `rows_for`'s list, from the
    top again at the end (how `next_to_report` read it before it was found in SQL)."""
    here = rows.index(after)
    following = [r for r in rows[here + 1 :] + rows[:here] if not r.is_reported]
    return following[0] if following else None


def test_the_next_item_is_the_next_unreported_row_of_the_list_from_any_row(make_user, april):
    units = unit_ids_with_role(make_user("rasmus", reporter="KSK"), Role.REPORTER)
    rows = rows_for(april, units)
    assert len(rows) > 10
    assert any(r.is_reported for r in rows)
    for row in rows:
        expected = next_of_rows(rows, row)
        found = glance.next_to_report(april, units, row.item)
        assert (found.kind, found.key) == (expected.kind, expected.key), row.key


# The first missing item after the saved one (one union of the kinds; when there is none, a
# second from the top), then its row: 2 its unit, 3–5 the item (a query per kind), 6 the
# status reports, 7 the outcomes and 8 the indicators' values (`glance.page_rows`).
NEXT_QUERIES = 8


def test_the_next_item_is_found_with_the_same_queries_at_ten_times_the_seed(make_user, april):
    units = unit_ids_with_role(make_user("rasmus", reporter="KSK-STAB"), Role.REPORTER)
    first = glance.to_report(april, units).missing[0]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert glance.next_to_report(april, units, first.item) is not None
        return len(captured)

    seed = queries()
    multiply_seed(10)
    assert queries() == seed == NEXT_QUERIES
