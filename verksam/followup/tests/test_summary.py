"""The summary drafted from a round's figures: every count of a list, the economy's net in a
sentence when the round has figures (in the documents' language)."""

from typing import Any

import pytest
from django.utils import translation

from verksam.followup.summary import draft_summary


def line(budget: str, outcome: str | None, forecast: str | None, **more: Any) -> dict[str, Any]:
    return {
        "budget": budget,
        "outcome": outcome,
        "forecast": forecast,
        "deviation": more.get("deviation"),
        "deviation_percent": more.get("percent"),
        "verdict": more.get("verdict"),
    }


def item(status: str | None, *, late: bool = False, office: str = "KSK") -> dict[str, Any]:
    report = {"status": status} if status else None
    return {"kind": "action", "office": office, "report": report, "late": late}


ECONOMY = {
    "as_of": "2022-04-30",
    "has_figures": True,
    "board": line("-189244.4", "-94992", "-180000", deviation="9244.4", percent="4.88",
                  verdict="better"),
    "offices": [
        {"office": "SBK", "total": line("-50000", "-20000", None)},
    ],
}  # fmt: skip


def draft(data: dict[str, Any], **options: Any) -> list[str]:
    with translation.override("sv"):
        return draft_summary(data, **options).split("\n\n")


def test_every_item_is_counted_once_and_each_count_names_its_list() -> None:
    items = [
        item("done"),
        item("on_track"),
        item("not_started"),
        item("delayed", late=True),
        item("cancelled"),
        item(None, late=True),
    ]
    (text,) = draft({"items": items})
    assert text == (
        "Av 6 uppdrag och åtgärder i omgången är 1 klar, 2 pågår enligt plan, 1 har avvikelse "
        "eller är flyttad, 1 är avbruten och 1 är inte rapporterad (se Status för uppdrag och "
        "åtgärder). 2 har passerat sitt planerade slutdatum (se Försenat)."
    )


def test_the_economy_sentence_gives_the_boards_net_with_its_deviation() -> None:
    paragraphs = draft({"items": [item("done")], "economy": ECONOMY})
    assert paragraphs[-1] == (
        "Ekonomi, netto i tkr: budget \u2212189\xa0244, utfall till 2022-04-30 \u221294\xa0992, "
        "prognos för helåret \u2212180\xa0000, en avvikelse på 9\xa0244 (4,9 %): bättre än "
        "budget (se Ekonomi)."
    )


def test_an_offices_draft_gives_its_own_net_and_says_when_the_forecast_is_incomplete() -> None:
    paragraphs = draft({"items": [item("done", office="SBK")]}, owner="SBK", economy=ECONOMY)
    assert paragraphs[-1] == (
        "Ekonomi, netto i tkr: budget \u221250\xa0000, utfall till 2022-04-30 \u221220\xa0000; "
        "prognosen för helåret är inte komplett (se Ekonomi)."
    )


@pytest.mark.parametrize("economy", [None, {**ECONOMY, "has_figures": False}])
def test_a_round_without_economic_figures_has_no_economy_sentence(economy) -> None:
    paragraphs = draft({"items": [item("done")]}, economy=economy)
    assert not any(p.startswith("Ekonomi") for p in paragraphs)
