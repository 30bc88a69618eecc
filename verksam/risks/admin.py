from django.contrib import admin

from verksam.plans.admin import PlanContentAdmin, PlanContentStackedInline
from verksam.risks.models import InternalControlArea, InternalControlPoint, Risk, RiskAnalysis


class RiskInline(PlanContentStackedInline):
    model = Risk
    extra = 0
    fields = [
        "key",
        "title",
        "description",
        ("measures_label", "measures"),
        ("probability", "consequence"),
        "position",
    ]


@admin.register(RiskAnalysis)
class RiskAnalysisAdmin(PlanContentAdmin):
    list_display = ["key", "heading", "plan"]
    list_select_related = ["plan"]
    search_fields = ["key", "intro"]
    inlines = [RiskInline]


class InternalControlPointInline(PlanContentStackedInline):
    model = InternalControlPoint
    extra = 0
    fields = [
        "key",
        "risk",
        "control",
        "method",
        ("responsible_raw", "responsible_units"),
        ("frequency", "reporting"),
        "position",
    ]
    autocomplete_fields = ["responsible_units"]


@admin.register(InternalControlArea)
class InternalControlAreaAdmin(PlanContentAdmin):
    list_display = ["key", "title", "plan", "origin"]
    list_filter = ["plan", "origin"]
    list_select_related = ["plan"]
    search_fields = ["key", "title"]
    inlines = [InternalControlPointInline]
