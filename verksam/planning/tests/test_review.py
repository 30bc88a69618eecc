"""The review (issue 12 §4): comments on a plan in review by people with a role at its
units, answered, resolved or acknowledged by its controllers, listed on the plan, blocking
the decision while open; through the services, the pages (plain forms and htmx) and the API."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from verksam.accounts import services as accounts
from verksam.planning import review, services
from verksam.planning.models import ReviewComment
from verksam.plans.models import Action, GoalArea, Objective, Plan, PlanSection
from verksam.testing import board_controller, sv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DECISION = {"decided_by": "KS", "decided_on": date(2022, 12, 14), "reference": "KS 2022/123 §45"}
ROLES = ["reader", "reporter", "controller", "admin"]
# The item is in KSK's part of the board's plan; a role there or above reaches it, and so
# does one at a unit responsible for an item of the part (KSK-EKONOMI: a plan's reviewers
# comment on any of its items, `accounts.rules.reviews_plan`); SBK has no item in it.
UNIT_OF = {"own": "KSK", "parent": "KS", "child": "KSK-EKONOMI", "sibling": "SBK"}


@pytest.fixture
def in_review() -> Plan:
    """The seed's board plan and its parts, in review."""
    Plan.objects.filter(year=2022).update(status=Plan.Status.REVIEW)
    return Plan.objects.get(key="KS-2022")


@pytest.fixture
def clara():
    return board_controller()


@pytest.fixture
def action(in_review, clara) -> Action:
    """A new action of KSK's part, with no responsible unit below KSK."""
    area = GoalArea.objects.filter(plan=in_review).order_by("position").first()
    assert area is not None
    row = services.create_item(
        "action",
        Plan.objects.get(key="KSK-2022"),
        actor=clara,
        fields={"text": "Ta fram en ny modell", "goal_area": area.key},
    )
    assert isinstance(row, Action)
    assert row.unit_ids() == {row.plan.owner_id}
    return row


@pytest.fixture
def comment(action, make_user) -> ReviewComment:
    reader = make_user("rut", reader="KSK")
    return review.add_comment(action, actor=reader, text="Varför inget slutdatum?")


@pytest.mark.parametrize("relation", UNIT_OF)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_comment_by_role_and_unit(action, make_user, role, relation):
    user = make_user("u", **{role: UNIT_OF[relation]})
    if relation in ("own", "parent", "child"):
        made = review.add_comment(action, actor=user, text="En fråga")
        assert (made.item_kind, made.item_key, made.status) == ("action", action.key, "open")
        assert made.history.get().history_user == user
    else:
        with pytest.raises(PermissionDenied):
            review.add_comment(action, actor=user, text="En fråga")
        assert not ReviewComment.objects.exists()


@pytest.mark.parametrize("relation", UNIT_OF)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_answer_and_resolve_by_role_and_unit(comment, make_user, role, relation):
    user = make_user("u", **{role: UNIT_OF[relation]})
    if role in ("controller", "admin") and relation in ("own", "parent"):
        done = review.answer_comment(
            comment, actor=user, answer="Det läggs till.", close="resolved"
        )
        assert (done.status, done.closed_by, done.answered_by) == ("resolved", user, user)
        assert done.history.latest().history_user == user
    else:
        with pytest.raises(PermissionDenied):
            review.answer_comment(comment, actor=user, answer="Nej.", close="resolved")
        assert ReviewComment.objects.get().status == "open"


@pytest.mark.parametrize("kind", ["goal_area", "objective", "section", "assignment", "indicator"])
def test_every_kind_of_item_takes_comments(in_review, make_user, kind):
    models = {"goal_area": GoalArea, "objective": Objective, "section": PlanSection}
    model = models.get(kind) or services.KINDS[kind].model
    rows = model._default_manager.all()
    rows = (
        rows.filter(goal_area__plan=in_review)
        if kind == "objective"
        else rows.filter(plan__year=2022)
    )
    item = rows.order_by("pk").first()
    made = review.add_comment(item, actor=make_user("u", reader="KS"), text="Oklart.")
    assert (made.item_kind, made.item_key) == (kind, item.key)


def test_comments_are_taken_only_while_the_plan_is_in_review(action, make_user):
    reader = make_user("rut", reader="KSK")
    for status in ("draft", "decided"):
        Plan.objects.filter(year=2022).update(status=status)
        with pytest.raises(ValidationError, match="in review"):
            review.add_comment(action, actor=reader, text="Sent")
    assert not ReviewComment.objects.exists()


def test_an_empty_or_refused_comment_is_an_error_by_field(action, make_user):
    reader = make_user("rut", reader="KSK")
    with pytest.raises(ValidationError) as empty:
        review.add_comment(action, actor=reader, text="  ")
    assert "text" in empty.value.message_dict
    with pytest.raises(ValidationError) as bad:
        review.add_comment(action, actor=reader, text="a\x00b")
    assert "text" in bad.value.message_dict


def test_open_comments_block_the_decision_until_resolved_or_acknowledged(
    in_review, comment, action, clara, make_user
):
    second = review.add_comment(action, actor=make_user("per", reader="KS"), text="Och budget?")
    with pytest.raises(ValidationError, match="2 review comments are open"):
        services.decide_plan(in_review, actor=clara, **DECISION)
    assert Plan.objects.get(key="KS-2022").status == "review"
    review.answer_comment(comment, actor=clara, answer="Tillagt.", close="resolved")
    with pytest.raises(ValidationError, match="1 review comment is open"):
        services.decide_plan(in_review, actor=clara, **DECISION)
    # Acknowledging says why; without an answer it is refused.
    with pytest.raises(ValidationError) as why:
        review.close_comment(second, actor=clara, status="acknowledged")
    assert "answer" in why.value.message_dict
    review.answer_comment(second, actor=clara, answer="Tas i budgeten.", close="acknowledged")
    acknowledged = ReviewComment.objects.get(pk=second.pk)
    assert (acknowledged.status, acknowledged.closed_by) == ("acknowledged", clara)
    assert acknowledged.closed_at is not None
    services.decide_plan(in_review, actor=clara, **DECISION)
    assert Plan.objects.get(key="KS-2022").status == "decided"
    with pytest.raises(ValidationError, match="decided"):
        review.reopen_comment(comment, actor=clara)


def test_a_reader_cannot_decide_even_with_no_comments_open(in_review, make_user):
    with pytest.raises(PermissionDenied):
        services.decide_plan(in_review, actor=make_user("rut", reader="KS"), **DECISION)


def test_a_closed_comment_is_not_closed_twice_and_can_be_reopened(comment, clara):
    review.answer_comment(comment, actor=clara, answer="Klart.", close="resolved")
    with pytest.raises(ValidationError, match="already resolved"):
        review.close_comment(comment, actor=clara, status="resolved")
    again = review.reopen_comment(comment, actor=clara)
    assert (again.status, again.closed_by, again.closed_at) == ("open", None, None)


def open_comments(n: int) -> str:
    with translation.override("sv"):
        return translation.ngettext("%(n)s open comment", "%(n)s open comments", n) % {"n": n}


def blocked(n: int) -> str:
    with translation.override("sv"):
        return translation.ngettext(
            "%(n)d review comment is open: resolve or acknowledge it before the decision.",
            "%(n)d review comments are open: resolve or acknowledge them before the decision.",
            n,
        ) % {"n": n}


# --- Pages -------------------------------------------------------------------------------


def test_a_reader_comments_on_an_action_page_with_the_plain_form(client, action, make_user):
    make_user("rut", reader="KSK")
    client.force_login(User.objects.get(username="rut"))
    page = client.get(action.get_absolute_url())
    assert 'id="review-comments"' in page.content.decode()
    url = f"/planning/comments/action/{action.key}/"
    assert url in page.content.decode()
    answer = client.post(url, {"text": "Varför?", "next": action.get_absolute_url()})
    assert answer.status_code == 302
    assert answer.url == action.get_absolute_url() + "#review-comments"
    shown = client.get(action.get_absolute_url()).content.decode()
    assert "Varför?" in shown
    assert sv("Your comment is saved.") in shown


def test_a_comment_by_htmx_answers_with_the_section_and_an_error_keeps_the_text(
    client, action, make_user
):
    make_user("rut", reader="KSK")
    client.force_login(User.objects.get(username="rut"))
    url = f"/planning/comments/action/{action.key}/"
    fragment = client.post(url, {"text": "Med htmx"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert html.lstrip().startswith("<section")
    assert "Med htmx" in html
    assert "<html" not in html
    empty = client.post(url, {"text": " "}, headers={"HX-Request": "true"})
    assert empty.status_code == 400
    assert sv("Write the comment.") in empty.content.decode()
    assert ReviewComment.objects.count() == 1


def test_the_comment_page_refuses_wrong_methods_and_other_units(client, action, make_user):
    make_user("sigge", reader="SBK")
    client.force_login(User.objects.get(username="sigge"))
    url = f"/planning/comments/action/{action.key}/"
    assert client.post(url, {"text": "Hej"}).status_code == 404  # a draft of another office
    assert client.put(url).status_code == 405
    assert client.get("/planning/comments/budget/x/").status_code == 404
    assert not ReviewComment.objects.exists()


def test_a_controller_answers_and_resolves_on_the_review_page(client, comment, clara):
    client.force_login(User.objects.get(username="clara"))
    page = client.get("/planning/KS-2022/comments/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Varför inget slutdatum?" in html
    assert open_comments(1) in html
    url = f"/planning/comments/{comment.pk}/answer/"
    done = client.post(url, {"answer": "Det läggs till.", "close": "resolved"})
    assert done.status_code == 302
    assert done.url.endswith(f"#comment-{comment.pk}")
    assert ReviewComment.objects.get().status == "resolved"
    assert sv("No open comments.") in client.get("/planning/KS-2022/comments/").content.decode()
    assert "Det läggs till." in client.get("/planning/KS-2022/comments/?show=all").content.decode()


def test_answering_by_htmx_swaps_the_comment(client, comment, clara):
    client.force_login(User.objects.get(username="clara"))
    url = f"/planning/comments/{comment.pk}/answer/"
    fragment = client.post(url, {"answer": "", "close": "resolved"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 400
    assert sv("Write the answer.") in fragment.content.decode()
    fragment = client.post(url, {"answer": "Ja.", "close": ""}, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert html.lstrip().startswith("<article")
    assert ReviewComment.objects.get().answer == "Ja."
    assert ReviewComment.objects.get().status == "open"


def test_a_reader_may_not_answer_and_sees_no_answer_form(client, comment):
    client.force_login(User.objects.get(username="rut"))
    html = client.get("/planning/KS-2022/comments/").content.decode()
    assert sv("Answer and resolve") not in html
    assert sv("Decide the plan") not in html
    refused = client.post(f"/planning/comments/{comment.pk}/answer/", {"answer": "x"})
    assert refused.status_code == 403
    assert ReviewComment.objects.get().answer == ""


def test_the_review_page_needs_a_role_at_the_plan(client, comment, make_user):
    assert client.get("/planning/KS-2022/comments/").status_code == 302  # to the login
    make_user("sigge", reader="SBK")
    client.force_login(User.objects.get(username="sigge"))
    assert client.get("/planning/KS-2022/comments/").status_code == 404
    assert (
        client.post(f"/planning/comments/{comment.pk}/answer/", {"answer": "x"}).status_code == 404
    )


def test_the_plan_page_lists_the_open_comments(client, comment, clara):
    client.force_login(User.objects.get(username="clara"))
    html = client.get("/plans/KSK-2022/").content.decode()
    assert open_comments(1) in html
    assert comment.item_key in html
    assert "/planning/KS-2022/comments/" in html


def test_deciding_on_the_review_page_is_refused_while_comments_are_open(client, comment, clara):
    client.force_login(User.objects.get(username="clara"))
    form = {"decided_by": "KS", "decided_on": "2022-12-14", "reference": "KS 2022/123 §45"}
    refused = client.post("/planning/KS-2022/decide/", form)
    assert refused.status_code == 400
    assert blocked(1) in refused.content.decode()
    assert Plan.objects.get(key="KS-2022").status == "review"
    client.post(f"/planning/comments/{comment.pk}/answer/", {"answer": "Ok.", "close": "resolved"})
    missing = client.post("/planning/KS-2022/decide/", {**form, "reference": ""})
    assert missing.status_code == 400
    assert Plan.objects.get(key="KS-2022").status == "review"
    decided = client.post("/planning/KS-2022/decide/", form)
    assert decided.status_code == 302
    plan = Plan.objects.get(key="KS-2022")
    assert (plan.status, plan.decision_reference) == ("decided", "KS 2022/123 §45")


@pytest.mark.parametrize("factor", [1, 10])
def test_the_review_page_runs_the_same_queries_whatever_the_number_of_comments(
    client, action, clara, make_user, factor
):
    reader = make_user("rut", reader="KSK")
    for n in range(factor):
        made = review.add_comment(action, actor=reader, text=f"Fråga {n}")
        if n % 2:
            review.answer_comment(made, actor=clara, answer="Svar", close="resolved")
    client.force_login(User.objects.get(username="clara"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/planning/KS-2022/comments/?show=all").status_code == 200
    # session, user, the plan, the user's units (2: units, roles), the counts by status,
    # the comments with their plan and people.
    assert len(queries) == 7, [q["sql"] for q in queries.captured_queries]


# --- API ---------------------------------------------------------------------------------


def bearer(user) -> dict[str, str]:
    token = accounts.create_api_token(actor=user, user=user, name="test")[1]
    return {"Authorization": f"Bearer {token}"}


def test_comments_through_the_api(client, action, clara, make_user):
    reader = bearer(make_user("rut", reader="KSK"))
    made = client.post(
        f"/api/planning/items/action/{action.key}/comments", {"text": "Via API"},
        content_type="application/json", headers=reader,
    )  # fmt: skip
    assert made.status_code == 201
    pk = made.json()["id"]
    assert (made.json()["status"], made.json()["author"]) == ("open", "rut")
    refused = client.post(
        f"/api/planning/comments/{pk}/answer", {"answer": "Nej", "close": "resolved"},
        content_type="application/json", headers=reader,
    )  # fmt: skip
    assert refused.status_code == 403
    controller = bearer(clara)
    listed = client.get("/api/planning/plans/KS-2022/comments?status=open", headers=controller)
    assert [c["id"] for c in listed.json()] == [pk]
    refused_decision = client.post(
        "/api/planning/plans/KS-2022/decide",
        {"decided_by": "KS", "decided_on": "2022-12-14", "reference": "KS 1"},
        content_type="application/json", headers=controller,
    )  # fmt: skip
    assert refused_decision.status_code == 422
    assert refused_decision.json()["detail"] == blocked(1)
    done = client.post(
        f"/api/planning/comments/{pk}/answer", {"answer": "Ja", "close": "resolved"},
        content_type="application/json", headers=controller,
    )  # fmt: skip
    assert (done.json()["status"], done.json()["closed_by"]) == ("resolved", "clara")
    reopened = client.post(f"/api/planning/comments/{pk}/reopen", headers=controller)
    assert reopened.json()["status"] == "open"
    closed = client.post(
        f"/api/planning/comments/{pk}/close", {"status": "acknowledged"},
        content_type="application/json", headers=controller,
    )  # fmt: skip
    assert closed.json()["status"] == "acknowledged"


def test_a_comment_on_a_draft_through_the_api_is_422(client, action, make_user):
    Plan.objects.filter(year=2022).update(status="draft")
    made = client.post(
        f"/api/planning/items/action/{action.key}/comments", {"text": "Tidigt"},
        content_type="application/json", headers=bearer(make_user("rut", reader="KSK")),
    )  # fmt: skip
    assert made.status_code == 422
