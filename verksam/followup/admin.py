"""The admin shows follow-up data read-only: it is written through the pages, the API and
the commands, whose services check periods, versions and permissions."""

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from verksam.followup.models import ReportingPeriod, Snapshot


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind", "as_of", "deadline", "status"]
    list_filter = ["status", "kind"]


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["period", "number", "taken_at", "taken_by"]
