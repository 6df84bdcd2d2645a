"""The audit of import rows refused for naming a record outside the user's jurisdiction (issue 11.6).

Read-only, and for the city administrator alone (the only role holding ``governance.*``): a
refusal names a person whose record may lie in any county, and the user who asked.
"""

from django.contrib import admin

from governance.models import ImportJob, ImportRefusal
from governance.spreadsheets.registry import resource_class


@admin.register(ImportRefusal)
class ImportRefusalAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "resource", "row", "reason", "subject")
    list_filter = ("reason", "job__resource")
    list_select_related = ("job__user",)
    search_fields = ("subject", "job__user__username")
    fields = ("created_at", "job", "row", "reason", "subject")
    readonly_fields = fields
    date_hierarchy = "created_at"

    @admin.display(description=ImportJob._meta.get_field("user").verbose_name)
    def user(self, refusal):
        return refusal.job.user

    @admin.display(description=ImportJob._meta.get_field("resource").verbose_name)
    def resource(self, refusal):
        return resource_class(refusal.job.resource).sheet_name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
