"""The seed's risk analyses and internal-control areas, control points, and bad risk data."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from verksam.imports.services import load_plan
from verksam.imports.sources import DataError
from verksam.risks.models import InternalControlArea, InternalControlPoint, Risk, RiskAnalysis

# These tests set up their cases by editing the decided seed directly.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_editable")]

SEED = settings.DEMO_PLAN_DIR

# Counted by hand in shared/seed: KSK 4 bullets, SBK 5 Risk/Åtgärd pairs, TSK 7 paragraphs.
SEED_RISKS = {"KSK-2022": 4, "SBK-2022": 5, "TSK-2022": 7}


def snapshot() -> dict[str, list]:
    return {
        "analyses": list(RiskAnalysis.objects.values().order_by("key")),
        "risks": list(Risk.objects.values().order_by("key")),
        "areas": list(InternalControlArea.objects.values().order_by("key")),
        "points": list(InternalControlPoint.objects.values().order_by("key")),
    }


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(SEED, folder)
    return folder


def edit_risks(folder: Path, change) -> None:
    path = folder / "risks.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(("plan", "count"), SEED_RISKS.items())
def test_the_seed_has_every_risk_of_each_office(plan, count):
    assert Risk.objects.filter(analysis__plan__key=plan).count() == count


def test_risks_keep_the_printed_text_with_measures_where_given():
    bullet = Risk.objects.get(key="ksk-2022-risk3")
    assert bullet.title == "Externa chocker."
    assert bullet.description.startswith("I detta sammanhang är det framför allt")
    assert bullet.measures == ""
    pair = Risk.objects.get(key="sbk-2022-risk1")
    assert pair.measures_label == "Åtgärder:"
    assert pair.measures.startswith("Fokusera på detta via förvaltnings- och utvecklingsarbetet")
    assert Risk.objects.filter(analysis__plan__key="SBK-2022").exclude(measures="").count() == 5


def test_risk_text_joins_hard_wrapped_lines_and_keeps_the_seeds_spelling():
    risk = Risk.objects.get(key="tsk-2022-risk2")
    assert "Att rekrytera, utbilda och behåll medarbetare" in risk.description
    assert "\n" not in risk.description
    assert "anställningsgrad" in Risk.objects.get(key="tsk-2022-risk3").description
    # The KSK bullet that continues over a page break is one risk.
    assert Risk.objects.get(key="ksk-2022-risk1").description.endswith("för att vända trenden.")


def test_the_seed_values_no_risk():
    assert not Risk.objects.exclude(probability=None).exists()
    assert {r.value for r in Risk.objects.all()} == {None}


def test_a_risk_value_is_probability_times_consequence():
    assert Risk(probability=3, consequence=4).value == 12
    assert Risk(probability=3).value is None


def test_the_ksk_intro_names_the_councils_internal_control_areas():
    analysis = RiskAnalysis.objects.get(plan__key="KSK-2022")
    assert analysis.intro.startswith("En risk är en osäkerhetsfaktor")
    assert "Informationssäkerhet" in analysis.intro


def test_the_councils_three_internal_control_areas_belong_to_the_boards_plan():
    areas = InternalControlArea.objects.filter(plan__key="KS-2022")
    assert list(areas.values_list("title", "origin")) == [
        ("Effektiva arbetsmetoder och hög kvalitet", "council"),
        ("Informationssäkerhet", "council"),
        ("Ekonomi och hushållning av kommunens resurser", "council"),
    ]
    assert not InternalControlPoint.objects.exists()


def test_control_points_load_with_their_responsible_units_and_reload_unchanged(seed_copy):
    point = {
        "id": "ks-2022-ic2-k1",
        "risk": "Obehöriga får åtkomst till personuppgifter",
        "control": "Behörigheter i ärendehanteringssystemet",
        "method": "Stickprov",
        "responsible": "KSK IT",
        "responsible_units": ["KSK-IT"],
        "frequency": "Två gånger per år",
        "reporting": "Delårsrapport per augusti",
    }
    edit_risks(seed_copy, lambda d: d["internal_control_areas"][1].update(points=[point]))
    assert load_plan([seed_copy]).created["control_points"] == 1
    stored = InternalControlPoint.objects.get(key="ks-2022-ic2-k1")
    assert stored.area.title == "Informationssäkerhet"
    assert [u.code for u in stored.responsible_units.all()] == ["KSK-IT"]
    assert load_plan([seed_copy]).unchanged["control_points"] == 1


def test_loading_the_seed_again_leaves_the_risks_unchanged():
    before = snapshot()
    result = load_plan([SEED])
    assert result.unchanged["risks"] == 16
    assert result.unchanged["internal_control_areas"] == 3
    assert snapshot() == before


BAD_RISKS = {
    "probability_off_the_scale": (
        lambda d: d["risk_analyses"][1]["risks"][0].update(probability=5),
        ["sbk-2022-risk-analysis", "«risks.0.probability»", "less than or equal to 4"],
    ),
    "risk_without_description": (
        lambda d: d["risk_analyses"][0]["risks"][2].pop("description"),
        ["«risks.2.description»", "Field required"],
    ),
    "duplicate_risk_id": (
        lambda d: d["risk_analyses"][2]["risks"].append(dict(d["risk_analyses"][2]["risks"][0])),
        ["dubblett", "tsk-2022-risk1"],
    ),
    "second_analysis_for_a_plan": (
        lambda d: d["risk_analyses"].append(
            {"id": "sbk-2022-extra", "plan": "SBK-2022", "heading": "Risker"}
        ),
        ["sbk-2022-extra", "«plan»", "sbk-2022-risk-analysis"],
    ),
    "unknown_origin": (
        lambda d: d["internal_control_areas"][0].update(origin="region"),
        ["ks-2022-ic1", "«origin»", "council"],
    ),
    "unknown_responsible_unit": (
        lambda d: d["internal_control_areas"][0].update(
            points=[{"id": "k1", "risk": "r", "control": "c", "responsible_units": ["NOPE"]}]
        ),
        ["«points.0.responsible_units.0»", "okänd referens", "NOPE"],
    ),
}


@pytest.mark.parametrize("case", BAD_RISKS)
def test_bad_risk_data_stops_the_load_with_a_located_message_and_changes_nothing(seed_copy, case):
    change, expected = BAD_RISKS[case]

    def change_and_touch(data):
        data["risk_analyses"][0]["risks"][0]["title"] = "Får inte sparas"
        change(data)

    edit_risks(seed_copy, change_and_touch)
    before = snapshot()
    with pytest.raises(DataError) as error:
        load_plan([seed_copy])
    message = str(error.value)
    assert "risks.yaml:" in message
    for part in expected:
        assert part in message
    assert snapshot() == before
