"""The plan document as data: everything of the seed in the printed order and place."""

from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from verksam.budget.models import BudgetCell, BudgetTable
from verksam.indicators.models import Indicator, IndicatorValue
from verksam.plans.models import Action, Assignment, CarriedOverAssignment, Plan
from verksam.reports.blocks import Block
from verksam.reports.plan_document import fetch_plan_content, plan_document
from verksam.reports.plan_workbook import plan_workbook
from verksam.risks.models import InternalControlArea, InternalControlPoint, Risk
from verksam.testing import HOSTILE, letters, multiply_seed

# These tests set up their cases by editing the decided seed directly.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_editable")]
# 1 the plan's office parts, 2 goal areas, 3 objectives, 4 sections, 5 governing documents,
# 6 assignments, 7 their objectives, 8 actions, 9 indicators, 10 their values, 11 carried-over
# assignments, 12 budget tables, 13 columns, 14 rows, 15 cells, 16 risk analyses, 17 risks,
# 18 internal-control areas, 19 points, 20 the board plan's amendments, 21 the municipality's
# name (the names never hyphenated).
FETCH_QUERIES = 21


def placed(document: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(what, part, goal area heading, text) for every assignment, action and indicator row."""
    part = area = ""
    found = []
    budget_titles = set(BudgetTable.objects.values_list("title", flat=True))
    for block in document["blocks"]:
        if block["type"] == "table" and block["caption"] in budget_titles:
            continue
        if block["type"] == "heading" and block["level"] == 1:
            part, area = block["text"], ""
        elif block["type"] == "heading" and block["text"].startswith("Målområde"):
            area = block["text"]
        elif block["type"] == "paragraph" and block["strong"] and block["label"]:
            found.append(("assignment", part, area, block["text"]))
        elif block["type"] == "table" and block["columns"][0] == "Åtgärd":
            found += [("action", part, area, row[0]) for row in block["rows"]]
        elif block["type"] == "table" and block["columns"][0] == "Begrepp":
            continue
        elif block["type"] == "table" and block["columns"][1:2] != ["Ursprung"]:
            found += [("indicator", part, area, row[0]) for row in block["rows"]]
    return found


def area_heading(goal_area: Any) -> str:
    return f"Målområde {goal_area.number}: {goal_area.title}" if goal_area else ""


def test_every_assignment_action_and_indicator_appears_once_in_its_section(
    seed_document: dict[str, Any],
) -> None:
    board = Plan.objects.get(key="KS-2022")
    expected: Counter[tuple[str, str, str, str]] = Counter()
    for kind, items in (
        ("assignment", Assignment.objects.select_related("plan", "goal_area")),
        ("action", Action.objects.select_related("plan", "goal_area")),
        ("indicator", Indicator.objects.select_related("plan", "goal_area")),
    ):
        for item in items:
            # The board's own items (the employer indicators) print in its common part,
            # under "Kommunen som arbetsgivare".
            part = item.plan.title if item.plan != board else "Kommunen som arbetsgivare"
            names = (getattr(item, name, None) for name in ("title", "text", "name"))
            text = next(n for n in names if n)
            expected[(kind, part, area_heading(item.goal_area), text)] += 1

    assert Counter(placed(seed_document)) == expected
    assert sum(expected.values()) == 65 + 101 + 60  # the seed's assignments, actions, indicators


def test_the_document_follows_the_seed_order(seed_document: dict[str, Any]) -> None:
    parts = [
        b["text"] for b in seed_document["blocks"] if b["type"] == "heading" and b["level"] == 1
    ]
    # The council's internal-control areas for 2022 have no control points in the seed
    # (its risk analysis names them): no "Internkontrollplan" chapter.
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


def test_values_print_as_the_plan_wrote_them_and_dates_in_swedish_form(
    seed_document: dict[str, Any],
) -> None:
    cells = {
        cell
        for b in seed_document["blocks"]
        if b["type"] == "table"
        for r in b["rows"]
        for cell in r
    }
    assert "3,0%" in cells  # printed "3,0%", not re-formatted
    assert "10:52 min" in cells  # minutes and seconds, not "10,8667 min"
    assert "+200" in cells  # the sign as printed (Gruppledare föräldrastöd, Plan 2023)
    assert not any("10,8667" in cell for cell in cells)
    assert "Påbörjat 2021" in cells  # no clean date: as printed
    assert "2202-12-31" in cells  # the seed's typo stays visible
    assert "2022-01" in cells  # a month stays a month


def test_office_document_holds_only_that_office(db: None) -> None:
    plan = Plan.objects.get(key="SBK-2022")
    document = plan_document(fetch_plan_content(plan, visible=Plan.objects.all()))
    parts = {part for _kind, part, _area, _text in placed(document)}
    assert parts == {"Samhällsbyggnadskontorets verksamhetsplan"}
    assert document["title"] == plan.title


def test_no_section_without_data(db: None) -> None:
    BudgetTable.objects.filter(plan__key="SBK-2022").delete()
    Risk.objects.filter(analysis__plan__key="SBK-2022").delete()
    Risk.objects.filter(analysis__plan__key="SBK-2022").delete()
    plan = Plan.objects.get(key="SBK-2022")
    plan.risk_analysis.delete()
    document = plan_document(fetch_plan_content(plan, visible=Plan.objects.all()))
    headings = {b["text"] for b in document["blocks"] if b["type"] == "heading"}
    assert not headings & {"Ekonomi", "Driftbudget:", "Riskanalys", "Internkontrollplan"}
    assert not [b for b in document["blocks"] if b["type"] == "table" and "tkr" in b["caption"]]


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
    multiply_seed(2)
    for area in InternalControlArea.objects.all():
        for n in range(3):
            InternalControlPoint.objects.create(
                key=f"{area.key}-{n}", area=area, risk="Risk", control="Kontroll"
            )
    with CaptureQueriesContext(connection) as after:
        content = fetch_plan_content(plan, visible=Plan.objects.all())
        plan_document(content)
        plan_workbook(content)
    assert len(before) == len(after) == FETCH_QUERIES


def test_a_negative_amount_prints_with_thousands_separated(db: None) -> None:
    value = IndicatorValue.objects.filter(indicator__plan__key="KSK-2022").earliest("pk")
    value.raw = "-152445"
    value.save()
    plan = Plan.objects.select_related("owner").get(key="KSK-2022")
    document = plan_document(fetch_plan_content(plan, visible=Plan.objects.all()))
    cells = {c for b in document["blocks"] if b["type"] == "table" for r in b["rows"] for c in r}
    # A non-breaking space keeps the number on one line; a figure's minus is U+2212.
    assert "\u2212152\u00a0445" in cells


def budget_captions() -> set[str]:
    return set(BudgetTable.objects.values_list("title", flat=True))


def budget_table_rows(document: dict[str, Any]) -> list[list[str]]:
    return [
        row
        for block in document["blocks"]
        if block["type"] == "table" and block["caption"] in budget_captions()
        for row in block["rows"]
    ]


def test_every_budget_row_and_risk_appears_once(
    seed_document: dict[str, Any], budget_rows: Counter[str], risk_texts: Counter[str]
) -> None:
    rows = Counter(letters(" ".join(row)) for row in budget_table_rows(seed_document))
    assert rows == budget_rows
    assert sum(rows.values()) == 57  # the seed's budget rows, in nine tables
    paragraphs = Counter(
        letters(f"{b['label']} {b['text']}")
        for b in seed_document["blocks"]
        if b["type"] == "paragraph"
    )
    assert {text: paragraphs[text] for text in risk_texts} == risk_texts
    assert sum(risk_texts.values()) == 16 + 5  # the seed's risks, five with measures


def test_ksk_net_prints_in_swedish_format(seed_document: dict[str, Any]) -> None:
    table = next(b for b in seed_document["blocks"] if b.get("caption") == "Driftbudget, tkr")
    net = next(row for row in table["rows"] if row[0] == "Netto")
    assert table["columns"][3] == "Budget 2022"
    assert net[3] == "\u2212152\u00a0445"
    percent = next(row for row in table["rows"] if row[0] == "Förändring i %")
    assert percent[1:] == ["", "12,0 %", "5,7 %", "1,3 %", "2,6 %"]


def test_a_printed_figure_that_disagrees_gives_way_to_the_computation(db: None) -> None:
    cell = BudgetCell.objects.get(row__key="ksk-2022-operating-net", column__year=2022)
    cell.raw = "-150 000"
    cell.save()
    plan = Plan.objects.select_related("owner").get(key="KSK-2022")
    blocks = plan_document(fetch_plan_content(plan, visible=Plan.objects.all()))["blocks"]
    start = next(i for i, b in enumerate(blocks) if b.get("caption") == "Driftbudget, tkr")
    net = next(row for row in blocks[start]["rows"] if row[0] == "Netto")
    assert net[3] == "\u2212152\u00a0445"
    notes = [b["text"] for b in blocks[start + 1 : start + 3] if b["type"] == "note"]
    assert notes == [
        "Belopp i planen som inte stämmer med beräkningen:",
        "Netto, Budget 2022: i planen -150\u00a0000, beräknat -152\u00a0445",
    ]


def test_economy_comes_after_the_goal_areas_and_before_organisation(
    seed_document: dict[str, Any],
) -> None:
    blocks = seed_document["blocks"]
    starts = [i for i, b in enumerate(blocks) if b["type"] == "heading" and b["level"] == 1]
    for office in ("Kommunstyrelsekontorets", "Samhällsbyggnadskontorets", "Trygghets-"):
        start = next(i for i in starts if blocks[i]["text"].startswith(office))
        end = next((i for i in starts if i > start), len(blocks))
        part = blocks[start:end]

        def first(found: Any, part: list[dict[str, Any]] = part) -> int:
            return next(i for i, b in enumerate(part) if found(b))

        last_goal_area = max(
            i
            for i, b in enumerate(part)
            if b["type"] == "heading" and b["text"].startswith("Målområde")
        )
        economy = first(lambda b: b.get("text") == "Ekonomi" and b["type"] == "heading")
        budget = first(lambda b: b.get("caption") in budget_captions())
        risks = first(lambda b: b.get("text") == "Riskanalys")
        organisation = first(lambda b: b.get("text") == "Organisation och ledningsstruktur")
        assert last_goal_area < economy < budget < risks < organisation


def test_internal_control_areas_print_in_the_common_part_with_their_points(db: None) -> None:
    area = InternalControlArea.objects.get(key="ks-2022-ic2")
    InternalControlPoint.objects.create(
        key="ic2-1",
        area=area,
        risk="Obehörig åtkomst",
        control="Behörigheter granskas",
        method="Stickprov",
        responsible_raw="Säkerhetschef",
        frequency="Årligen",
        reporting="Delårsrapport augusti",
    )
    plan = Plan.objects.select_related("owner").get(key="KS-2022")
    blocks = plan_document(fetch_plan_content(plan, visible=Plan.objects.all()))["blocks"]
    start = next(i for i, b in enumerate(blocks) if b.get("text") == "Internkontrollplan")
    offices = next(
        i
        for i, b in enumerate(blocks)
        if b.get("text") == "Kommunstyrelsekontorets verksamhetsplan"
    )
    section = blocks[start:offices]
    areas = [b["text"] for b in section if b["type"] == "paragraph"]
    assert areas == [area.title]  # the areas without points or description are only named
    assert section[1]["label"] == "Internkontrollområde från kommunfullmäktige (KF):"
    table = next(b for b in section if b["type"] == "table")
    assert table["columns"] == [
        "Risk",
        "Kontrollmoment",
        "Metod",
        "Ansvarig",
        "Frekvens",
        "Rapporteras",
    ]
    assert table["rows"] == [
        [
            "Obehörig åtkomst",
            "Behörigheter granskas",
            "Stickprov",
            "Säkerhetschef",
            "Årligen",
            "Delårsrapport augusti",
        ]
    ]


def test_a_risk_prints_its_measures_and_valuation(hostile_risk: Risk) -> None:
    hostile_risk.probability, hostile_risk.consequence = 3, 4
    hostile_risk.save()
    plan = Plan.objects.select_related("owner").get(key="KSK-2022")
    blocks = plan_document(fetch_plan_content(plan, visible=Plan.objects.all()))["blocks"]
    start = next(i for i, b in enumerate(blocks) if b.get("text") == HOSTILE)
    assert blocks[start]["label"] == hostile_risk.title
    assert blocks[start + 1]["label"] == "@Åtgärd:"
    assert blocks[start + 2] == {
        "type": "note",
        "text": "Sannolikhet 3, konsekvens 4, riskvärde 12",
    }


def indicator_table_blocks(document: dict[str, Any], caption_start: str) -> list[Block]:
    """The indicator table whose caption starts with `caption_start` and the notes under it."""
    blocks = document["blocks"]
    start = next(
        i
        for i, b in enumerate(blocks)
        if b["type"] == "table" and b["caption"].startswith(caption_start)
    )
    end = next(
        (i for i in range(start + 1, len(blocks)) if blocks[i]["type"] != "note"), len(blocks)
    )
    return blocks[start:end]


def test_indicator_columns_have_one_order_and_the_caption_is_not_repeated(
    seed_document: dict[str, Any],
) -> None:
    table, *_notes = indicator_table_blocks(seed_document, "Indikatorer till Inriktningsmål 5.1")
    assert table["columns"][:6] == [
        "Indikator",  # not the caption again
        "Utfall 2020",
        "Utfall 2021",  # before the targets, though the first row prints none
        "Målvärde 2022",
        "Målvärde 2023",
        "Målvärde 2024",
    ]


def test_an_indicator_table_keeps_the_seeds_empty_columns(seed_document: dict[str, Any]) -> None:
    table, *_notes = indicator_table_blocks(seed_document, "Lönestrategiska prioriteringar")
    assert table["columns"] == [
        "Indikator",
        "Utfall 2020 eller annat basvärde (år)",
        "Målvärde 2021",
        "Målvärde 2022",
        "Målvärde 2023",
        "Ansvarig",
        "Källa",
        "Mätintervall",
    ]
    assert table["rows"] == [
        ["Ta fram nytt lönepolitiskt program", "-", "", "", "-", "KSK/HR", "Framtaget program", ""]
    ]


def test_a_merged_note_prints_once(seed_document: dict[str, Any]) -> None:
    _table, *notes = indicator_table_blocks(
        seed_document, "Indikatorer till inriktningsmål kommunens vattenförekomster"
    )
    texts = [n["text"] for n in notes]
    merged = [t for t in texts if t.startswith("Kommunens vattenförekomster ska uppnå")]
    assert len(merged) == 1
    assert len(texts) == len(set(texts))


def test_a_text_pointing_at_a_missing_figure_is_followed_by_a_note_not_a_figure(
    seed_document: dict[str, Any],
) -> None:
    blocks = seed_document["blocks"]
    (index,) = [
        i for i, b in enumerate(blocks) if b["type"] == "paragraph" and "grafen nedan" in b["text"]
    ]
    # The seed's words as written, then a note: the graph is not in the data.
    assert blocks[index]["text"].endswith("vilket illustreras i grafen nedan.")
    assert blocks[index + 1] == {
        "type": "note",
        "text": "Figuren som texten pekar på («grafen nedan») finns inte i planens data.",
    }
    assert blocks[index + 2]["text"].startswith("Alla chefer följer aktivt upp")


def test_ksk_introduces_its_goal_areas_with_the_seeds_heading(
    seed_document: dict[str, Any],
) -> None:
    headings = [(b["level"], b["text"]) for b in seed_document["blocks"] if b["type"] == "heading"]
    index = headings.index(
        (2, "Kommunstyrelsekontorets uppdrag, initiativ och indikatorer per målområde 2022")
    )
    assert headings[index - 1] == (2, "Kommunstyrelsekontorets förutsättningar 2022")
    assert headings[index + 1][1].startswith("Målområde 1:")
