"""The anomalies load-plan reports: what a careful controller would flag, and nothing else."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from verksam.imports.anomalies import find_anomalies
from verksam.imports.services import load_plan
from verksam.imports.sources import read_dataset
from verksam.plans.models import Action

# These tests set up their cases by editing the decided seed directly.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_editable")]

SEED = settings.DEMO_PLAN_DIR

# Every anomaly of the seed: (item, field, words of its message). Counted against
# shared/seed; docs/data-format.md ("Anomalies") gives the rules.
SEED_ANOMALIES = {
    # Dates: a start before the plan year, a date after the horizon, cells that are no date.
    ("ksk-2022-1.1-u1-a1", "start", "«Påbörjat 2021» ligger före planåret 2022"),
    ("sbk-2022-1.2-u3-a1", "start", "«22 okt 2021» ligger före planåret 2022"),
    ("sbk-2022-1.2-u4-a1", "start", "«November 2021» ligger före planåret 2022"),
    ("sbk-2022-4.3-u1-a1", "start", "«2021-11-10» ligger före planåret 2022"),
    ("tsk-2022-5.1-a4", "start", "«2021-06» ligger före planåret 2022"),
    ("ksk-2022-1.2-u2-a1", "end", "«2202-12-31» ligger efter planens horisont 2022–2024"),
    ("ksk-2022-2.1-u2-a1", "end", "datumet 2022-03-30 är läst ur en längre text"),
    ("ksk-2022-6.3-u1-a1", "end", "datumet 2022-03-31 är läst ur en längre text"),
    ("ksk-2022-2.1-u3-a1", "end", "kan inte läsas som ett datum"),
    ("ksk-2022-4.3-u2-a1", "end", "kan inte läsas som ett datum"),
    ("sbk-2022-2.3-u1-a1", "end", "«Våren 2022» kan inte läsas som ett datum"),
    ("sbk-2022-2.3-u1-a2", "start", "kan inte läsas som ett datum"),
    ("sbk-2022-5.2-u1-a1", "start", "kan inte läsas som ett datum"),
    ("sbk-2022-5.2-u1-a1", "end", "kan inte läsas som ett datum"),
    ("sbk-2022-5.2-u2-a1", "start", "kan inte läsas som ett datum"),
    ("sbk-2022-5.2-u2-a1", "end", "kan inte läsas som ett datum"),
    # Indicators: no values, no target for the plan year, a dash where a figure is due, a
    # split cell whose parts say the same.
    ("ksk-2022-1.1-i3", "values", "inga värden"),
    ("ksk-2022-3.3-i1", "values", "inga värden"),
    ("ksk-2022-3.3-i2", "values", "inga värden"),
    ("ksk-2022-6.3-i1", "values", "inga värden"),
    ("ksk-2022-2.3-i1", "values", "inget målvärde för planåret 2022"),
    ("ksk-2022-2.3-i2", "values", "inget målvärde för planåret 2022"),
    ("ksk-2022-2.3-i3", "values", "inget målvärde för planåret 2022"),
    ("tsk-2022-5.1-i1", "values", "inget målvärde för planåret 2022"),
    ("tsk-2022-5.1-i2", "values", "inget målvärde för planåret 2022"),
    ("tsk-2022-5.1-i3", "values", "inget målvärde för planåret 2022"),
    ("tsk-2022-5.1-i4", "values", "inget målvärde för planåret 2022"),
    ("ksk-2022-1.1-i5", "values.0", "Utfall 2020: streck, inget värde"),
    ("tsk-2022-5.3-i7", "values.0", "Utfall 2020: streck, inget värde"),
    ("tsk-2022-5.2-i4", "values.1", "Målvärde 2022: F och P säger samma sak, «Minskat»"),
    ("tsk-2022-5.2-i4", "values.2", "Målvärde 2023: F och P säger samma sak, «Minskat»"),
    ("tsk-2022-5.2-i4", "values.3", "Målvärde 2024: F och P säger samma sak, «Minskat»"),
    # Bilaga 1.
    ("ks-2022-b1-04", "origin", "ursprunget «MoB 2020» är tolkat"),
    ("ks-2022-b1-21", "goal_area", "raden står under målområde «2022-ma7», uppdraget"),
    ("sbk-2022-3.2-u1", "origin", "står som «kvarstående» men ingen rad i Bilaga 1"),
    ("sbk-2022-4.3-u3", "origin", "står som «kvarstående» men ingen rad i Bilaga 1"),
    # Budget: sums the tables cannot give, amounts in the wrong unit.
    ("tsk-2022-operating-net", "Plan 2023", "kan inte räknas fram ur tabellen"),
    ("tsk-2022-operating-net", "Plan 2024", "kan inte räknas fram ur tabellen"),
    ("tsk-2022-departments-total", "2022", "kan inte räknas fram ur tabellen"),
    ("tsk-2022-departments-total", "2023", "kan inte räknas fram ur tabellen"),
    ("tsk-2022-departments-total", "2024", "kan inte räknas fram ur tabellen"),
    ("tsk-2022-operating", "intro", "«281,6 tkr»: tabellerna ger 281 600 tkr"),
    ("tsk-2022-operating", "intro", "«92,3 tkr»: tabellerna ger 92 356 tkr"),
    # Placeholders.
    ("tsk-2022-gd8", "title", "platshållare «MSBFS 2021:XXX»"),
    ("tsk-2022-gd9", "title", "platshållare «MSBFS 2021:XXX»"),
    *(
        (f"tsk-2022-gd{n}", "title", f"platshållare «{placeholder}»")
        for n, placeholder in [
            (43, "KSxxx"),
            (44, "KSxxx"),
            (46, "KS xxx"),
            (48, "KS xxxx"),
            (49, "KSxxx"),
            (50, "KS xxx"),
            (52, "KSxxx"),
            (53, "KSxxx"),
            (54, "KS xxx"),
            (56, "KSxxx"),
            (59, "KSxxx"),
        ]
    ),
    # A text that points at a figure the seed lacks (its picture is not in the text).
    ("sbk-2022-employer", "body", "pekar på en figur («grafen nedan») som inte finns i data"),
    # The same text twice.
    ("sbk-2022-2.3-u1", "title", "samma text som «ksk-2022-2.3-u1» i KSK-2022"),
    ("tsk-2022-4.2-u1", "title", "samma text som «ksk-2022-4.2-u1» i KSK-2022"),
    ("sbk-2022-5.2-u2-a1", "text", "samma text som «sbk-2022-5.2-u1-a1» i SBK-2022"),
    ("tsk-2022-gd9", "title", "samma text som «tsk-2022-gd8» i TSK-2022"),
}


def anomalies_of(*paths: Path) -> list:
    return find_anomalies(read_dataset(list(paths)))


def matched(anomalies: list) -> set[tuple[str, str, str]]:
    """The anomalies as SEED_ANOMALIES entries; one that matches none is kept whole."""
    found = set()
    for p in anomalies:
        entry = next(
            (e for e in SEED_ANOMALIES if (e[0], e[1]) == (p.item, p.field) and e[2] in p.message),
            None,
        )
        found.add(entry or (p.item, p.field, p.message))
    return found


def test_the_seed_has_exactly_the_anomalies_a_controller_would_flag():
    anomalies = anomalies_of(SEED)
    assert matched(anomalies) == SEED_ANOMALIES
    assert len(anomalies) == len(SEED_ANOMALIES)


def test_each_anomaly_is_located_and_speaks_the_active_language():
    swedish = anomalies_of(SEED)
    with translation.override("en"):
        english = anomalies_of(SEED)
    for in_swedish, in_english in zip(swedish, english, strict=True):
        assert in_swedish.file.endswith(".yaml")
        assert in_swedish.line
        assert (in_swedish.file, in_swedish.line) == (in_english.file, in_english.line)
        assert in_swedish.message != in_english.message
    assert "«2202-12-31» is after the plan's horizon 2022–2024" in {a.message for a in english}


@pytest.mark.parametrize(
    "plain",
    [
        "Pågår",  # ongoing
        "31 mars",  # a day without its year in a plan for one year
        "22-01-01",  # a two-digit year
        "20 juni 2022 (KF)",  # a note on who decides
        "KF februari 2023",
    ],
)
def test_dates_a_reader_reads_plainly_are_no_anomaly(tmp_path, plain):
    path = tmp_path / "action.yaml"
    path.write_text(
        "actions:\n  - {id: x-a1, plan: SBK-2022, goal_area: 2022-ma1, text: Något, "
        "responsible: {raw: MEX, units: [{unit: SBK-MEX}]}, "
        f"start: '2022-01', end: '{plain}'}}\n",
        encoding="utf-8",
    )
    assert anomalies_of(path) == []


def test_an_end_before_the_start_is_flagged(tmp_path):
    path = tmp_path / "action.yaml"
    path.write_text(
        "actions:\n  - {id: x-a1, plan: SBK-2022, goal_area: 2022-ma1, text: Något, "
        "responsible: {raw: MEX, units: [{unit: SBK-MEX}]}, start: '2022-06', end: 31 mars}\n",
        encoding="utf-8",
    )
    [anomaly] = anomalies_of(path)
    assert (anomaly.item, anomaly.field) == ("x-a1", "end")
    assert "slutar «31 mars» före start «2022-06»" in anomaly.message


INDICATOR = """indicators:
  - id: x-i1
    plan: TSK-2022
    name: {name}
    origin: board
    direction: lower
    interval: {interval}
    values:
      - {{label: Målvärde 2022, kind: target, year: 2022, raw: "{v2022}"}}
      - {{label: Målvärde 2023, kind: target, year: 2023, raw: "{v2023}"}}
"""


@pytest.mark.parametrize(
    ("name", "interval", "v2022", "v2023", "flagged"),
    [
        # Measured every other year (2021/2023): a dash in 2022 is meant, one in 2023 is not.
        ("Oro", "Vartannat år i november 2021/2023", "–", "17%", []),
        ("Oro", "Vartannat år i november 2021/2023", "17%", "–", ["Målvärde 2023"]),
        ("Oro", "Helår", "–", "17%", ["Målvärde 2022"]),
        # A new indicator has no figures before its first year.
        ("Utsläpp. Ny indikator från 2023", "Helår", "–", "5", []),
        # A qualitative target is the plan's word, not a missing figure.
        ("Oro", "Helår", "Minskat", "Ökad", []),
    ],
)
def test_dashes_are_flagged_only_where_a_figure_is_due(
    tmp_path, name, interval, v2022, v2023, flagged
):
    path = tmp_path / "indicator.yaml"
    text = INDICATOR.format(name=name, interval=interval, v2022=v2022, v2023=v2023)
    path.write_text(text, encoding="utf-8")
    messages = [a.message for a in anomalies_of(path)]
    assert [m.split(":")[0] for m in messages] == flagged
    assert all("streck, inget värde" in m for m in messages)


def test_a_split_cell_of_dashes_is_no_anomaly_but_one_saying_the_same_twice_is(tmp_path):
    path = tmp_path / "indicator.yaml"
    path.write_text(
        INDICATOR.format(name="Trygga", interval="Helår", v2022="", v2023="")
        .replace(
            'raw: ""}',
            'raw: "–\\n–", split_labels: F/P, women: "–", men: "–"}',
            1,
        )
        .replace('raw: ""}', 'raw: "Ökat\\nÖkat", split_labels: K/M, women: Ökat, men: Ökat}'),
        encoding="utf-8",
    )
    [anomaly] = anomalies_of(path)
    assert anomaly.field == "values.1"
    assert "Målvärde 2023: K och M säger samma sak, «Ökat»" in anomaly.message


def test_a_placeholder_anywhere_in_a_text_is_flagged_at_its_field(tmp_path):
    path = tmp_path / "docs.yaml"
    path.write_text(
        "governing_documents:\n"
        "  - {id: x-gd1, plan: TSK-2022, title: Policy, notes: ['Beslut KS 2022:xxx']}\n"
        "  - {id: x-gd2, plan: TSK-2022, title: Lagen (2022:123) om xxxxx}\n"
        "  - {id: x-gd3, plan: TSK-2022, title: 'Riktlinje, dnr KS 2021/123'}\n",
        encoding="utf-8",
    )
    assert [(a.item, a.field, a.message) for a in anomalies_of(path)] == [
        ("x-gd1", "notes.0", "platshållare «KS 2022:xxx»"),
        ("x-gd2", "title", "platshållare «xxxxx»"),
    ]


def test_an_amount_in_prose_is_flagged_only_when_its_unit_contradicts_the_tables(seed_copy):
    budget = seed_copy / "budget.yaml"
    text = budget.read_text(encoding="utf-8")
    text = text.replace(
        "nettoram till 281,6 tkr, varav 92,3 tkr", "nettoram till 281,6 mnkr, varav 92 356 tkr"
    )
    text = text.replace("I investeringsplanen har 614 mnkr", "I investeringsplanen har 614 tkr")
    budget.write_text(text, encoding="utf-8")
    messages = [a.message for a in anomalies_of(budget) if a.field in ("intro", "commentary")]
    assert messages == ["«614 tkr»: tabellerna ger 613 825 tkr, så beloppet är troligen i mnkr"]


def test_an_assignment_marked_carried_over_that_bilaga_1_names_is_no_anomaly(seed_copy):
    ks = seed_copy / "ks.yaml"
    text = ks.read_text(encoding="utf-8")
    text = text.replace(
        "    title: Identifiera konkreta åtgärder",
        "    assignment: sbk-2022-3.2-u1\n    title: Identifiera konkreta åtgärder",
    )
    ks.write_text(text, encoding="utf-8")
    flagged = {a.item for a in anomalies_of(seed_copy) if "Bilaga 1" in a.message}
    assert flagged == {"sbk-2022-4.3-u3"}


def test_the_load_reports_the_anomalies_and_loads_anyway(seed_copy):
    sbk = seed_copy / "sbk.yaml"
    sbk.write_text(
        sbk.read_text(encoding="utf-8").replace(
            "    end: 2022-03-01 (inget politiskt beslut)", "    end: 2021-12-01"
        ),
        encoding="utf-8",
    )
    result = load_plan([sbk])
    assert Action.objects.get(key="sbk-2022-6.1-u1-a2").end_raw == "2021-12-01"
    assert any(
        a.item == "sbk-2022-6.1-u1-a2" and "«2021-12-01» ligger före planåret 2022" in a.message
        for a in result.anomalies
    )


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(SEED, folder)
    return folder


def test_a_text_pointing_at_a_figure_below_is_reported_whatever_its_words(tmp_path):
    data = tmp_path / "plan"
    shutil.copytree(SEED, data)
    sbk = data / "sbk.yaml"
    sbk.write_text(
        sbk.read_text(encoding="utf-8").replace("grafen nedan", "diagrammet nedan"),
        encoding="utf-8",
    )
    found = [p for p in anomalies_of(data) if p.item == "sbk-2022-employer"]
    assert [(p.field, p.line is not None) for p in found] == [("body", True)]
    assert "«diagrammet nedan»" in found[0].message
