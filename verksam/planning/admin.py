"""The admin shows review comments read-only: they are written through the pages, the API
and the services (`planning.review`), which check the plan's state and who may comment,
answer and close. It lists the comments the pages show the user
(`ReviewComment.objects.visible_to`, the `verksam.view_review` rule): a plan's reviewers
while it is in review, people with a role at its owner before and after."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from rules.contrib.admin import ObjectPermissionsModelAdmin

from verksam.core.admin import AuditedAdmin
from verksam.planning.models import ReviewComment


@admin.register(ReviewComment)
class ReviewCommentAdmin(ObjectPermissionsModelAdmin, AuditedAdmin):
    list_display = ["plan", "item_kind", "item_key", "status", "author", "created_at"]
    list_filter = ["status", "item_kind"]
    search_fields = ["item_key", "item_title", "text", "answer"]
    list_select_related = ["plan", "author"]
    fields = (
        "plan", "item_kind", "item_key", "item_title", "text", "author", "created_at",
        "answer", "answered_by", "answered_at", "status", "closed_by", "closed_at",
    )  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return ReviewComment.objects.visible_to(request.user).select_related(
            "plan__parent", "author", "answered_by", "closed_by"
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
