"""The admin shows follow-up data read-only: it is written through the pages, the API and
the commands, whose services check periods, versions and permissions. It shows a round's
rounds and snapshots only to controllers of the round's plan (the board), and never a
snapshot's data: its page shows each person what they may read of it
(`followup.reporting.readable_data`)."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from rules.contrib.admin import ObjectPermissionsModelAdmin

from verksam.core.admin import AuditedAdmin
from verksam.followup.models import ReportingPeriod, Snapshot
from verksam.plans.admin import controlled


class ReadOnlyAdmin(ObjectPermissionsModelAdmin, AuditedAdmin):
    """Read-only, and only the rows of plans the user controls."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return controlled(super().get_queryset(request), request.user)

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
    """A snapshot's facts; its data is read on its page ("View on site"), which shows each
    person what they may read of it."""

    list_display = ["period", "number", "taken_at", "taken_by"]
    fields = ["period", "number", "taken_at", "taken_by"]
