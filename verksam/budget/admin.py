from django.contrib import admin

from verksam.budget.models import BudgetCell, BudgetColumn, BudgetRow, BudgetTable
from verksam.plans.admin import PlanContentAdmin, PlanContentInline


class BudgetColumnInline(PlanContentInline):
    model = BudgetColumn
    extra = 0
    fields = ["label", "kind", "year", "kind_inferred", "position"]


class BudgetRowInline(PlanContentInline):
    model = BudgetRow
    extra = 0
    fields = ["key", "label", "kind", "part_of", "unit", "position"]
    autocomplete_fields = ["unit"]
    show_change_link = True


class BudgetCellInline(PlanContentInline):
    model = BudgetCell
    extra = 0
    fields = ["column", "raw", "number"]
    readonly_fields = ["number"]


@admin.register(BudgetTable)
class BudgetTableAdmin(PlanContentAdmin):
    list_display = ["key", "title", "plan", "kind"]
    list_filter = ["plan", "kind"]
    search_fields = ["key", "title"]
    list_select_related = ["plan"]
    inlines = [BudgetColumnInline, BudgetRowInline]


@admin.register(BudgetRow)
class BudgetRowAdmin(PlanContentAdmin):
    list_display = ["key", "label", "table", "kind", "unit"]
    list_filter = ["table__plan", "kind"]
    search_fields = ["key", "label"]
    list_select_related = ["table", "unit"]
    autocomplete_fields = ["unit"]
    inlines = [BudgetCellInline]
