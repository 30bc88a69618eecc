from django.contrib import admin

from verksam.indicators.models import Indicator, IndicatorResponsibility, IndicatorValue
from verksam.plans.admin import PlanContentAdmin, PlanContentInline


class IndicatorValueInline(PlanContentInline):
    model = IndicatorValue
    fields = ["label", "kind", "year", "raw", "women_raw", "men_raw", "position"]


class IndicatorResponsibilityInline(PlanContentInline):
    model = IndicatorResponsibility
    autocomplete_fields = ["unit"]


@admin.register(Indicator)
class IndicatorAdmin(PlanContentAdmin):
    list_display = ["key", "name", "plan", "origin", "unit", "direction"]
    list_filter = ["plan", "origin", "direction", "goal_area"]
    search_fields = ["key", "name", "source"]
    list_select_related = ["plan"]
    inlines = [IndicatorResponsibilityInline, IndicatorValueInline]
