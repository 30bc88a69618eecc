"""Status and attainment badges: a symbol and a word, each status in its own colour, so that
"not started" and "done" (both on course in the roll-up) never look alike."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.utils import translation

from verksam.followup.models import Attainment, StatusChoice

CSS = Path(str(finders.find("verksam/verksam.css"))).read_text(encoding="utf-8")


def rule(selector: str) -> dict[str, str]:
    """The declarations of one CSS rule, by its exact selector."""
    match = re.search(r"(?m)^" + re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert match, f"no rule {selector}"
    return dict(
        (name.strip(), value.strip())
        for name, value in (d.split(":", 1) for d in match.group(1).split(";") if ":" in d)
    )


def render(tag: str, value: str) -> str:
    with translation.override("sv"):
        return Template("{% load followup %}{% " + tag + ' "' + value + '" %}').render(Context())


def test_every_status_has_its_own_class_word_colour_and_symbol():
    seen_colours, seen_symbols = set(), set()
    for value in [*StatusChoice.values, ""]:
        html = render("status", value)
        css_class = value or "not_reported"
        assert f'class="status status--{css_class}"' in html
        colours = rule(f".status--{css_class}")
        symbol = rule(f".status--{css_class}::before")["content"]
        seen_colours.add((colours["color"], colours["background"]))
        seen_symbols.add(symbol)
    assert len(seen_colours) == len(seen_symbols) == len(StatusChoice.values) + 1


def test_not_started_and_done_differ_in_word_colour_and_symbol():
    assert ">Ej påbörjad<" in render("status", "not_started")
    assert ">Klar<" in render("status", "done")
    not_started, done = rule(".status--not_started"), rule(".status--done")
    assert not_started["color"] != done["color"]
    assert not_started["background"] != done["background"]
    assert rule(".status--not_started::before") != rule(".status--done::before")


def test_every_attainment_has_a_word_and_symbol():
    symbols = set()
    for value in Attainment.values:
        html = render("attainment", value)
        assert f'class="attainment attainment--{value}"' in html
        symbols.add(rule(f".attainment--{value}::before")["content"])
    assert len(symbols) == len(Attainment.values)


def test_the_pages_badges_draw_the_symbols_the_documents_print():
    for attainment in Attainment:
        content = rule(f".attainment--{attainment.value}::before")["content"]
        assert content.startswith(f'"{attainment.symbol}"'), attainment
