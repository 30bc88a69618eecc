""" "Save and go to the next": after saving a report the reporter lands on the form of the
next item their units have not reported, and on "Att rapportera" when all is reported."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from verksam.accounts.rules import Role, unit_ids_with_role
from verksam.followup import glance
from verksam.followup.models import ReportingPeriod
from verksam.testing import example_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def april() -> ReportingPeriod:
    return example_round()


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
