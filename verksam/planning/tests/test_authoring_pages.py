"""Authoring in the browser without a browser: making a plan, editing its items (plain forms
and htmx fragments), optimistic locking, amendments of a decided plan, the plan's life
through its buttons, and the pages' query counts at 1× and 10×."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from verksam.indicators.models import Indicator, IndicatorValue
from verksam.organisation.models import OrgUnit
from verksam.planning import services
from verksam.plans.models import (
    Action,
    Amendment,
    Assignment,
    FocusArea,
    Objective,
    Plan,
    PlanLocked,
    PlanSection,
)
from verksam.testing import board_controller, multiply_seed, seed_editable

pytestmark = pytest.mark.django_db


@pytest.fixture
def clara():
    return board_controller()


@pytest.fixture
def draft(clara) -> Plan:
    """KS's 2023 plan made from 2022 (with KSK-2023, SBK-2023, TSK-2023)."""
    return services.create_plan(
        actor=clara,
        owner=OrgUnit.objects.get(code="KS"),
        year=2023,
        from_plan=Plan.objects.get(key="KS-2022"),
    ).plan


def assignment_post(**changes):
    data = {
        "version": "0",
        "title": "Utreda en ny modell för lokalförsörjning",
        "kind": "council",
        "kind_label": "Uppdrag från KF",
        "origin": "MoB 2023",
        "goal_area": "2023-ma1",
        "objectives": ["2023-1.1"],
        "description": "Första stycket.\n\n• en punkt\n• en till",
    }
    return data | changes


def action_post(**changes):
    data = {
        "version": "0",
        "text": "Ta fram en lokalförsörjningsplan",
        "completion_criterion": "Planen beslutad av KS",
        "goal_area": "2023-ma1",
        "objective": "2023-1.1",
        "assignment": "",
        "start_raw": "Q1 2023",
        "end_raw": "31 mars 2023",
        "responsible_raw": "KSK stab huvudansvarig",
        "responsible-TOTAL_FORMS": "2",
        "responsible-INITIAL_FORMS": "0",
        "responsible-0-unit": "KSK-STAB",
        "responsible-0-role": "lead",
        "responsible-1-unit": "",
        "responsible-1-role": "responsible",
    }
    return data | changes


def test_a_controller_makes_next_years_plan_from_the_plan_page(client, clara):
    client.force_login(clara)
    page = client.get(reverse("pages:plan_detail", args=["KS-2022"]))
    new = reverse("planning:plan_new") + "?owner=KS&amp;year=2023&amp;start=previous"
    assertContains(page, new)
    response = client.post(
        reverse("planning:plan_new"),
        {"owner": "KS", "year": "2023", "start": "previous", "title": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:plan_edit", args=["KS-2023"])
    plan = Plan.objects.get(key="KS-2023")
    assert plan.status == Plan.Status.DRAFT
    assert Plan.objects.filter(parent=plan).count() == 3
    edit = client.get(response["Location"])
    assertContains(edit, "2023-1.1")


def test_making_a_plan_that_exists_is_refused_at_its_field(client, clara, draft):
    client.force_login(clara)
    response = client.post(
        reverse("planning:plan_new"), {"owner": "KS", "year": "2023", "start": "empty"}
    )
    assertContains(response, "KS har redan en plan för 2023", status_code=400)


def test_an_assignment_and_its_action_are_added_through_the_forms(client, clara, draft):
    client.force_login(clara)
    url = reverse("planning:item_new", args=["KSK-2023", "assignment"]) + "?goal_area=2023-ma1"
    assert client.get(url).status_code == 200
    response = client.post(url, assignment_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment = Assignment.objects.get(plan__key="KSK-2023", origin="MoB 2023")
    assert [o.key for o in assignment.objectives.all()] == ["2023-1.1"]
    assert assignment.history.latest().history_user == clara
    url = (
        reverse("planning:item_new", args=["KSK-2023", "action"]) + f"?assignment={assignment.key}"
    )
    response = client.post(url, action_post(assignment=assignment.key))
    assert response.status_code == 302, response.content.decode()[:3000]
    action = Action.objects.get(assignment=assignment)
    assert (action.end_date, action.end_precision) == (date(2023, 3, 31), "day")
    assert (action.start_date, action.start_precision) == (date(2023, 1, 1), "quarter")
    assert [(r.unit.code, r.role) for r in action.responsibilities.all()] == [("KSK-STAB", "lead")]
    edit = client.get(reverse("planning:plan_edit", args=["KSK-2023"]))
    assertContains(edit, f'id="action-{action.key}"')


def test_errors_are_shown_per_field_and_nothing_is_saved(client, clara, draft):
    client.force_login(clara)
    url = reverse("planning:item_new", args=["KSK-2023", "action"])
    before = Action.objects.count()
    response = client.post(url, action_post(text="", objective="2023-9.9"))
    assert response.status_code == 400
    assertContains(response, 'id="id_text_error"', status_code=400)
    assert Action.objects.count() == before


def test_the_date_preview_reads_the_date_as_typed(client, clara, draft):
    client.force_login(clara)
    url = reverse("planning:date_preview", args=["KSK-2023"])
    assertContains(client.get(url, {"end_raw": "31 mars 2023"}), "Läses som 2023-03-31 (dag)")
    assertContains(client.get(url, {"end_raw": "Q2 2023"}), "2023-04-01")
    assertContains(client.get(url, {"start_raw": "Pågår"}), "pågående")
    assertContains(client.get(url, {"end_raw": "2202-12-31"}), "orimligt")


def test_an_inline_edit_returns_the_row_and_a_stale_one_shows_the_other_version(
    client, clara, draft
):
    client.force_login(clara)
    section = PlanSection.objects.filter(plan__key="KSK-2023").first()
    url = reverse("planning:item_edit", args=["section", section.key])
    form = client.get(url, headers={"HX-Request": "true"})
    assertContains(form, 'hx-post="' + url + '"')
    assertNotContains(form, "<html")
    data = {
        "version": str(section.version),
        "heading": "Ny rubrik",
        "kind": section.kind,
        "goal_area": "",
        "objective": "",
        "body": "Stycke ett.\n\n• punkt",
    }
    saved = client.post(url, data, headers={"HX-Request": "true"})
    assertContains(saved, "Ny rubrik")
    assertContains(saved, 'role="status"')
    section.refresh_from_db()
    assert (section.heading, section.version) == ("Ny rubrik", 2)
    stale = client.post(url, data | {"heading": "Min rubrik"})
    assertContains(stale, "Ny rubrik", status_code=400)
    assertContains(stale, "Min rubrik", status_code=400)
    assertContains(stale, 'value="2"', status_code=400)
    section.refresh_from_db()
    assert section.heading == "Ny rubrik"


def test_an_indicator_target_is_set_with_its_values(client, clara, draft):
    client.force_login(clara)
    indicator = Indicator.objects.filter(plan__key="KSK-2023").prefetch_related("values").first()
    url = reverse("planning:item_edit", args=["indicator", indicator.key])
    page = client.get(url)
    assert page.status_code == 200
    values = list(indicator.values.all())
    data = {
        "version": str(indicator.version),
        "name": indicator.name,
        "origin": indicator.origin,
        "direction": indicator.direction,
        "unit": indicator.unit,
        "goal_area": indicator.goal_area.key if indicator.goal_area else "",
        "objective": indicator.objective.key if indicator.objective else "",
        "table": indicator.table,
        "source": indicator.source,
        "interval": indicator.interval,
        "responsible_raw": indicator.responsible_raw,
        "responsible-TOTAL_FORMS": "0",
        "responsible-INITIAL_FORMS": "0",
        "values-TOTAL_FORMS": str(len(values)),
        "values-INITIAL_FORMS": str(len(values)),
    }
    for n, v in enumerate(values):
        raw = "Minskande" if (v.kind, v.year) == ("target", 2023) else v.raw
        data |= {f"values-{n}-kind": v.kind, f"values-{n}-year": str(v.year),
                 f"values-{n}-label": v.label, f"values-{n}-raw": raw,
                 f"values-{n}-split_labels": v.split_labels, f"values-{n}-women": v.women_raw,
                 f"values-{n}-men": v.men_raw}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    target = IndicatorValue.objects.get(indicator=indicator, kind="target", year=2023)
    assert (target.raw, target.text) == ("Minskande", "Minskande")


def test_items_move_up_and_down_and_are_deleted_from_a_draft(client, clara, draft):
    client.force_login(clara)
    first, second = Objective.objects.filter(goal_area__key="2023-ma1").order_by("position")[:2]
    client.post(
        reverse("planning:item_shift", args=["objective", second.key]),
        {"direction": "up", "version": str(second.version)},
    )
    assert list(Objective.objects.filter(goal_area__key="2023-ma1").order_by("position")[:2]) == [
        second,
        first,
    ]
    section = PlanSection.objects.filter(plan__key="KSK-2023").first()
    url = reverse("planning:item_delete", args=["section", section.key])
    client.post(url, {"version": str(section.version)})
    assert not PlanSection.objects.filter(pk=section.pk).exists()


def test_the_plans_life_through_its_buttons(client, clara, draft):
    client.force_login(clara)
    client.post(reverse("planning:plan_move", args=["KS-2023", "review"]))
    draft.refresh_from_db()
    assert draft.status == Plan.Status.REVIEW
    response = client.post(
        reverse("planning:plan_decide", args=["KS-2023"]),
        {"decided_by": "KS", "decided_on": "2022-12-14", "reference": ""},
    )
    assertContains(response, "id_reference_error", status_code=400)
    client.post(
        reverse("planning:plan_decide", args=["KS-2023"]),
        {"decided_by": "KS", "decided_on": "2022-12-14", "reference": "KS 2022/123 §45"},
    )
    draft.refresh_from_db()
    assert (draft.status, draft.decision_reference) == (Plan.Status.DECIDED, "KS 2022/123 §45")


def action_fields(action: Action, **changes: str) -> dict[str, str]:
    return (
        action_post(
            version=str(action.version),
            text=action.text,
            goal_area=action.goal_area.key,
            objective=action.objective.key if action.objective else "",
            assignment=action.assignment.key if action.assignment else "",
            start_raw=action.start_raw,
            end_raw=action.end_raw,
            responsible_raw=action.responsible_raw,
            **{"responsible-TOTAL_FORMS": "0"},
        )
        | changes
    )


DECISION = {
    "amendment-reason": "Förlängd tidplan och en ny text",
    "amendment-reference": "KS 2022/77 §3",
    "amendment-decided_on": "2022-06-01",
}


def test_a_decided_plan_takes_several_changes_under_one_amendment(client, clara):
    """Changes are collected one by one (nothing of the decided plan changes), then recorded
    together with one reason, decision reference and date."""
    client.force_login(clara)
    client.cookies["django_language"] = "en"
    action = Action.objects.get(key="ksk-2022-1.1-u1-a1")
    end_before = action.end_raw
    edit = reverse("planning:plan_edit", args=["KSK-2022"])
    url = reverse("planning:item_edit", args=["action", action.key])
    added = client.post(url, action_fields(action, end_raw="31 dec 2022"))
    assert added.status_code == 302, added.content.decode()[:3000]
    action.refresh_from_db()
    assert (action.end_raw, action.version) == (end_before, 1)
    # The form starts from the change made; a second change of the item replaces the first.
    assertContains(client.get(url), 'value="31 dec 2022"')
    inline = client.post(
        url, action_fields(action, end_raw="30 nov 2022"), headers={"HX-Request": "true"}
    )
    assertContains(inline, "The change is added to the amendment")
    new_text = reverse("planning:item_new", args=["KSK-2022", "section"]) + "?goal_area=2022-ma1"
    created = client.post(
        new_text, {"version": "0", "heading": "Revidering", "kind": "other", "body": "Ny text."}
    )
    assert created.status_code == 302, created.content.decode()[:3000]
    assert not PlanSection.objects.filter(heading="Revidering").exists()
    indicator = Indicator.objects.filter(plan__key="KSK-2022").order_by("pk").first()
    removal = client.post(
        reverse("planning:item_delete", args=["indicator", indicator.key]),
        {"version": str(indicator.version)},
    )
    assert removal.status_code == 302
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    page = client.get(edit)
    assertContains(page, "Changed in the amendment being put together", count=2)
    assertContains(page, "Record the amendment (3 changes)")
    assertContains(page, "30 nov 2022")
    assert not Amendment.objects.exists()
    # The decision is asked once, for all three.
    record = reverse("planning:amendment_record", args=["KSK-2022"])
    missing = client.post(record, DECISION | {"amendment-reference": ""})
    assertContains(missing, "id_amendment-reference_error", status_code=400)
    assert not Amendment.objects.exists()
    recorded = client.post(record, DECISION)
    assert recorded.status_code == 302, recorded.content.decode()[:3000]
    amendment = Amendment.objects.get(plan__key="KS-2022")
    assert (amendment.reason, amendment.decision_reference) == (
        "Förlängd tidplan och en ny text",
        "KS 2022/77 §3",
    )
    section = PlanSection.objects.get(heading="Revidering")
    assert {action.key, section.key, indicator.key} <= set(amendment.item_keys())
    action.refresh_from_db()
    assert action.end_raw == "30 nov 2022"
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    assertNotContains(client.get(edit), "Changed in the amendment being put together")
    assertContains(client.get(action.get_absolute_url()), "Förlängd tidplan")
    assertContains(client.get(reverse("pages:plan_detail", args=["KS-2022"])), "KS 2022/77 §3")


def test_a_change_collected_on_a_stale_version_is_a_conflict_and_nothing_is_recorded(client, clara):
    client.force_login(clara)
    client.cookies["django_language"] = "en"
    action = Action.objects.get(key="ksk-2022-1.1-u1-a1")
    url = reverse("planning:item_edit", args=["action", action.key])
    client.post(url, action_fields(action, end_raw="31 dec 2022"))
    # Meanwhile someone records another amendment of the same action.
    services.amend_plan(
        action.plan,
        actor=clara,
        reason="Annat beslut",
        reference="KS 2022/80 §1",
        decided_on=date(2022, 6, 2),
        edits=[services.Edit("update", "action", action.key, {"text": "Ändrad av någon"})],
    )
    refused = client.post(reverse("planning:amendment_record", args=["KSK-2022"]), DECISION)
    assertContains(refused, "since you read it", status_code=400)
    assert Amendment.objects.count() == 1
    action.refresh_from_db()
    assert (action.text, action.end_raw) == ("Ändrad av någon", action.end_raw)
    assert action.end_raw != "31 dec 2022"


def test_a_decided_plan_refuses_every_change_outside_an_amendment(client, clara):
    client.force_login(clara)
    client.cookies["django_language"] = "en"
    action = Action.objects.get(key="ksk-2022-1.1-u1-a1")
    shifted = client.post(
        reverse("planning:item_shift", args=["action", action.key]),
        {"direction": "down", "version": str(action.version)},
    )
    assert shifted.status_code == 302
    assertContains(client.get(shifted["Location"]), "decided")
    with pytest.raises(PlanLocked):
        services.update_item(action, actor=clara, expected_version=1, fields={"text": "x"})
    with pytest.raises(PlanLocked):
        services.shift_item(action, actor=clara, by=1, expected_version=1)
    action.text = "direkt"
    with pytest.raises(PlanLocked):
        action.save()
    action.refresh_from_db()
    assert (action.text, action.version) != ("x", 2)
    assert not Amendment.objects.exists()
    # Taking a change out and discarding leave the plan as decided.
    client.post(reverse("planning:item_edit", args=["action", action.key]),
                action_fields(action, end_raw="31 dec 2022"))  # fmt: skip
    client.post(reverse("planning:amendment_change_remove", args=["KSK-2022", 1]))
    assertContains(client.get(reverse("planning:plan_edit", args=["KSK-2022"])), "No changes yet")
    client.post(reverse("planning:item_edit", args=["action", action.key]),
                action_fields(action, end_raw="31 dec 2022"))  # fmt: skip
    client.post(reverse("planning:amendment_discard", args=["KSK-2022"]))
    nothing = client.post(reverse("planning:amendment_record", args=["KSK-2022"]), DECISION)
    assertContains(nothing, "no changes yet", status_code=400)
    assert not Amendment.objects.exists()


# Queries of a decided plan's editing page with an amendment being put together, whatever
# the plan's size: the editing page's (19 here: KSK-2022 has no action without an
# assignment, so their two relations are not fetched), and per item the amendment changes
# its row with its relations (an action: itself, its responsibilities, its focus areas; an
# indicator: itself, its responsibilities, its values).
@pytest.mark.parametrize("factor", [1, 10])
def test_a_decided_plans_editing_page_runs_a_fixed_number_of_queries(client, clara, factor):
    client.force_login(clara)
    client.cookies["django_language"] = "en"
    action = Action.objects.get(key="ksk-2022-1.1-u1-a1")
    client.post(reverse("planning:item_edit", args=["action", action.key]),
                action_fields(action, end_raw="31 dec 2022"))  # fmt: skip
    indicator = Indicator.objects.filter(plan__key="KSK-2022").order_by("pk").first()
    client.post(reverse("planning:item_delete", args=["indicator", indicator.key]),
                {"version": str(indicator.version)})  # fmt: skip
    with seed_editable():
        multiply_seed(factor)
    url = reverse("planning:plan_edit", args=["KSK-2022"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assertContains(response, "Record the amendment (2 changes)")
    assert len(queries) == 25, "\n".join(q["sql"][:150] for q in queries.captured_queries)


# Queries of the editing page, whatever the plan's size: 1 the session, 2 the user,
# 3–4 the permission (the unit tree, the user's roles), 5 the plan, 6 the board's goal
# areas, 7 objectives, 8 texts, 9 assignments, 10 their objectives, 11 their focus areas,
# 12 their actions, 13 the actions' responsibilities, 14 their focus areas, 15 actions
# without an assignment, 16 their responsibilities, 17 focus areas, 18 indicators,
# 19 their responsibilities, 20 their values, 21 governing documents.
@pytest.mark.parametrize("factor", [1, 10])
def test_the_editing_page_runs_a_fixed_number_of_queries(client, clara, draft, factor):
    ksk = Plan.objects.get(key="KSK-2023")
    assignment = services.create_item("assignment", ksk, actor=clara, fields={
        "title": "Uppdrag", "kind": "council", "goal_area": "2023-ma1",
        "objectives": ["2023-1.1"], "focus_areas": [FocusArea.objects.first().key]})  # fmt: skip
    for linked in (assignment.key, ""):
        services.create_item("action", ksk, actor=clara, fields={
            "text": "Åtgärd", "goal_area": "2023-ma1", "assignment": linked,
            "responsible_units": [{"unit": "KSK-STAB", "role": "lead"}],
            "focus_areas": [FocusArea.objects.first().key]})  # fmt: skip
    multiply_seed(factor)
    client.force_login(clara)
    url = reverse("planning:plan_edit", args=["KSK-2023"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) == 21, "\n".join(q["sql"][:150] for q in queries.captured_queries)


# Queries of an item's form, whatever the plan's size: 1 the session, 2 the user, 3–4 the
# permission (the unit tree, the user's roles), 5 the item with its plan, goal area and
# objective, 6 its responsibilities, 7 its values; the choices: 8 the goal areas,
# 9 objectives, 10 focus areas, 11 the plan's assignments, 12 the units.
@pytest.mark.parametrize("factor", [1, 10])
def test_an_items_form_runs_a_fixed_number_of_queries(client, clara, draft, factor):
    multiply_seed(factor)
    client.force_login(clara)
    indicator = Indicator.objects.filter(plan__key="KSK-2023").first()
    url = reverse("planning:item_edit", args=["indicator", indicator.key])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert len(queries) == 12, "\n".join(q["sql"][:150] for q in queries.captured_queries)
