"""Carry-over in the browser and from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pytest_django.asserts import assertContains

from verksam.plans.models import Assignment, Plan

pytestmark = pytest.mark.django_db


def test_a_controller_decides_and_carries_over_in_the_browser(client, board, controller, hyres):
    client.force_login(controller)
    page = reverse("followup:carryover_list", args=["KS-2022"])
    assertContains(client.get(page), hyres.title[:30])
    decide = reverse("followup:carryover_decide", args=["KS-2022", "assignment", hyres.key])
    client.post(decide, {"decision": "continue", "motivation": "Pågår", "replacement": ""})
    response = client.post(
        reverse("followup:carryover_run", args=["KS-2022"]), {"to_year": "2023"}, follow=True
    )
    assertContains(response, "1 post överförd,")
    assert Assignment.objects.filter(plan__key="KSK-2023", carried_from__assignment=hyres).exists()
    assertContains(client.get(page), "ksk-2023-1.1-u1")
    again = client.post(
        reverse("followup:carryover_run", args=["KS-2022"]), {"to_year": "2023"}, follow=True
    )
    assertContains(again, "0 poster överförda, 1 redan överförd tidigare,")


def test_a_reporter_cannot_carry_over(client, reporter, hyres):
    client.force_login(reporter)
    assert client.get(reverse("followup:carryover_list", args=["KS-2022"])).status_code == 403
    decide = reverse("followup:carryover_decide", args=["KS-2022", "assignment", hyres.key])
    assert client.post(decide, {"decision": "continue"}).status_code == 403


def test_the_command_carries_over_and_running_it_twice_duplicates_nothing(controller, hyres):
    from verksam.followup import carry_over

    carry_over.decide_carry_over(hyres, actor=controller, decision="continue")
    out = StringIO()
    args = ["carry-over", "--from", "2022", "--to", "2023", "--user", "clara"]
    call_command(*args, stdout=out)
    assert "överförd ksk-2023-1.1-u1" in out.getvalue()
    out = StringIO()
    call_command(*args, stdout=out)
    assert "0 poster överförda, 1 redan överförd tidigare," in out.getvalue()
    assert Plan.objects.filter(year=2023).count() == 2


def test_the_command_refuses_an_unknown_user_or_a_reporter(reporter):
    with pytest.raises(CommandError, match="Användaren «nobody» finns inte"):
        call_command("carry-over", "--from", "2022", "--to", "2023", "--user", "nobody")
    with pytest.raises(CommandError):
        call_command("carry-over", "--from", "2022", "--to", "2023", "--user", "rasmus")


def test_both_years_item_pages_show_the_lineage(client, board, controller, hyres):
    from verksam.followup import carry_over

    carry_over.decide_carry_over(hyres, actor=controller, decision="continue", motivation="Pågår.")
    carry_over.carry_over_plan(board, actor=controller, to_year=2023)
    new = Assignment.objects.get(key="ksk-2023-1.1-u1")
    assertContains(client.get(hyres.get_absolute_url()), 'href="/assignments/ksk-2023-1.1-u1/"')
    client.force_login(controller)  # the 2023 plan is a draft
    response = client.get(new.get_absolute_url())
    assertContains(response, 'href="/assignments/ksk-2022-1.1-u1/"')
    assertContains(response, "Överförd från ksk-2022-1.1-u1 i planen för 2022.")
