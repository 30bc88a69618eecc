from django.contrib import admin

from verksam.indicators.models import Indicator, IndicatorResponsibility, IndicatorValue


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0
    fields = ["label", "kind", "year", "raw", "women_raw", "men_raw", "position"]


class IndicatorResponsibilityInline(admin.TabularInline):
    model = IndicatorResponsibility
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "plan", "origin", "unit", "direction"]
    list_filter = ["plan", "origin", "direction", "goal_area"]
    search_fields = ["key", "name", "source"]
    list_select_related = ["plan"]
    inlines = [IndicatorResponsibilityInline, IndicatorValueInline]
