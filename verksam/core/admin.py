"""The admin's base for every audited model (each app's admin builds on it)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin


class AuditedAdmin(SimpleHistoryAdmin):
    """Shows an object's history; the history itself is evidence and is never written
    through the admin (simple-history's revert form would save on POST even with revert
    disabled in the settings)."""

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):  # type: ignore[no-untyped-def]
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
