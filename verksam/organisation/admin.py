from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from verksam.core.admin import AuditedAdmin
from verksam.organisation.models import OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(ObjectPermissionsModelAdmin, AuditedAdmin):
    list_display = ["code", "name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent"]
