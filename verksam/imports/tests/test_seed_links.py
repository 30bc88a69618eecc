"""The seed's links and names as the seed gives them: actions to their assignments, Bilaga 1
rows to the assignments that continue them, TKN as the committee it is, names as printed."""

import pytest

from verksam.indicators.models import Indicator, IndicatorValue
from verksam.organisation.models import OrgUnit
from verksam.plans.models import Action, Assignment, CarriedOverAssignment

pytestmark = pytest.mark.django_db

# TSK's actions by assignment (tsk.yaml explains each link).
TSK_ACTIONS = {
    "tsk-2022-3.3-u1": ["tsk-2022-3.3-a1"],
    "tsk-2022-4.1-u1": ["tsk-2022-4.1-a1", "tsk-2022-4.1-a2"],
    "tsk-2022-4.2-u1": ["tsk-2022-4.2-a1"],
    "tsk-2022-ma5-u1": ["tsk-2022-ma5-a1"],
    "tsk-2022-ma5-u2": ["tsk-2022-ma5-a2"],
    "tsk-2022-ma5-u3": [f"tsk-2022-5.3-a{n}" for n in range(1, 9)],
    "tsk-2022-ma5-u4": ["tsk-2022-ma5-a3"],
    "tsk-2022-5.1-u1": ["tsk-2022-5.1-a4", "tsk-2022-5.1-a5", "tsk-2022-5.1-a6"],
    "tsk-2022-5.1-u2": ["tsk-2022-5.1-a7"],
    "tsk-2022-5.1-u3": ["tsk-2022-5.1-a8"],
    "tsk-2022-5.1-u4": ["tsk-2022-5.1-a3"],
    "tsk-2022-5.2-u1": ["tsk-2022-5.2-a1"],
    "tsk-2022-7.4-u1": ["tsk-2022-7.4-a1"],
}


def test_every_tsk_assignment_has_the_actions_the_seed_gives_it():
    linked = {
        assignment.key: sorted(a.key for a in assignment.actions.all())
        for assignment in Assignment.objects.filter(plan__key="TSK-2022").prefetch_related(
            "actions"
        )
    }
    assert linked == {key: sorted(actions) for key, actions in TSK_ACTIONS.items()}


def test_tsk_actions_no_assignment_speaks_of_stay_with_their_objective_or_goal_area():
    alone = Action.objects.filter(plan__key="TSK-2022", assignment=None)
    assert sorted(alone.values_list("key", flat=True)) == sorted(
        [
            "tsk-2022-1.2-a1",
            "tsk-2022-1.2-a2",
            *(f"tsk-2022-2.1-a{n}" for n in range(1, 5)),
            "tsk-2022-3.1-a1",
            *(f"tsk-2022-3.2-a{n}" for n in range(1, 4)),
            "tsk-2022-5.1-a1",
            "tsk-2022-5.1-a2",
            *(f"tsk-2022-ma5-a{n}" for n in range(4, 12)),
        ]
    )
    assert not alone.filter(objective=None, goal_area=None).exists()


def test_an_action_linked_by_its_footnote_keeps_its_objective_and_focus_areas():
    action = Action.objects.get(key="tsk-2022-5.1-a7")
    assert (action.assignment.key, action.objective.key) == ("tsk-2022-5.1-u2", "2022-5.1")
    assert action.notes[0].startswith("Uppdraget från kommunfullmäktige ansluter")
    assert sorted(action.focus_areas.values_list("key", flat=True)) == [
        "tss-fo1",
        "tss-fo2",
        "tss-fo3",
    ]


def test_bilaga_1_links_each_row_the_offices_repeat_to_the_assignment_that_continues_it():
    links = dict(
        CarriedOverAssignment.objects.filter(plan__key="KS-2022").values_list(
            "key", "assignment__key"
        )
    )
    assert {row: a for row, a in links.items() if a} == {
        "ks-2022-b1-01": "sbk-2022-1.2-u1",
        "ks-2022-b1-02": "ksk-2022-1.2-u1",
        "ks-2022-b1-06": "sbk-2022-1.2-u7",
        "ks-2022-b1-07": "ksk-2022-2.3-u1",
        "ks-2022-b1-10": "ksk-2022-3.3-u1",
        "ks-2022-b1-12": "sbk-2022-4.3-u2",
        "ks-2022-b1-15": "sbk-2022-6.1-u1",
        "ks-2022-b1-19": "ksk-2022-6.2-u2",
        "ks-2022-b1-21": "sbk-2022-1.2-u2",
        "ks-2022-b1-22": "ksk-2022-7.1-u1",
        "ks-2022-b1-23": "ksk-2022-7.3-u1",
    }
    assert len(links) == 23


def test_a_continued_assignment_is_in_a_part_of_the_plan_whose_bilaga_1_names_it():
    rows = CarriedOverAssignment.objects.exclude(assignment=None).select_related(
        "plan", "assignment__plan"
    )
    assert all(row.assignment.plan.parent_id == row.plan.pk for row in rows)
    # Bilaga 1 puts the arkitekturprogram under goal area 7, SBK under 1 (an anomaly).
    assert [row.key for row in rows if row.assignment.goal_area_id != row.goal_area_id] == [
        "ks-2022-b1-21"
    ]


def test_tkn_is_the_committee_and_tekniska_kontoret_its_office():
    tkn = OrgUnit.objects.select_related("parent").get(code="TKN")
    assert (tkn.name, tkn.short_name, tkn.kind, tkn.parent.code) == (
        "Teknik- och klimatnämnden",
        "TKN",
        OrgUnit.Kind.COMMITTEE,
        "KF",
    )
    office = OrgUnit.objects.select_related("parent").get(name="Tekniska kontoret")
    assert (office.kind, office.parent.code) == (OrgUnit.Kind.OFFICE, "TKN")


def test_the_committee_leads_where_the_seed_names_tkn_and_the_office_where_it_names_the_office():
    leads = {
        action.key: [r.unit.code for r in action.responsibilities.all() if r.role == "lead"]
        for action in Action.objects.filter(responsibilities__role="lead").prefetch_related(
            "responsibilities__unit"
        )
    }
    assert leads == {
        "ksk-2022-1.1-u1-a1": ["TKN"],
        "ksk-2022-2.1-u2-a1": ["TKN"],
        "ksk-2022-4.3-u2-a1": ["TKN"],
        "ksk-2022-5.1-u1-a1": ["TKN"],
        "sbk-2022-5.1-u1-a1": ["TK"],
    }


def test_an_indicator_name_keeps_its_printed_ny_indikator_fran_2022():
    indicator = Indicator.objects.get(key="ksk-2022-2.1-i1")
    assert indicator.name.endswith("(exkl. resor med personbil). Ny indikator från 2022")
    assert indicator.notes == []


def test_a_gender_split_keeps_the_labels_and_lines_the_seed_prints():
    values = IndicatorValue.objects.filter(indicator__key="tsk-2022-4.2-i1").order_by("position")
    first, second = values[0], values[1]
    assert (first.raw, first.split_labels, first.women_raw, first.men_raw) == (
        "F 54 %\nP 61 %",
        "F/P",
        "54 %",
        "61 %",
    )
    assert (first.women, first.men) == (54, 61)
    assert first.display() == "F 54 %\nP 61 %"
    assert (second.raw, second.display()) == ("–\n–", "–\n–")
    assert first.split_parts == [("F", "54 %"), ("P", "61 %")]
    assert not IndicatorValue.objects.exclude(split_labels="").exclude(split_labels="F/P").exists()
