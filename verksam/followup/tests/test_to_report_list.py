"""Att rapportera grouped by office, reporting unit and goal area, with counts per unit,
filters and pages; a fixed number of queries at 1× and 10× the seed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from verksam.followup import glance
from verksam.followup.models import ReportingPeriod
from verksam.followup.views import TO_REPORT_PAGE
from verksam.testing import assert_accessible_structure, multiply_seed

pytestmark = pytest.mark.django_db

LIST = reverse("followup:report_list")


@pytest.fixture
def april(db, example_round_once) -> ReportingPeriod:
    """The demo's example April round (loaded once for the module)."""
    return ReportingPeriod.objects.get(pk=example_round_once)


@pytest.fixture
def controller(client, make_user):
    client.force_login(make_user("clara", controller="KS"))
    return client


def test_the_list_is_grouped_counted_and_paged(controller, april):
    response = controller.get(LIST)
    assert response.status_code == 200
    assert_accessible_structure(response.content.decode())
    rows = response.context["rows"]
    assert len(rows) > TO_REPORT_PAGE
    assert sum(c.expected for c in response.context["counts"]) == len(rows)
    shown = [row for group in response.context["groups"] for row in group.rows]
    assert len(shown) == TO_REPORT_PAGE
    assert shown == glance.group_order(rows)[:TO_REPORT_PAGE]
    assertContains(response, 'rel="next"')
    last = response.context["page"].paginator.num_pages
    tail = controller.get(LIST, {"page": last}).context["groups"]
    assert sum(len(g.rows) for g in tail) == len(rows) - (last - 1) * TO_REPORT_PAGE


def test_filters_keep_one_units_missing_items(controller, april):
    rows = controller.get(LIST).context["rows"]
    unit = next(r.unit for r in rows if not r.is_reported)
    response = controller.get(LIST, {"unit": unit.code, "state": "missing"})
    shown = [row for group in response.context["groups"] for row in group.rows]
    expected = [r for r in rows if r.unit == unit and not r.is_reported]
    assert len(shown) == len(expected)
    assert all(r.unit == unit and not r.is_reported for r in shown)
    assert all(group.unit == unit.name for group in response.context["groups"])


def test_the_state_filter_says_reported_not_to_be_reported(controller, april):
    html = controller.get(LIST).content.decode()
    for value, label in (("missing", "Ej rapporterad"), ("reported", "Rapporterad")):
        assert f'<option value="{value}">{label}</option>' in html
    assert "Rapporteras" not in html  # the future tense once said "reported"


def test_a_goal_area_filter_keeps_its_items(controller, april):
    response = controller.get(LIST, {"goal_area": "2022-ma5"})
    groups = response.context["groups"]
    assert groups
    assert all(group.goal_area.key == "2022-ma5" for group in groups)


def test_an_unknown_filter_value_is_a_400_at_its_field(controller, april):
    response = controller.get(LIST, {"unit": "NOPE"})
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors


def test_the_list_runs_the_same_number_of_queries_at_ten_times_the_seed(controller, april):
    with CaptureQueriesContext(connection) as once:
        controller.get(LIST)
    multiply_seed(10)
    with CaptureQueriesContext(connection) as tenfold:
        response = controller.get(LIST)
    assert len(tenfold) == len(once)
    assert len(response.context["rows"]) > 10 * TO_REPORT_PAGE
