"""The admin applies the same rules as the pages: a controller sees and changes only the
content of plans their units own, and every change lands in the audit trail."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from rules.contrib.admin import (
    ObjectPermissionsModelAdmin,
    ObjectPermissionsStackedInline,
    ObjectPermissionsTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from verksam.accounts.models import Membership, Role
from verksam.accounts.rules import unit_ids_with_role
from verksam.plans.models import owned_by


class AuditedAdmin(SimpleHistoryAdmin):
    """Shows an object's history; the history itself is evidence and is never written
    through the admin (simple-history's revert form would save on POST even with revert
    disabled in the settings)."""

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):  # type: ignore[no-untyped-def]
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def controlled(rows: QuerySet, user: User) -> QuerySet:
    """The rows of plans owned by units where the user is a controller (or higher)."""
    if user.is_superuser:
        return rows
    return rows.filter(owned_by(rows.model, unit_ids_with_role(user, Role.CONTROLLER)))


class PlanContentAdmin(ObjectPermissionsModelAdmin, AuditedAdmin):
    """Admin for plan content: lists, choices and saves limited to the user's plans."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return controlled(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):  # type: ignore[no-untyped-def]
        """Offer only plans (and plan content) the user controls, so that a row cannot be
        moved into another unit's plan."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(db_field.related_model, "owner_path"):
            field.queryset = controlled(field.queryset, request.user)
        return field

    def save_model(self, request: HttpRequest, obj: Model, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        """Check the row as it will be saved, not only as it was."""
        if not request.user.has_perm("verksam.edit_plan", obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class PlanContentInline(ObjectPermissionsTabularInline):
    extra = 0


class PlanContentStackedInline(ObjectPermissionsStackedInline):
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    """Users are managed by system administrators here; unit administrators use the
    pages, which apply the per-unit rules."""

    inlines = [MembershipInline]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser
