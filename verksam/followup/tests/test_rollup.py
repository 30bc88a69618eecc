"""Goal attainment roll-up: suggestions from children, judgements, gaps and culprits."""

import pytest
from django.core.exceptions import ValidationError

from verksam.followup import services
from verksam.followup.models import Attainment
from verksam.followup.reporting import attainment_tree
from verksam.indicators.models import Indicator
from verksam.plans.models import Action, Objective, Plan
from verksam.testing import deviation

pytestmark = pytest.mark.django_db


def subject(tree, number: str):
    goal_areas, _offices = tree
    return next(o for ga in goal_areas for o in ga.children if o.obj.number == number)


def test_an_objective_is_red_when_its_indicators_miss_and_names_them(april, controller):
    for key in ("ksk-2022-1.1-i4", "ksk-2022-1.1-i7"):
        services.record_outcome(
            april, Indicator.objects.get(key=key), actor=controller, expected_version=0, raw="1 %"
        )
    objective = subject(attainment_tree(april), "1.1")
    assert objective.suggestion.attainment == Attainment.NOT_MET
    culprits = {c.label for c in objective.suggestion.culprits}
    assert "Årets resultat som andel av skatt och generella statsbidrag" in culprits


def test_the_goal_area_counts_its_objectives_results_and_shows_them(april, controller):
    action = Action.objects.get(key="ksk-2022-1.2-u3-a1")
    services.submit_status(april, action, actor=controller, expected_version=0, **deviation())
    goal_areas, _ = attainment_tree(april)
    first = goal_areas[0]
    assert first.obj.number == "1"
    assert {c.label for c in first.suggestion.children} >= {str(o.obj) for o in first.children}
    assert first.suggestion.attainment in {Attainment.PARTLY, Attainment.NOT_MET}


def test_a_judgement_beside_a_different_suggestion_is_flagged(april, controller):
    objective = Objective.objects.get(key="2022-1.1")
    services.record_outcome(
        april,
        Indicator.objects.get(key="ksk-2022-1.1-i4"),
        actor=controller,
        expected_version=0,
        raw="1 %",
    )
    with pytest.raises(ValidationError):
        services.judge(
            april, objective, actor=controller, expected_version=0, attainment="met", motivation=""
        )
    services.judge(
        april,
        objective,
        actor=controller,
        expected_version=0,
        attainment="partly",
        motivation="Resultatet väntas förbättras under hösten.",
    )
    judged = subject(attainment_tree(april), "1.1")
    assert judged.result == Attainment.PARTLY
    assert judged.differs


def test_each_office_gets_a_suggestion_from_its_items(april, controller):
    _goal_areas, offices = attainment_tree(april)
    assert {o.obj.key for o in offices} == {"KS-2022", "KSK-2022", "SBK-2022", "TSK-2022"}
    services.judge(
        april,
        Plan.objects.get(key="SBK-2022"),
        actor=controller,
        expected_version=0,
        attainment="met",
        motivation="Allt enligt plan.",
    )
    _goal_areas, offices = attainment_tree(april)
    sbk = next(o for o in offices if o.obj.key == "SBK-2022")
    assert sbk.judgement.attainment == "met"
