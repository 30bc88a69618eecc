"""The plan document as data: everything of the seed in the printed order and place."""

from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verksam.indicators.models import Indicator, IndicatorValue
from verksam.plans.models import Action, Assignment, CarriedOverAssignment, Plan
from verksam.reports.plan_document import fetch_plan_content, plan_document, plan_workbook

pytestmark = pytest.mark.django_db
FETCH_QUERIES = 11


def placed(document: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(what, part, goal area heading, text) for every assignment, action and indicator row."""
    part = area = ""
    found = []
    for block in document["blocks"]:
        if block["type"] == "heading" and block["level"] == 1:
            part, area = block["text"], ""
        elif block["type"] == "heading" and block["text"].startswith("Målområde"):
            area = block["text"]
        elif block["type"] == "paragraph" and block["strong"] and block["label"]:
            found.append(("assignment", part, area, block["text"]))
        elif block["type"] == "table" and block["columns"][0] == "Åtgärd":
            found += [("action", part, area, row[0]) for row in block["rows"]]
        elif block["type"] == "table" and block["columns"][1:2] != ["Ursprung"]:
            found += [("indicator", part, area, row[0]) for row in block["rows"]]
    return found


def area_heading(goal_area: Any) -> str:
    return f"Målområde {goal_area.number}: {goal_area.title}" if goal_area else ""


def test_every_assignment_action_and_indicator_appears_once_in_its_section(
    seed_document: dict[str, Any],
) -> None:
    board = Plan.objects.get(key="KS-2022")
    expected = Counter()
    for kind, items in (
        ("assignment", Assignment.objects.select_related("plan", "goal_area")),
        ("action", Action.objects.select_related("plan", "goal_area")),
        ("indicator", Indicator.objects.select_related("plan", "goal_area")),
    ):
        for item in items:
            # The board's own items (the employer indicators) print in its common part,
            # under "Kommunen som arbetsgivare".
            part = item.plan.title if item.plan != board else "Kommunen som arbetsgivare"
            text = getattr(item, "title", None) or getattr(item, "text", None) or item.name
            expected[(kind, part, area_heading(item.goal_area), text)] += 1

    assert Counter(placed(seed_document)) == expected
    assert sum(expected.values()) == 65 + 101 + 60  # the seed's assignments, actions, indicators


def test_the_document_follows_the_seed_order(seed_document: dict[str, Any]) -> None:
    parts = [
        b["text"] for b in seed_document["blocks"] if b["type"] == "heading" and b["level"] == 1
    ]
    assert parts[:5] == [
        "Verksamhetsplanens syfte och struktur",
        "Begrepp som används i verksamhetsplanen",
        "Kommunstyrelsens verksamhetsidé och verksamhetsområde",
        "Kommunstyrelsens inriktning 2022",
        "Kommunen som arbetsgivare",
    ]
    assert parts[5:8] == [
        "Kommunstyrelsekontorets verksamhetsplan",
        "Samhällsbyggnadskontorets verksamhetsplan",
        "Trygghets- och säkerhetskontorets verksamhetsplan",
    ]
    assert parts[-1].startswith("Bilaga 1")


def test_appendix_lists_every_carried_over_assignment_once(seed_document: dict[str, Any]) -> None:
    start = next(
        i for i, b in enumerate(seed_document["blocks"]) if b.get("text", "").startswith("Bilaga 1")
    )
    rows = [
        row
        for block in seed_document["blocks"][start:]
        if block["type"] == "table"
        for row in block["rows"]
    ]
    expected = [
        [c.title, c.origin]
        for c in CarriedOverAssignment.objects.order_by("goal_area__position", "position")
    ]
    assert rows == expected


def test_values_and_dates_print_in_swedish_form(seed_document: dict[str, Any]) -> None:
    cells = {
        cell
        for b in seed_document["blocks"]
        if b["type"] == "table"
        for r in b["rows"]
        for cell in r
    }
    assert "3,0 %" in cells  # printed "3,0%"
    assert "Påbörjat 2021" in cells  # no clean date: as printed
    assert "2202-12-31" in cells  # the seed's typo stays visible
    assert "2022-01" in cells  # a month stays a month


def test_office_document_holds_only_that_office(db: None) -> None:
    plan = Plan.objects.get(key="SBK-2022")
    document = plan_document(fetch_plan_content(plan, visible=Plan.objects.all()))
    parts = {part for _kind, part, _area, _text in placed(document)}
    assert parts == {"Samhällsbyggnadskontorets verksamhetsplan"}
    assert document["title"] == plan.title


def test_no_section_without_data(seed_document: dict[str, Any]) -> None:
    headings = {b["text"] for b in seed_document["blocks"] if b["type"] == "heading"}
    assert not headings & {"Driftbudget", "Investeringar", "Riskanalys", "Internkontrollplan"}


def test_a_hidden_part_is_left_out(db: None) -> None:
    plan = Plan.objects.get(key="KS-2022")
    visible = Plan.objects.exclude(key="TSK-2022")
    document = plan_document(fetch_plan_content(plan, visible=visible))
    assert "Trygghets- och säkerhetskontorets verksamhetsplan" not in {
        b.get("text") for b in document["blocks"]
    }


def test_fetching_runs_the_same_queries_whatever_the_size(db: None) -> None:
    plan = Plan.objects.select_related("owner").get(key="KS-2022")
    with CaptureQueriesContext(connection) as before:
        fetch_plan_content(plan, visible=Plan.objects.all())
    for action in Action.objects.all():
        action.pk, action.key = None, f"{action.key}-copy"
        action.save()
    with CaptureQueriesContext(connection) as after:
        content = fetch_plan_content(plan, visible=Plan.objects.all())
        plan_document(content)
        plan_workbook(content)
    assert len(before) == len(after) == FETCH_QUERIES


def test_a_negative_amount_prints_with_thousands_separated(db: None) -> None:
    value = IndicatorValue.objects.filter(indicator__plan__key="KSK-2022").first()
    value.raw = "-152445"
    value.save()
    plan = Plan.objects.select_related("owner").get(key="KSK-2022")
    document = plan_document(fetch_plan_content(plan, visible=Plan.objects.all()))
    cells = {c for b in document["blocks"] if b["type"] == "table" for r in b["rows"] for c in r}
    assert "-152\u00a0445" in cells  # a non-breaking space keeps the number on one line
