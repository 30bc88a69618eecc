"""The admin applies the same rules as the pages: a controller sees and changes only the
content of plans their units own, and every change lands in the audit trail. The plan
content apps (indicators, budget, risks) build their admins on `PlanContentAdmin`."""

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


def controlled(rows: QuerySet, user: AnyUser) -> QuerySet:
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
        if (
            field is not None
            and field.queryset is not None
            and hasattr(db_field.related_model, "owner_path")
        ):
            field.queryset = controlled(field.queryset, request.user)
        return field

    def save_model(self, request: HttpRequest, obj: Model, form, change: bool) -> None:  # type: ignore[no-untyped-def]
        """Check the row as it will be saved, not only as it was."""
        if not request.user.has_perm("verksam.edit_plan", obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class PlanContentInline(InputRules, ObjectPermissionsTabularInline):
    extra = 0


class PlanContentStackedInline(InputRules, ObjectPermissionsStackedInline):
    extra = 0


@admin.register(Plan)
class PlanAdmin(PlanContentAdmin):
    list_display = ["key", "title", "owner", "year", "status", "parent"]
    list_filter = ["year", "status"]
    search_fields = ["key", "title"]
    autocomplete_fields = ["owner", "parent"]


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
