"""Making a plan in a real Chromium: a controller makes the 2023 plan from 2022, adds an
assignment with an action and an indicator target by keyboard, sends the plan to review, a
reader comments and the controller resolves, the controller decides it and amends it with
two changes under one decision; and axe-core
(WCAG 2.1 A/AA) on every authoring page, in Swedish and English.

The flow is a list of steps (`STEPS`), each a function of the `Flow`, so that a step can be
put between two others (the review's comments go between `send_to_review` and `decide`)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from verksam import testing
from verksam.indicators.models import IndicatorValue
from verksam.organisation.models import OrgUnit
from verksam.planning import services
from verksam.planning.models import ReviewComment
from verksam.plans.models import Action, Amendment, Assignment, Plan
from verksam.testing import (
    assert_no_axe_violations,
    axe_violations,
    board_controller,
    log_in,
    make_user,
)

pytestmark = pytest.mark.browser

TAB_LIMIT = 600
INDICATOR = "ksk-2023-1.1-i1"  # Budgetföljsamhet, with an empty target for 2023


def tab_to(page: Any, selector: str) -> None:
    """Press Tab until `selector` has focus, every element on the way showing its focus."""
    testing.tab_to(page, selector, limit=TAB_LIMIT)


def choose_by_keyboard(page: Any, value: str) -> None:
    """Move the focused menu's choice with the arrow keys until it is `value`."""
    for key in ("ArrowDown", "ArrowUp"):
        for _ in range(80):
            if page.evaluate("() => document.activeElement.value") == value:
                return
            page.keyboard.press(key)
    pytest.fail(f"the menu has no choice {value}")


def row(kind: str, key: str) -> str:
    """The selector of an item's row on the editing page (ids hold dots)."""
    return f'[id="{kind}-{key}"]'


def type_date(page: Any, selector: str, day: date) -> None:
    """Type a day into the focused date field. Its order of day, month and year is the
    browser's (Chromium's headless one is month/day/year whatever the page's language), so
    each order is tried until the field holds the day; a wrong try is emptied."""
    orders = [("%m%d%Y",), ("%d%m%Y",), ("%Y", "ArrowRight", "%m%d")]
    for order in orders:
        for part in order:
            if part == "ArrowRight":
                page.keyboard.press(part)
            else:
                page.keyboard.type(day.strftime(part))
        if page.evaluate("(s) => document.querySelector(s).value", selector) == day.isoformat():
            return
        page.evaluate(
            "(s) => { const f = document.querySelector(s); f.value = ''; f.focus(); }", selector
        )
    pytest.fail(f"{selector} never took {day}")


@dataclass
class Flow:
    """What the steps share: the tab, the site, and what earlier steps made."""

    page: Any
    site_url: str
    made: dict[str, str] = field(default_factory=dict)

    def go(self, path: str) -> None:
        self.page.goto(self.site_url + path)


def make_the_plan(flow: Flow) -> None:
    """From the 2022 plan's page: "Gör planen för 2023", starting from 2022."""
    page = flow.page
    flow.go(reverse("pages:plan_detail", args=["KS-2022"]))
    tab_to(page, f'a[href^="{reverse("planning:plan_new")}"]')
    page.keyboard.press("Enter")
    page.wait_for_selector("#id_start_0:checked")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/planning/KS-2023/edit/")
    assert Plan.objects.get(key="KS-2023").status == Plan.Status.DRAFT


def add_an_assignment(flow: Flow) -> None:
    page = flow.page
    tab_to(page, f'a[href="{reverse("planning:plan_edit", args=["KSK-2023"])}"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/planning/KSK-2023/edit/")
    new = reverse("planning:item_new", args=["KSK-2023", "assignment"]) + "?goal_area=2023-ma1"
    tab_to(page, f'a[href="{new}"]')
    page.keyboard.press("Enter")
    page.wait_for_selector("form.item-form")
    tab_to(page, "#id_title")
    page.keyboard.type("Ta fram en plan för lokalförsörjning")
    tab_to(page, "#id_kind")
    choose_by_keyboard(page, "council")
    tab_to(page, "#id_origin")
    page.keyboard.type("MoB 2023")
    tab_to(page, 'input[name="objectives"][value="2023-1.1"]')
    page.keyboard.press("Space")
    tab_to(page, "form.item-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/planning/KSK-2023/edit/**")
    assignment = Assignment.objects.get(plan__key="KSK-2023", origin="MoB 2023")
    assert [o.key for o in assignment.objectives.all()] == ["2023-1.1"]
    flow.made["assignment"] = assignment.key


def add_an_action(flow: Flow) -> None:
    page = flow.page
    key = flow.made["assignment"]
    tab_to(page, f'{row("assignment", key)} .add-link a[href*="assignment={key}"]')
    page.keyboard.press("Enter")
    page.wait_for_selector("form.item-form")
    tab_to(page, "#id_text")
    page.keyboard.type("Inventera kommunens lokaler")
    tab_to(page, "#id_end_raw")
    page.keyboard.type("31 mars 2023")
    page.locator("#id_end_raw-parsed", has_text="2023-03-31").wait_for()
    tab_to(page, "#id_responsible-0-unit")
    choose_by_keyboard(page, "KSK-STAB")
    tab_to(page, "#id_responsible-0-role")
    choose_by_keyboard(page, "lead")
    tab_to(page, "form.item-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/planning/KSK-2023/edit/**")
    action = Action.objects.get(assignment__key=key)
    assert (action.end_date, action.end_precision) == (date(2023, 3, 31), "day")
    assert [(r.unit.code, r.role) for r in action.responsibilities.all()] == [("KSK-STAB", "lead")]


def set_an_indicator_target(flow: Flow) -> None:
    """Inline (htmx): open the indicator's form in its row, type the 2023 target, save."""
    page = flow.page
    tab_to(page, f"{row('indicator', INDICATOR)} .edit-row__buttons a")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{row('indicator', INDICATOR)} form.item-form")
    n = page.evaluate(
        """() => [...document.querySelectorAll('select[name$="-kind"]')].findIndex(
            (s, i) => s.value === "target"
              && document.querySelector(`#id_values-${i}-year`).value === "2023")"""
    )
    assert n >= 0
    tab_to(page, f"#id_values-{n}-raw")
    page.keyboard.type("Minskande")
    tab_to(page, f"{row('indicator', INDICATOR)} form.item-form button[type=submit]")
    page.keyboard.press("Enter")
    page.locator(f"{row('indicator', INDICATOR)} [role=status]").wait_for()
    target = IndicatorValue.objects.get(indicator__key=INDICATOR, kind="target", year=2023)
    assert target.text == "Minskande"


def send_to_review(flow: Flow) -> None:
    page = flow.page
    flow.go(reverse("pages:plan_detail", args=["KS-2023"]))
    review = reverse("planning:plan_move", args=["KS-2023", "review"])
    tab_to(page, f'form[action="{review}"] button')
    page.keyboard.press("Enter")
    page.locator(".message", has_text="under granskning").wait_for()
    assert Plan.objects.get(key="KS-2023").status == Plan.Status.REVIEW


def decide(flow: Flow) -> None:
    page = flow.page
    flow.go(reverse("pages:plan_detail", args=["KS-2023"]))
    tab_to(page, f'a[href="{reverse("planning:plan_decide", args=["KS-2023"])}"]')
    page.keyboard.press("Enter")
    page.wait_for_selector("#id_decided_on")
    tab_to(page, "#id_decided_on")
    type_date(page, "#id_decided_on", date(2022, 12, 14))
    tab_to(page, "#id_reference")
    page.keyboard.type("KS 2022/123 §45")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.locator(".message", has_text="beslutad").wait_for()
    plan = Plan.objects.get(key="KS-2023")
    assert (plan.status, plan.decided_by, plan.decided_on, plan.decision_reference) == (
        Plan.Status.DECIDED, "KS", date(2022, 12, 14), "KS 2022/123 §45",
    )  # fmt: skip
    assert Plan.objects.get(key="KSK-2023").status == Plan.Status.DECIDED


def a_reader_comments_and_the_controller_resolves(flow: Flow) -> None:
    """A reader at KSK comments on the new action by keyboard; Clara answers and resolves
    the comment on the plan's review page (an open comment would block the decision)."""
    page = flow.page
    make_user("rut", reader="KSK")
    action = Action.objects.get(assignment__key=flow.made["assignment"])
    page.context.clear_cookies()
    log_in(page, flow.site_url, "rut")
    flow.go(action.get_absolute_url())
    tab_to(page, "#comment-text")
    page.keyboard.type("Vem äger lokalinventeringen?")
    tab_to(page, "#review-comments form button[type=submit]")
    page.keyboard.press("Enter")
    page.locator("#review-comments [role=status]").wait_for()
    comment = ReviewComment.objects.get(item_key=action.key)
    assert comment.author is not None
    assert (comment.status, comment.author.username) == ("open", "rut")

    page.context.clear_cookies()
    log_in(page, flow.site_url, "clara")
    flow.go(reverse("planning:plan_review", args=["KS-2023"]))
    tab_to(page, f"#answer-{comment.pk}")
    page.keyboard.type("Stabens lokalstrateg.")
    tab_to(page, f'#comment-{comment.pk} button[value="resolved"]')
    page.keyboard.press("Enter")
    page.locator(f"#comment-{comment.pk} [role=status]").wait_for()
    comment.refresh_from_db()
    assert comment.closed_by is not None
    assert (comment.status, comment.closed_by.username) == ("resolved", "clara")


def amend_with_two_changes(flow: Flow) -> None:
    """On the decided plan: two changes made inline (htmx) are collected, nothing changes,
    then both are recorded as one amendment with one decision, all by keyboard."""
    page = flow.page
    action = Action.objects.get(assignment__key=flow.made["assignment"])
    flow.go(reverse("planning:plan_edit", args=["KSK-2023"]))
    for kind, key, field_selector, text in (
        ("action", action.key, "#id_end_raw", "30 juni 2023"),
        ("assignment", flow.made["assignment"], "#id_origin", "MoB 2023, reviderad"),
    ):
        tab_to(page, f"{row(kind, key)} > .edit-row__body .edit-row__buttons a")
        page.keyboard.press("Enter")
        page.wait_for_selector(f"{row(kind, key)} form.item-form")
        tab_to(page, field_selector)
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
        tab_to(page, f"{row(kind, key)} form.item-form button[type=submit]")
        page.keyboard.press("Enter")
        page.locator(f"{row(kind, key)} [role=status]", has_text="revideringen").wait_for()
    action.refresh_from_db()
    assert action.end_raw == "31 mars 2023"  # nothing changes before the amendment is recorded
    flow.go(reverse("planning:plan_edit", args=["KSK-2023"]))
    page.locator("#amendment .amendment-draft__fields li", has_text="30 juni 2023").wait_for()
    assert axe_violations(page) == []  # the amendment being put together, with its changes
    tab_to(page, "#id_amendment-reason")
    page.keyboard.type("Ny tidplan för lokalinventeringen")
    tab_to(page, "#id_amendment-reference")
    page.keyboard.type("KS 2023/12 §4")
    tab_to(page, "#id_amendment-decided_on")
    type_date(page, "#id_amendment-decided_on", date(2023, 2, 1))
    tab_to(page, "#amendment form.item-form button[type=submit]")
    page.keyboard.press("Enter")
    page.locator(".message", has_text="Revidering 1").wait_for()
    amendment = Amendment.objects.get(plan__key="KS-2023")
    assert {action.key, flow.made["assignment"]} <= set(amendment.item_keys())
    action.refresh_from_db()
    assert action.end_raw == "30 juni 2023"


STEPS: list[Callable[[Flow], None]] = [
    make_the_plan,
    add_an_assignment,
    add_an_action,
    set_an_indicator_target,
    send_to_review,
    a_reader_comments_and_the_controller_resolves,
    decide,
    amend_with_two_changes,
]


def test_a_controller_makes_reviews_and_decides_the_2023_plan_by_keyboard(site_url, page):
    board_controller()
    log_in(page, site_url, "clara")
    flow = Flow(page, site_url)
    for step in STEPS:
        step(flow)


def authoring_pages() -> list[str]:
    """Every authoring page, on a draft made from 2022 (with a carried-over assignment and
    its action) and on the decided 2022 plan."""
    action = Action.objects.filter(plan__key="KSK-2023").order_by("pk").first()
    assert action is not None
    assert action.assignment is not None
    return [
        reverse("pages:plan_detail", args=["KS-2023"]),
        reverse("planning:plan_new") + "?owner=KS&year=2024&start=previous",
        reverse("planning:plan_edit", args=["KS-2023"]),
        reverse("planning:plan_edit", args=["KSK-2023"]),
        *(
            reverse("planning:item_new", args=["KSK-2023", kind]) + "?goal_area=2023-ma1"
            for kind in services.KINDS
        ),
        reverse("planning:item_edit", args=["assignment", action.assignment.key]),
        reverse("planning:item_edit", args=["action", action.key]),
        reverse("planning:item_edit", args=["indicator", INDICATOR]),
        reverse("planning:item_edit", args=["goal_area", "2023-ma1"]),
        reverse("planning:item_delete", args=["indicator", INDICATOR]),
        reverse("planning:plan_edit", args=["KSK-2022"]),
        reverse("planning:item_edit", args=["action", "ksk-2022-1.1-u1-a1"]),
        reverse("planning:item_delete", args=["action", "ksk-2022-1.1-u1-a1"]),
        reverse("pages:action_detail", args=["ksk-2022-1.1-u1-a1"]),
    ]


def test_the_authoring_pages_have_no_axe_violations(site_url, page):
    """In Swedish with every rule, then in English with the rules that read the words; one
    test, since each browser test reloads the seed after it."""
    clara = board_controller()
    from verksam.followup import carry_over

    hyres = Assignment.objects.get(key="ksk-2022-1.1-u1")
    carry_over.decide_carry_over(hyres, actor=clara, decision="continue", motivation="Pågår.")
    services.create_plan(
        actor=clara,
        owner=OrgUnit.objects.get(code="KS"),
        year=2023,
        from_plan=Plan.objects.get(key="KS-2022"),
    )
    fields = {
        "text": "Inventera lokalerna",
        "goal_area": "2023-ma1",
        "assignment": "ksk-2023-1.1-u1",
        "end_raw": "Q2 2023",
        "responsible_units": [{"unit": "KSK-STAB", "role": "lead"}],
    }
    services.create_item("action", Plan.objects.get(key="KSK-2023"), actor=clara, fields=fields)
    log_in(page, site_url, "clara")
    paths = authoring_pages()
    paths.append(reverse("planning:plan_decide", args=["KS-2023"]))
    for language in ("sv", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": site_url}])
        translated = language == "en"
        assert_no_axe_violations(page, site_url, paths, translated=translated)
        # The states pages only reach by typing and saving: a date read with a warning, a
        # form with errors, an inline form open in its row.
        page.goto(site_url + reverse("planning:item_new", args=["KSK-2023", "action"]))
        page.fill("#id_end_raw", "31 mars 2202")
        page.locator("#id_end_raw-parsed li").wait_for()
        page.locator("form.item-form button[type=submit]").click()
        page.wait_for_selector(".field-errors")
        assert axe_violations(page, translated=translated) == [], f"errors ({language})"
        page.goto(site_url + reverse("planning:plan_edit", args=["KSK-2023"]))
        page.locator(f"{row('indicator', INDICATOR)} .edit-row__buttons a").first.click()
        page.wait_for_selector(f"{row('indicator', INDICATOR)} form.item-form")
        assert axe_violations(page, translated=translated) == [], f"inline form ({language})"
