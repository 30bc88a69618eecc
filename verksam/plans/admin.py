"""The admin applies the same rules as the pages: a controller sees and changes only the
content of plans their units own, and every change lands in the audit trail. The plan
content apps (indicators, budget, risks) build their admins on `PlanContentAdmin`.

A decided or archived plan's content is read-only here for everyone, system administrators
included (it changes only by an amendment, `planning.services.amend_plan`), and a plan's
state and decision change only along its life (`planning.services`), not in its form."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from rules.contrib.admin import (
    ObjectPermissionsModelAdmin,
    ObjectPermissionsStackedInline,
    ObjectPermissionsTabularInline,
)

from verksam.accounts.models import Role
from verksam.accounts.rules import AnyUser, owned_by, unit_ids_with_role
from verksam.core.admin import AuditedAdmin, InputRules
from verksam.plans.models import (
    Action,
    ActionResponsibility,
    Assignment,
    CarriedOverAssignment,
    FocusArea,
    GoalArea,
    GoverningDocument,
    Objective,
    Plan,
    PlanSection,
    Strategy,
)


def plan_open(obj: Model | None) -> bool:
    """No object (a list, an empty form), or its plan is a draft or in review. The rules
    say the same (`accounts.rules.plan_is_open`), but a superuser passes every rule."""
    return obj is None or not obj.plan.is_locked  # type: ignore[attr-defined]  # plan content


class OpenPlanOnly:
    """For a plan content admin or inline: no change, addition or deletion in a decided
    plan (for an inline, `obj` is the row it is shown in)."""

    def has_add_permission(self, request: HttpRequest, *obj: Model | None) -> bool:
        # An inline's takes the row it is shown in, a model admin's nothing.
        allowed = super().has_add_permission(request, *obj)  # type: ignore[misc]  # mixed into admins
        return bool(allowed) and plan_open(obj[0] if obj else None)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and plan_open(obj)  # type: ignore[misc]  # mixed into admins

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and plan_open(obj)  # type: ignore[misc]  # mixed into admins


def controlled(rows: QuerySet, user: AnyUser) -> QuerySet:
    """The rows of plans owned by units where the user is a controller (or higher)."""
    if user.is_superuser:
        return rows
    return rows.filter(owned_by(rows.model, unit_ids_with_role(user, Role.CONTROLLER)))


class PlanContentAdmin(OpenPlanOnly, ObjectPermissionsModelAdmin, AuditedAdmin):
    """Admin for plan content: lists, choices and saves limited to the user's plans."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return controlled(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        """Offer only plans (and plan content) the user controls, so that a row cannot be
        moved into another unit's plan, and of plans only drafts and plans in review."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if (
            field is not None
            and field.queryset is not None
            and hasattr(db_field.related_model, "owner_path")
        ):
            field.queryset = controlled(field.queryset, request.user)
            if db_field.related_model is Plan:
                field.queryset = field.queryset.exclude(status__in=Plan.LOCKED)
        return field

    def save_model(self, request: HttpRequest, obj: Model, form, change: bool) -> None:
        """Check the row as it will be saved, not only as it was."""
        if not request.user.has_perm("verksam.edit_plan", obj) or not plan_open(obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class PlanContentInline(OpenPlanOnly, InputRules, ObjectPermissionsTabularInline):
    extra = 0


class PlanContentStackedInline(OpenPlanOnly, InputRules, ObjectPermissionsStackedInline):
    extra = 0


@admin.register(Plan)
class PlanAdmin(PlanContentAdmin):
    list_display = ["key", "title", "owner", "year", "status", "parent"]
    list_filter = ["year", "status"]
    search_fields = ["key", "title"]
    autocomplete_fields = ["owner", "parent"]
    # The plan's life (review, decision, archive) goes through `planning.services`.
    readonly_fields = ["status", "decided_by", "decided_on", "decision_reference"]


@admin.register(PlanSection)
class PlanSectionAdmin(PlanContentAdmin):
    list_display = ["key", "heading", "kind", "plan", "goal_area"]
    list_filter = ["kind", "plan"]
    search_fields = ["key", "heading", "body"]
    list_select_related = ["plan", "goal_area"]


@admin.register(GoverningDocument)
class GoverningDocumentAdmin(PlanContentAdmin):
    list_display = ["key", "title", "category", "plan"]
    list_filter = ["plan"]
    search_fields = ["key", "title"]
    list_select_related = ["plan"]


class ObjectiveInline(PlanContentInline):
    model = Objective


@admin.register(GoalArea)
class GoalAreaAdmin(PlanContentAdmin):
    list_display = ["key", "number", "title", "plan"]
    list_filter = ["plan"]
    search_fields = ["key", "title"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(PlanContentAdmin):
    list_display = ["key", "number", "title", "goal_area"]
    list_filter = ["goal_area__plan"]
    search_fields = ["key", "number", "title"]
    list_select_related = ["goal_area"]


class FocusAreaInline(InputRules, admin.TabularInline):
    model = FocusArea
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(AuditedAdmin):
    list_display = ["key", "title", "kind"]
    inlines = [FocusAreaInline]


@admin.register(FocusArea)
class FocusAreaAdmin(AuditedAdmin):
    list_display = ["key", "number", "title", "strategy"]
    search_fields = ["key", "title"]
    list_select_related = ["strategy"]


@admin.register(Assignment)
class AssignmentAdmin(PlanContentAdmin):
    list_display = ["key", "title", "kind", "plan", "goal_area", "origin"]
    list_filter = ["kind", "plan", "goal_area"]
    search_fields = ["key", "title", "description"]
    list_select_related = ["plan", "goal_area"]
    filter_horizontal = ["objectives", "focus_areas"]


class ActionResponsibilityInline(PlanContentInline):
    model = ActionResponsibility
    autocomplete_fields = ["unit"]


@admin.register(Action)
class ActionAdmin(PlanContentAdmin):
    list_display = ["key", "text", "plan", "responsible_raw", "start_raw", "end_raw"]
    list_filter = ["plan", "goal_area", "end_precision"]
    search_fields = ["key", "text", "completion_criterion"]
    list_select_related = ["plan"]
    autocomplete_fields = ["assignment", "objective"]
    filter_horizontal = ["focus_areas"]
    inlines = [ActionResponsibilityInline]


@admin.register(CarriedOverAssignment)
class CarriedOverAssignmentAdmin(PlanContentAdmin):
    list_display = ["key", "title", "goal_area", "origin", "origin_inferred"]
    list_filter = ["origin", "goal_area"]
    search_fields = ["key", "title"]
    list_select_related = ["goal_area"]
    autocomplete_fields = ["assignment"]
