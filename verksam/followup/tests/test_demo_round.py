"""The demo's example April round: loaded once, marked as example data."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from pytest_django.asserts import assertContains

from verksam.followup.examples import load_example_round
from verksam.followup.models import StatusReport

pytestmark = pytest.mark.django_db


def test_the_example_round_loads_once_and_says_it_is_example_data(client):
    first = load_example_round(settings.DEMO_FOLLOWUP_FILE)
    count = StatusReport.objects.count()
    second = load_example_round(settings.DEMO_FOLLOWUP_FILE)
    assert (first.loaded, second.loaded) == (True, False)
    assert StatusReport.objects.count() == count == 20
    assert first.period.is_example
    assert first.period.is_open
    client.force_login(get_user_model().objects.get(username="exempel-controller"))
    response = client.get(reverse("followup:period_detail", args=[first.period.key]))
    assertContains(response, "Exempeldata")
    board = client.get(reverse("followup:period_board", args=[first.period.key]))
    assertContains(board, "IT-avdelningen")
