from django.contrib import admin

from governance.access import role_assign, role_revoke
from governance.admin.scoped import ScopedModelAdmin
from governance.models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedModelAdmin):
    """A city administrator gives a user a role in a unit in one step (DESIGN.md §2)."""

    list_display = ("user", "role", "unit", "granted_by", "granted_at")
    list_filter = ("role", "unit")
    list_select_related = ("user", "unit", "granted_by")
    search_fields = ("user__username", "user__first_name", "user__last_name", "unit__name")
    autocomplete_fields = ("user", "unit")
    # Users belong to no unit; only city administrators reach this screen (model permissions).
    shared_choice_fields = ("user",)

    def get_readonly_fields(self, request, obj=None):
        # An assignment is replaced, not edited: its group and grants follow (user, unit, role).
        return ("user", "unit", "role") if obj else ()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.pk = role_assign(user=obj.user, unit=obj.unit, role=obj.role, granted_by=request.user).pk

    def delete_model(self, request, obj):
        role_revoke(assignment=obj)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            role_revoke(assignment=assignment)
