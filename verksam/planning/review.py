"""The review of a plan, as audited verbs: while a plan is in review, people with a role at
an item's units comment on it (`add_comment`); the plan's controllers answer
(`answer_comment`) and close each comment, resolved (dealt with) or acknowledged (seen and
left for the decision to weigh). An open comment blocks the decision
(`services.decide_plan` refuses). Each verb checks the actor's
permission, runs in one transaction and names the actor in the history."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verksam.core.validation import LONG_TEXT_MAX, clean_text
from verksam.followup.services import Actor, person, record_actor, require
from verksam.planning.models import ReviewComment
from verksam.planning.services import kind_of, plan_of
from verksam.plans.models import Plan

# The kinds of item a comment is about, and their models (as `planning.services.KINDS`).
COMMENTED_KINDS = ReviewComment.Kind.values


def _clean(text: str, field: str, required_message: str) -> str:
    try:
        cleaned = clean_text(text or "", max_length=LONG_TEXT_MAX).strip()
    except ValueError as error:
        raise ValidationError({field: str(error)}) from None
    if not cleaned:
        raise ValidationError({field: required_message})
    return cleaned


def item_title(row: models.Model) -> str:
    return str(row)[:300]


@transaction.atomic
def add_comment(item: models.Model, *, actor: Actor, text: str) -> ReviewComment:
    """A comment on `item` (goal area, objective, section, assignment, action, indicator)
    of a plan in review, by someone with a role at the item's units."""
    kind = kind_of(item)
    if kind not in COMMENTED_KINDS:
        raise ValidationError(_("Comments are made on goal areas, objectives, sections, "
                                "assignments, actions and indicators."))  # fmt: skip
    plan = plan_of(item)
    plan.refresh_from_db(fields=["status"])
    require(actor, "verksam.view", item)
    if plan.status != Plan.Status.REVIEW:
        raise ValidationError(
            _("Comments are taken while the plan is in review; %(plan)s is %(status)s.")
            % {"plan": plan.key, "status": plan.get_status_display()}
        )
    require(actor, "verksam.comment_plan", item)
    comment = ReviewComment(
        plan=plan,
        item_kind=kind,
        item_key=item.key,  # type: ignore[attr-defined]  # every commented kind has a key
        item_title=item_title(item),
        text=_clean(text, "text", _("Write the comment.")),
        author=person(actor),
    )
    record_actor(comment, actor)
    comment.save()
    return comment


def _locked(comment: ReviewComment) -> ReviewComment:
    """The comment's row, locked for the transaction, read again."""
    return ReviewComment.objects.select_for_update().select_related("plan").get(pk=comment.pk)


@transaction.atomic
def answer_comment(
    comment: ReviewComment, *, actor: Actor, answer: str, close: str = ""
) -> ReviewComment:
    """A controller's answer to a comment; `close` "resolved" or "acknowledged" also
    closes it (`close_comment`). An answer may be given or changed while the plan is in
    review or a draft, not after the decision."""
    current = _locked(comment)
    require(actor, "verksam.edit_plan", current.plan)
    if current.plan.is_locked:
        raise ValidationError(_("The plan is decided: its review is closed."))
    current.answer = _clean(answer, "answer", _("Write the answer."))
    current.answered_by = person(actor)
    current.answered_at = timezone.now()
    if close:
        _close(current, close, actor=actor)
    record_actor(current, actor)
    current.save()
    return current


def _close(comment: ReviewComment, close: str, *, actor: Actor) -> None:
    if close not in (ReviewComment.Status.RESOLVED, ReviewComment.Status.ACKNOWLEDGED):
        raise ValidationError({"status": _("Close a comment as resolved or acknowledged.")})
    if not comment.is_open:
        raise ValidationError(
            _("The comment is already %(status)s.") % {"status": comment.get_status_display()}
        )
    if close == ReviewComment.Status.ACKNOWLEDGED and not (comment.answer or "").strip():
        raise ValidationError(
            {"answer": _("Say why the comment is left as it is before acknowledging it.")}
        )
    comment.status = close
    comment.closed_by = person(actor)
    comment.closed_at = timezone.now()


@transaction.atomic
def close_comment(comment: ReviewComment, *, actor: Actor, status: str) -> ReviewComment:
    """Close an open comment: resolved (dealt with) or acknowledged (seen and left as it
    is; it needs an answer saying why). Either way it no longer blocks the decision."""
    current = _locked(comment)
    require(actor, "verksam.edit_plan", current.plan)
    if current.plan.is_locked:
        raise ValidationError(_("The plan is decided: its review is closed."))
    _close(current, status, actor=actor)
    record_actor(current, actor)
    current.save()
    return current


@transaction.atomic
def reopen_comment(comment: ReviewComment, *, actor: Actor) -> ReviewComment:
    """Open a closed comment again (closed by mistake)."""
    current = _locked(comment)
    require(actor, "verksam.edit_plan", current.plan)
    if current.plan.is_locked:
        raise ValidationError(_("The plan is decided: its review is closed."))
    if current.is_open:
        raise ValidationError(_("The comment is open."))
    current.status = ReviewComment.Status.OPEN
    current.closed_by = None
    current.closed_at = None
    record_actor(current, actor)
    current.save()
    return current


# --- Reading -------------------------------------------------------------------------------


@dataclass
class ItemReview:
    """The review comments an item page shows, and whether the reader may comment (the
    plan is in review and they hold a role at the item's units) or answer (a controller
    of its plan)."""

    kind: str
    key: str
    comments: list[ReviewComment]
    can_comment: bool
    can_answer: bool

    @property
    def shown(self) -> bool:
        return bool(self.comments) or self.can_comment


def item_review(user: Actor, item: models.Model) -> ItemReview | None:
    """The review of an item for its page (one query for the comments), or None for
    someone who does not read the plan's review (no role at its owner)."""
    plan = plan_of(item)
    if not user.has_perm("verksam.view_review", plan):
        return None
    kind = kind_of(item)
    comments = list(
        ReviewComment.objects.for_item(kind, item.key)  # type: ignore[attr-defined]  # every commented kind has a key
        .filter(plan=plan)
        .for_list()
    )
    return ItemReview(
        kind=kind,
        key=item.key,  # type: ignore[attr-defined]  # as above
        comments=comments,
        can_comment=user.has_perm("verksam.comment_plan", item),
        can_answer=user.has_perm("verksam.edit_plan", plan) and not plan.is_locked,
    )


@dataclass
class PlanReview:
    """What a plan's page shows of its review: the open comments on it and its parts
    (listed, each linking to its item), and how many there are in all."""

    open_comments: list[ReviewComment]
    total: int


def plan_review(user: Actor, plan: Plan) -> PlanReview | None:
    """The review summary for a plan's page (two queries), or None for someone who does
    not read its review, and for a plan that never had one."""
    if not user.has_perm("verksam.view_review", plan):
        return None
    comments = ReviewComment.objects.of_family(plan)
    total = comments.count()
    if not total and plan.root.status != Plan.Status.REVIEW:
        return None
    return PlanReview(open_comments=list(comments.open().for_list()), total=total)
