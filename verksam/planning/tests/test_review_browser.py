"""The review in a real Chromium: a reader comments on an action by keyboard alone, the
controller answers and resolves it on the review page, then decides the plan; and axe-core
finds no WCAG 2.1 A/AA violations on the review pages and the import page, in Swedish and
English, with their forms' outcomes shown."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from verksam import testing
from verksam.imports.workbook import write_workbook
from verksam.planning import review, services
from verksam.planning.models import ReviewComment
from verksam.plans.models import Action, GoalArea, Plan
from verksam.testing import assert_no_axe_violations, axe_violations, log_in, make_user

pytestmark = pytest.mark.browser

TAB_LIMIT = 400


def tab_to(page, selector: str) -> None:
    """Press Tab until the element matching `selector` has focus."""
    testing.tab_to(page, selector, limit=TAB_LIMIT, visible_focus=False)


def in_review() -> tuple[User, Action]:
    """The seed's 2022 plans in review, Clara (controller at KS) and a new action of KSK."""
    Plan.objects.filter(year=2022).update(status=Plan.Status.REVIEW)
    clara = make_user("clara", controller="KS")
    area = GoalArea.objects.filter(plan__key="KS-2022").order_by("position").first()
    assert area is not None
    action = services.create_item(
        "action",
        Plan.objects.get(key="KSK-2022"),
        actor=clara,
        fields={"text": "Ta fram en ny modell", "goal_area": area.key},
    )
    assert isinstance(action, Action)
    return clara, action


def test_a_reader_comments_the_controller_resolves_and_decides(site_url, page):
    _clara, action = in_review()
    make_user("rut", reader="KSK")

    log_in(page, site_url, "rut")
    page.goto(site_url + action.get_absolute_url())
    tab_to(page, "#comment-text")
    page.keyboard.type("Vem ansvarar för modellen?")
    tab_to(page, '#review-comments button[type="submit"]')
    page.keyboard.press("Enter")
    page.locator("#review-comments [role=status]").wait_for()
    comment = ReviewComment.objects.get()
    assert (comment.text, comment.author.username) == ("Vem ansvarar för modellen?", "rut")

    page.context.clear_cookies()
    log_in(page, site_url, "clara")
    page.goto(site_url + reverse("planning:plan_review", args=["KS-2022"]))
    assert "Vem ansvarar för modellen?" in page.inner_text("main")
    # Deciding is refused while the comment is open.
    decide = site_url + reverse("planning:plan_decide", args=["KS-2022"])
    page.goto(decide)
    page.fill("#id_decided_on", "2022-12-14")
    page.fill("#id_reference", "KS 2022/123 §45")
    page.locator("main button[type=submit]").click()
    page.locator(".form-errors[role=alert]").wait_for()
    assert Plan.objects.get(key="KS-2022").status == "review"

    page.goto(site_url + reverse("planning:plan_review", args=["KS-2022"]))
    tab_to(page, f"#answer-{comment.pk}")
    page.keyboard.type("Ekonomiavdelningen, det läggs till.")
    tab_to(page, f'#comment-{comment.pk} button[value="resolved"]')
    page.keyboard.press("Enter")
    page.locator(f"#comment-{comment.pk} [role=status]").wait_for()
    comment.refresh_from_db()
    assert (comment.status, comment.closed_by.username) == ("resolved", "clara")

    page.goto(decide)
    page.fill("#id_decided_on", "2022-12-14")
    page.fill("#id_reference", "KS 2022/123 §45")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/decide/" not in url)
    plan = Plan.objects.get(key="KS-2022")
    assert (plan.status, plan.decision_reference) == ("decided", "KS 2022/123 §45")


def test_the_review_and_import_pages_have_no_axe_violations(site_url, page, tmp_path):
    """In Swedish with every rule, then in English with the rules that read the words; one
    test, since each browser test reloads the seed after it."""
    clara, action = in_review()
    reader = make_user("rut", reader="KSK")
    review.add_comment(action, actor=reader, text="Öppen fråga")
    closed = review.add_comment(action, actor=reader, text="Löst fråga")
    review.answer_comment(closed, actor=clara, answer="Klart.", close="resolved")
    log_in(page, site_url, "clara")
    workbook = Path(tmp_path) / "plan.xlsx"
    from verksam.imports.export import export_plan

    workbook.write_bytes(write_workbook(export_plan(year=2022, owner="KSK")))
    for language in ("sv", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": site_url}])
        translated = language == "en"
        assert_no_axe_violations(
            page,
            site_url,
            [
                reverse("planning:plan_review", args=["KS-2022"]),
                reverse("planning:plan_review", args=["KS-2022"]) + "?show=all",
                action.get_absolute_url(),
                reverse("planning:item_comments", args=["action", action.key]),
                reverse("pages:plan_detail", args=["KSK-2022"]),
                reverse("imports:plan_import"),
            ],
            translated=translated,
        )
        # The import page with a dry run's preview, then with errors (htmx swaps the result).
        page.set_input_files("#id_workbook", str(workbook))
        page.locator("button[value=check]").click()
        page.locator("#import-result table").wait_for()
        assert axe_violations(page, translated=translated) == [], f"preview ({language})"
        page.set_input_files("#id_workbook", str(Path(__file__)))
        page.locator("button[value=check]").click()
        page.locator("#import-result td").first.wait_for()
        assert axe_violations(page, translated=translated) == [], f"errors ({language})"
