"""The round's reads in SQL (`followup.tallies`, `glance.ToReport`, `reporting.placed_items`)
give what the rows read in Python (`reporting.rows_for`) give: the same reporting units,
counts, missing items, pages in the same order, and the same goal-attainment roll-up."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from verksam.followup import glance, reporting, services, tallies
from verksam.followup.models import ReportingPeriod, StatusReport
from verksam.indicators.models import Indicator
from verksam.plans.models import Action, Assignment
from verksam.testing import (
    board_controller,
    completeness_of_rows,
    deviation,
    example_round,
    multiply_seed,
    rolled_back,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shared_round(django_db_setup, django_db_blocker) -> Iterator[tuple[ReportingPeriod, Any]]:
    """The demo's April round (reports, late items, outcomes), with one assignment done and
    one deviation without its analysis, at three times the seed: made once for the module
    (the tests only read it, or write in their own transaction)."""
    with rolled_back(django_db_blocker):
        controller = board_controller()
        period = example_round()
        multiply_seed(3)
        assignment = Assignment.objects.filter(actions__isnull=False).order_by("pk")[0]
        action = Action.objects.order_by("-pk")[0]
        done = {"status": "done", "progress": 100}
        for item, fields in ((assignment, done), (action, deviation())):
            current = StatusReport.objects.for_item(item).filter(period=period).first()
            services.submit_status(
                period,
                item,
                actor=controller,
                expected_version=current.version if current else 0,
                **fields,
            )
        yield period, controller


@pytest.fixture
def april(shared_round, db) -> ReportingPeriod:
    return ReportingPeriod.objects.get(pk=shared_round[0].pk)


@pytest.fixture
def controller(shared_round, db) -> Any:
    """The board's controller of the shared round (the followup conftest's would be a second
    one of the same name)."""
    return shared_round[1]


def test_the_counts_per_unit_are_those_of_the_rows(april):
    rows = reporting.rows_for(april)
    counted = tallies.tally(april)
    by_unit: dict[int, list[int]] = {}
    for t in counted.tallies:
        count = by_unit.setdefault(t.unit_id, [0, 0, 0])
        count[0] += t.expected
        count[1] += t.reported
        count[2] += t.late
    expected: dict[int, list[int]] = {}
    for row in rows:
        count = expected.setdefault(row.unit.pk, [0, 0, 0])
        count[0] += 1
        count[1] += row.is_reported
        count[2] += row.late
    assert by_unit == expected
    assert counted.missing == sum(1 for row in rows if not row.is_reported) > 0
    assert sum(t.late for t in counted.tallies) > 0


def test_the_board_is_the_completeness_of_the_rows(april):
    today = timezone.localdate()
    board = tallies.board(april, on=today)
    before = completeness_of_rows(april, on=today)
    assert [p.unit for p in board] == [p.unit for p in before]
    assert [(p.expected, p.reported, p.days_overdue) for p in board] == [
        (len(p.rows), p.reported, p.days_overdue) for p in before
    ]
    assert [[(m.kind, m.key, m.label) for m in p.missing] for p in board] == [
        [(r.kind, r.key, r.label) for r in p.missing] for p in before
    ]
    first = next(m for p in board for m in p.missing)
    assert first.get_absolute_url().endswith(f"/{first.key}/")


def test_the_board_names_each_units_first_missing_items_when_told(april):
    today = timezone.localdate()
    whole = tallies.board(april, on=today)
    first = tallies.board(april, on=today, shown=2)
    assert any(len(p.missing) > 2 for p in whole)
    assert [p.missing for p in first] == [p.missing[:2] for p in whole]
    assert [p.missing_count for p in first] == [len(p.missing) for p in whole]


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"state": "missing"},
        {"state": "late"},
        {"state": "reported"},
        {"office": "KSK", "goal_area": "2022-ma1"},
    ],
)
def test_every_page_is_the_rows_in_group_order(april, controller, filters):
    units = None  # the controller's view of every unit's items
    rows = reporting.rows_for(april)
    counted = tallies.tally(april, units)
    paged = glance.ToReport(april, units, counted, glance.Filters(**filters))
    shown = [
        row
        for number in Paginator(paged, 40).page_range
        for row in Paginator(paged, 40).page(number).object_list
    ]
    expected = glance.group_order(glance.filter_rows(rows, **filters))
    assert expected
    assert len(paged) == len(expected)
    assert shown == expected


def test_a_page_sorts_its_items_without_their_lateness_unless_filtered_by_it(april):
    """PostgreSQL computes a union's columns for every item of the round before sorting: the
    lateness (a subquery per item) is read for the page's items only (`page_rows`)."""
    counted = tallies.tally(april)
    for state, computed in (("", False), ("missing", False), ("late", True)):
        union = str(glance.ToReport(april, None, counted, glance.Filters(state=state)).query.query)
        assert ("end_precision" in union) is computed


def test_a_reporters_filters_offer_the_offices_units_and_goal_areas_of_their_rows(april, reporter):
    from verksam.accounts.rules import Role, unit_ids_with_role

    units = unit_ids_with_role(reporter, Role.REPORTER)
    rows = reporting.rows_for(april, units)
    choices = glance.filter_choices(tallies.tally(april, units))
    assert [code for code, _name in choices["offices"]] == list(
        dict.fromkeys(r.item.plan.owner.code for r in rows)
    )
    assert {code for code, _name in choices["units"]} == {r.unit.code for r in rows}
    assert {key for key, _name in choices["goal_areas"]} == {
        r.item.goal_area.key for r in rows if r.item.goal_area is not None
    }


def test_the_roll_up_read_as_values_is_the_roll_up_of_the_rows(april, controller):
    services.record_outcome(
        april,
        Indicator.objects.get(key="ksk-2022-1.1-i4"),
        actor=controller,
        expected_version=april.outcomes.filter(indicator__key="ksk-2022-1.1-i4").count(),
        raw="1 %",
    )

    def flat(tree) -> list:
        goal_areas, offices = tree
        subjects = [*(s for g in goal_areas for s in [g, *g.children]), *offices]
        return [(s.kind, s.obj.pk, s.suggestion, s.judgement) for s in subjects]

    assert flat(reporting.attainment_tree(april)) == flat(
        reporting.attainment_tree(april, reporting.rows_for(april))
    )


@pytest.mark.parametrize("unit", ["KSK-STAB", "KSK"])  # a department, an office
def test_a_reporters_share_is_the_rows_of_their_units(april, make_user, unit):
    from verksam.accounts.rules import Role, unit_ids_with_role

    units = unit_ids_with_role(make_user("rasmus", reporter=unit), Role.REPORTER)
    rows = reporting.rows_for(april, units)

    def seen(found: list) -> list:
        return [(r.kind, r.item.pk, r.unit.pk, r.late, r.report) for r in found]

    missing = [row for row in rows if not row.is_reported]
    late = [row for row in rows if row.late]
    assert missing
    assert late
    for shown in (3, len(rows)):
        share = glance.to_report(april, units, shown=shown)
        assert (share.expected, share.reported, share.missing_count, share.late_count) == (
            len(rows),
            len(rows) - len(missing),
            len(missing),
            len(late),
        )
        assert seen(share.missing) == seen(missing[:shown])
        assert seen(share.late) == seen(late[:shown])
