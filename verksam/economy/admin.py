"""The admin shows economy data read-only: it is written by the import, the forecast and
carry-over forms, the API and the commands, whose services check periods, versions and
permissions."""

from django.contrib import admin

from verksam.economy.models import CarryOver, Forecast, Outcome, OutcomeImport, OutcomeMapping
from verksam.followup.admin import ReadOnlyAdmin


@admin.register(OutcomeMapping)
class OutcomeMappingAdmin(ReadOnlyAdmin):
    list_display = ["plan", "account", "cost_centre", "activity", "project", "row"]


@admin.register(OutcomeImport)
class OutcomeImportAdmin(ReadOnlyAdmin):
    list_display = ["period", "file_name", "format", "imported_at", "imported_by"]


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyAdmin):
    list_display = ["period", "row", "amount"]


@admin.register(Forecast)
class ForecastAdmin(ReadOnlyAdmin):
    list_display = ["period", "row", "amount", "basis", "version"]


@admin.register(CarryOver)
class CarryOverAdmin(ReadOnlyAdmin):
    list_display = ["period", "row", "proposed", "decision", "approved"]
