from django.contrib import admin

from verksam.accounts.admin import AuditedAdmin, PlanContentAdmin, PlanContentInline
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


class FocusAreaInline(admin.TabularInline):
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
