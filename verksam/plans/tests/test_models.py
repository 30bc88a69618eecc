"""The plan model's rules: constraints, dates with precision, what is late."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from verksam.core.dates import Precision
from verksam.plans.models import Action, Plan
from verksam.testing import make_plan

# These tests set up their cases by editing the decided seed directly.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_editable")]


def test_an_owner_has_one_plan_a_year():
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_plan(year=2022, horizon_start=2022, horizon_end=2024)


def test_the_plan_year_lies_within_its_horizon():
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_plan(horizon_start=2024, horizon_end=2026)


def test_a_plan_is_not_its_own_parent():
    plan = make_plan()
    plan.parent = plan
    with transaction.atomic(), pytest.raises(IntegrityError):
        plan.save()


def test_an_office_plan_belongs_to_the_board_plan():
    office = Plan.objects.get(key="TSK-2022")
    assert office.root == Plan.objects.get(key="KS-2022")
    assert set(Plan.objects.family(office.root).values_list("key", flat=True)) == {
        "KS-2022", "KSK-2022", "SBK-2022", "TSK-2022"
    }  # fmt: skip


def test_drafts_are_visible_only_to_readers_at_or_above_the_owner(make_user):
    from django.contrib.auth.models import AnonymousUser

    Plan.objects.filter(key="SBK-2022").update(status=Plan.Status.DRAFT)
    drafts = Plan.objects.filter(key="SBK-2022")
    assert not drafts.visible_to(AnonymousUser()).exists()
    assert not drafts.visible_to(make_user("no-role")).exists()
    assert not drafts.visible_to(make_user("department", reader="SBK-MEX")).exists()
    assert drafts.visible_to(make_user("office", reader="SBK")).exists()
    assert drafts.visible_to(make_user("board", reader="KS")).exists()


def test_saving_an_action_normalises_its_printed_dates():
    action = Action.objects.get(key="ksk-2022-1.1-u2-a1")
    action.end_raw = "30 juni"
    action.save(update_fields=["end_raw"])
    action.refresh_from_db()
    assert (action.end_date, action.end_precision) == (date(2022, 6, 30), Precision.DAY)


@pytest.mark.parametrize(
    ("end_raw", "today", "late"),
    [
        ("2022-04-30", date(2022, 5, 1), True),
        ("2022-04-30", date(2022, 4, 30), False),
        ("2022-04", date(2022, 4, 30), False),
        ("2022-04", date(2022, 5, 1), True),
        ("Q1 2022", date(2022, 3, 31), False),
        ("Q1 2022", date(2022, 4, 1), True),
        ("Q2 2023", date(2023, 6, 30), False),
        ("Q2 2023", date(2023, 7, 1), True),
        ("2022", date(2022, 12, 31), False),
        ("2022", date(2023, 1, 1), True),
        ("Pågår", date(2030, 1, 1), False),
        ("Enligt kommunstyrelsens verksamhetsplan", date(2030, 1, 1), False),
    ],
)
def test_an_action_is_past_its_end_only_when_the_whole_period_has_passed(end_raw, today, late):
    action = Action.objects.get(key="ksk-2022-1.1-u2-a1")
    action.end_raw = end_raw
    action.save()
    assert Action.objects.late(on=today).filter(pk=action.pk).exists() is late
