"""Every text and value in data/norrtalje-2022 occurs in the seed, so nothing invented or
altered enters unnoticed (docs/data-format.md, "Checked against the seed").

The seed is `data/norrtalje-2022/source.txt`, the plain text of the PDF. It is compared
after one normalisation: lines are joined; a hyphen that ends a line between two lowercase
letters is a hyphenation and is dropped ("förvalt-" + "ningar"), any other hyphen or dash
that ends a line joins without a space ("2023-" + "2025", "90–" + "120"); runs of white
space count as one space; and a footnote number printed against a word ("förmåga7.",
"skolan3.", "10).28") may be left out. A text field is checked line by line (paragraphs and
bullets of long texts are separate lines), with `[Fotnot N] ` read as the seed's "N ".

Where a file deliberately differs from the seed, EXCEPTIONS names the item, the field and
the text with the reason; an exception that is no longer needed fails the test too.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from verksam.imports.sources import _parse

DATA = Path(settings.DEMO_PLAN_DIR)
SEED = DATA / "source.txt"

# The text fields of each kind: ids, references, kinds and other enumerations, and the
# indicators' `unit` (a classification: `placering`, `antal`) are not seed text.
TEXT_FIELDS = {
    "org_units": ["name", "short_name"],
    "plans": ["title", "decision_reference"],
    "sections": ["heading", "body"],
    "governing_documents": ["category", "title", "notes"],
    "goal_areas": ["number", "title", "ambition"],
    "objectives": ["number", "title"],
    "strategies": ["title", "focus_areas.number", "focus_areas.title"],
    "assignments": ["kind_label", "title", "description", "origin", "notes"],
    "actions": ["text", "completion_criterion", "responsible.raw", "start", "end", "notes"],
    "indicators": [
        "table",
        "name",
        "responsible.raw",
        "source",
        "interval",
        "notes",
        "values.label",
        "values.raw",
        "values.women",
        "values.men",
    ],
    "carried_over": ["title", "origin"],
    "budget_tables": [
        "heading",
        "title",
        "intro",
        "commentary",
        "notes",
        "columns.label",
        "rows.label",
        "rows.notes",
        "rows.values",
    ],
    "risk_analyses": [
        "heading",
        "intro",
        "risks.title",
        "risks.description",
        "risks.measures_label",
        "risks.measures",
    ],
    "internal_control_areas": [
        "title",
        "description",
        "points.risk",
        "points.control",
        "points.method",
        "points.responsible",
        "points.frequency",
        "points.reporting",
    ],
}

# (item id, field, text): why the file differs from the seed there.
EXCEPTIONS = {
    ("ks-2022-concepts", "body"): (
        "The seed prints the concepts as a two-column table (term | explanation); the body "
        "writes each row as 'term – explanation'.",
        [
            "Inriktningsmål – Kommunfullmäktiges mål",
            "Uppdrag – Kommunfullmäktiges uppdrag",
            "KS-initiativ (Kommunstyrelsens initiativ) – Kommunstyrelsen kan",
            "Budget – Kommunstyrelsens budget",
            "Åtgärd – Visar vilka åtgärder",
        ],
    ),
    ("ks-2022-i3", "interval"): (
        "The narrow table cell breaks the word without a hyphen ('Årligen/må' / 'nadsvis').",
        ["Årligen/månadsvis"],
    ),
    ("KS-2022", "title"): (
        "The seed's text has no cover page; the title is the document's name "
        "(shared/BRIEF.md), as its first heading's text uses it ('Kommunstyrelsens "
        "verksamhetsplan och budget beskriver …').",
        ["Kommunstyrelsens verksamhetsplan och budget 2022"],
    ),
    ("hp", "title"): (
        "The programme is named only mid-sentence ('kommunens handlingsprogram för "
        "förebyggande verksamhet och räddningstjänst', governing document tsk-2022-gd4); "
        "the title starts with a capital.",
        ["Handlingsprogram för förebyggande verksamhet och räddningstjänst"],
    ),
}


def normalise_seed(text: str) -> str:
    text = re.sub(r"(?<=[a-zåäöé])-\n\s*(?=[a-zåäöé])", "", text)
    text = re.sub(r"(?<=\S)([-–])\n\s*(?=\S)", r"\1", text)
    return " ".join(text.split())


FOOTNOTE = re.compile(r"(?:(?<=[^\W\d_])|(?<=[)?”])|(?<=\)\.))\d{1,2}(?=[\s.,;:)]|$)")


@pytest.fixture(scope="module")
def seed() -> tuple[str, str]:
    """The seed normalised, as printed and without the footnote numbers."""
    text = normalise_seed(SEED.read_text(encoding="utf-8"))
    return text, FOOTNOTE.sub("", text)


def texts(data: dict, kind: str) -> Iterator[tuple[str, str, str]]:
    """(item id, field, line) for every line of every text field of a kind."""
    for item in data.get(kind) or []:
        for path in TEXT_FIELDS[kind]:
            for value in _values(item, path.split(".")):
                for line in str(value).split("\n"):
                    line = re.sub(r"^\[Fotnot (\d+)\] ", r"\1 ", line.strip())
                    if line:
                        yield item["id"], path, " ".join(line.split())


def _values(node: object, path: list[str]) -> Iterator[object]:
    if isinstance(node, list):
        for one in node:
            yield from _values(one, path)
    elif isinstance(node, dict):
        if not path:
            yield from node.values()  # a budget row's figures by year
        elif path[0] in node:
            yield from _values(node[path[0]], path[1:])
    elif not path and node is not None:
        yield node


def found(text: str, seed: tuple[str, str], case_insensitive: bool = False) -> bool:
    if case_insensitive:
        return any(text.casefold() in s.casefold() for s in seed)
    return any(text in s for s in seed)


FILES = sorted(DATA.glob("*.yaml"))


def missing_texts(data: dict, seed: tuple[str, str]) -> list[str]:
    """The lines of a data file's texts that do not occur in the seed, except EXCEPTIONS."""
    missing = []
    for kind in TEXT_FIELDS:
        for item_id, field, text in texts(data, kind):
            _reason, fragments = EXCEPTIONS.get((item_id, field), ("", []))
            if any(text.startswith(fragment) for fragment in fragments):
                continue
            # The organisation register names units as a heading would; the seed may print
            # them mid-sentence ("mark- och exploateringsavdelningen").
            if not found(text, seed, case_insensitive=kind == "org_units"):
                missing.append(f"{kind} «{item_id}» {field}: {text}")
    return missing


def load(path: Path) -> dict:
    data, _lines = _parse(path.read_text(encoding="utf-8"), path.suffix)
    return data


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_text_and_value_of_the_file_occurs_in_the_seed(path, seed):
    missing = missing_texts(load(path), seed)
    assert not missing, "\n".join(missing)


def test_an_invented_or_altered_text_in_a_file_is_caught(seed):
    data = load(DATA / "tsk.yaml")
    action = next(a for a in data["actions"] if a["id"] == "tsk-2022-5.1-a7")
    action["text"] = "Anställa en femte fältsamordnare."
    value = next(i for i in data["indicators"] if i["id"] == "tsk-2022-4.2-i1")["values"][0]
    value["raw"] = "F 54 %, P 61 %"
    section = next(s for s in data["sections"] if s["id"] == "tsk-2022-core-mission-ma5-tink")
    section["body"] = section["body"].replace("[Fotnot 6]", "[Fotnot 7]")
    assert missing_texts(data, seed) == [
        "sections «tsk-2022-core-mission-ma5-tink» body: 7 Exempel på samverkansplattformar som "
        + section["body"].split("[Fotnot 7] Exempel på samverkansplattformar som ")[1],
        "actions «tsk-2022-5.1-a7» text: Anställa en femte fältsamordnare.",
        "indicators «tsk-2022-4.2-i1» values.raw: F 54 %, P 61 %",
    ]


def test_every_exception_is_still_needed(seed):
    data: dict[str, list] = {}
    for path in FILES:
        for kind, items in load(path).items():
            data.setdefault(kind, []).extend(items or [])
    for (item_id, field), (_reason, fragments) in EXCEPTIONS.items():
        lines = [
            t for kind in TEXT_FIELDS for i, f, t in texts(data, kind) if (i, f) == (item_id, field)
        ]
        for fragment in fragments:
            matching = [line for line in lines if line.startswith(fragment)]
            assert matching, f"{item_id} {field}: no text starts with «{fragment}»"
            assert not any(found(line, seed) for line in matching), (
                f"{item_id} {field}: «{fragment}» now occurs in the seed; drop the exception"
            )


def test_the_normalisation_joins_hyphenated_lines_and_may_drop_footnote_numbers(seed):
    assert found("F 54 % P 61 %", seed)
    assert found("kommunens kriskommunikationsinsatser under samhällsstörningar", seed)
    assert found("Mål och budget 2023-25 respektive Verksamhetsplan 2023-25", seed)
    assert found("Öka kommunens samlade krishanteringsförmåga.", seed)
    assert found("ska förvaltas och utvecklas på ett miljö- och klimatmässigt hållbart sätt", seed)
