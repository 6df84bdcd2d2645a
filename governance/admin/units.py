from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from governance.admin.scoped import ScopedModelAdmin
from governance.models import Unit
from governance.scoping import unit_in_scope
from governance.spreadsheets.admin import SpreadsheetAdminMixin


@admin.register(Unit)
class UnitAdmin(SpreadsheetAdminMixin, ScopedModelAdmin):
    sheet_resource = "unit"
    list_display = ("name", "code", "kind", "parent", "sector", "staff_quota", "pilot")
    list_filter = ("level", "kind", "pilot", "sector")
    list_select_related = ("parent",)
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    readonly_fields = ("level",)
    fieldsets = (
        (None, {"fields": ("name", "code", "kind", "level", "parent")}),
        (_("Departments"), {"fields": ("sector",)}),
        (_("Townships"), {"fields": ("staff_quota", "pilot")}),
    )

    def holds_row(self, request, obj) -> bool:
        return unit_in_scope(request.user, obj, self.scope_capability)
