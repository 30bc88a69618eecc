from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from verksam.risks.models import InternalControlArea, InternalControlPoint, Risk, RiskAnalysis


class RiskInline(admin.StackedInline):
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
class RiskAnalysisAdmin(SimpleHistoryAdmin):
    list_display = ["key", "heading", "plan"]
    list_select_related = ["plan"]
    search_fields = ["key", "intro"]
    inlines = [RiskInline]


class InternalControlPointInline(admin.StackedInline):
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
class InternalControlAreaAdmin(SimpleHistoryAdmin):
    list_display = ["key", "title", "plan", "origin"]
    list_filter = ["plan", "origin"]
    list_select_related = ["plan"]
    search_fields = ["key", "title"]
    inlines = [InternalControlPointInline]
