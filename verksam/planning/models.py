"""Review comments: while a plan is in review, people with a role at its units comment on
its items; the plan's controllers answer, and resolve or acknowledge each comment. An open
comment blocks the decision (`planning.services.decide_plan`)."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from verksam.accounts.models import Role
from verksam.accounts.rules import unit_ids_with_role
from verksam.plans.models import PartOfPlan, Plan


class ReviewCommentQuerySet(models.QuerySet["ReviewComment"]):
    def visible_to(self, user: User | AnonymousUser) -> "ReviewCommentQuerySet":
        """Comments on plans the user reads as a draft (a role at the owner or above), and
        on plans in review that the user reviews (`Plan.objects.reviewed_by`): a review is
        the plan's working material, not part of the public record (`verksam.view_review`)."""
        return self.filter(
            Q(plan__owner_id__in=unit_ids_with_role(user, Role.READER))
            | Q(plan__in=Plan.objects.reviewed_by(user).values("pk"))
        )

    def open(self) -> "ReviewCommentQuerySet":
        return self.filter(status=ReviewComment.Status.OPEN)

    def of_family(self, plan: Plan) -> "ReviewCommentQuerySet":
        """Comments on a board's plan and its parts (or on a part and its board's plan)."""
        root = plan.root
        return self.filter(Q(plan=root) | Q(plan__parent=root))

    def for_item(self, kind: str, key: str) -> "ReviewCommentQuerySet":
        return self.filter(item_kind=kind, item_key=key)

    def for_list(self) -> "ReviewCommentQuerySet":
        """Open first, then by when they were made, with who wrote and answered."""
        return self.select_related("plan", "author", "answered_by", "closed_by").order_by(
            models.Case(models.When(status=ReviewComment.Status.OPEN, then=0), default=1),
            "created_at",
            "pk",
        )


class ReviewComment(PartOfPlan, models.Model):
    """A comment on an item of a plan in review (goal area, objective, section, assignment,
    action, indicator), named by kind and id so that it outlives edits of the item. A
    controller answers it and closes it: resolved (dealt with) or acknowledged (seen and
    left as it is, for the decision to take)."""

    class Kind(models.TextChoices):
        GOAL_AREA = "goal_area", _("goal area")
        OBJECTIVE = "objective", _("objective")
        SECTION = "section", _("plan section")
        ASSIGNMENT = "assignment", _("assignment")
        ACTION = "action", _("action")
        INDICATOR = "indicator", _("indicator")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("review comment", "acknowledged")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="review_comments"
    )
    item_kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    item_key = models.CharField(_("item"), max_length=100)
    item_title = models.TextField(_("item title"), blank=True)
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = ReviewCommentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["item_kind", "item_key"], name="reviewcomment_item")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "resolved", "acknowledged"]),
                name="reviewcomment_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False),
                name="reviewcomment_closed_has_time",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="reviewcomment_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.key}: {self.item_key} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def item_url(self) -> str:
        """The page of the item commented on (sections have none: their plan's)."""
        pages = {
            "goal_area": "pages:goalarea_detail",
            "objective": "pages:objective_detail",
            "assignment": "pages:assignment_detail",
            "action": "pages:action_detail",
            "indicator": "pages:indicator_detail",
        }
        if self.item_kind in pages:
            return reverse(pages[self.item_kind], args=[self.item_key])
        return reverse("pages:plan_detail", args=[self.plan.key])

    def unit_ids(self) -> set[int]:
        return self.plan.unit_ids()
