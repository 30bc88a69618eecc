"""Carry-over at year end: decisions, next year's plan, lineage, idempotency."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from verksam.followup import carry_over, services
from verksam.followup.models import CarryOverDecision
from verksam.plans.models import Action, Assignment, CarriedOverAssignment, Plan

pytestmark = pytest.mark.django_db


def carry(board, controller):
    return carry_over.carry_over_plan(board, actor=controller, to_year=2023)


def test_continued_items_go_into_a_2023_plan_with_origin_and_lineage(board, controller, hyres):
    action = hyres.actions.get()
    carry_over.decide_carry_over(hyres, actor=controller, decision="continue", motivation="Pågår.")
    carry_over.decide_carry_over(action, actor=controller, decision="continue")
    result = carry(board, controller)
    assert {p.key for p in result.plans} == {"KS-2023", "KSK-2023"}
    new = Assignment.objects.get(key="ksk-2023-1.1-u1")
    assert (new.plan.key, new.plan.year, new.plan.status) == ("KSK-2023", 2023, "draft")
    assert new.origin == (hyres.origin or "VP 2022")
    assert new.carried_from.assignment == hyres
    assert [o.key for o in new.objectives.all()] == ["2023-1.1"]
    new_action = Action.objects.get(key="ksk-2023-1.1-u1-a1")
    assert new_action.assignment == new
    assert [r.unit.code for r in new_action.responsibilities.all()] == ["KSK-STAB", "TKN"]
    appendix = CarriedOverAssignment.objects.get(assignment=new)
    assert appendix.plan.key == "KS-2023"


def test_running_carry_over_twice_does_not_duplicate(board, controller, hyres):
    carry_over.decide_carry_over(hyres, actor=controller, decision="continue")
    first = carry(board, controller)
    second = carry(board, controller)
    assert (len(first.carried), len(second.carried), second.already) == (1, 0, 1)
    assert Assignment.objects.filter(plan__year=2023).count() == 1
    assert Plan.objects.filter(year=2023).count() == 2


def test_finished_items_are_never_carried(board, controller, april, hyres):
    services.submit_status(april, hyres, actor=controller, expected_version=0, status="done")
    with pytest.raises(ValidationError, match="klar post"):
        carry_over.decide_carry_over(hyres, actor=controller, decision="continue")


def test_closed_items_stay_and_replaced_items_get_the_replacement(board, controller, hyres):
    other = Assignment.objects.get(key="ksk-2022-1.1-u2")
    carry_over.decide_carry_over(hyres, actor=controller, decision="close", motivation="Klart.")
    carry_over.decide_carry_over(
        other, actor=controller, decision="replace", replacement="Ny lokalförsörjningsplan"
    )
    result = carry(board, controller)
    assert [a.title for a in result.carried] == ["Ny lokalförsörjningsplan"]
    assert result.carried[0].notes[-1] == "Ersätter ksk-2022-1.1-u2 i planen för 2022."
    assert hyres.key not in {i.key for i in result.undecided}
    assert not Assignment.objects.filter(key="ksk-2023-1.1-u1").exists()


def test_undecided_unfinished_items_are_reported_not_carried(board, controller):
    result = carry(board, controller)
    assert result.carried == []
    assert len(result.undecided) == Assignment.objects.filter(plan__year=2022).count() + (
        Action.objects.filter(plan__year=2022).count()
    )


def test_a_replacement_needs_its_text_and_only_controllers_decide(controller, reporter, hyres):
    with pytest.raises(ValidationError):
        carry_over.decide_carry_over(hyres, actor=controller, decision="replace")
    with pytest.raises(PermissionDenied):
        carry_over.decide_carry_over(hyres, actor=reporter, decision="continue")
    assert not CarryOverDecision.objects.exists()
