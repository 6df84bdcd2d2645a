"""Users, as a city administrator maintains them (DESIGN.md §2).

Django's user admin lets anyone who may change users also tick "superuser", groups and
permissions; here only a superuser may. Roles are given through role assignments (the inline
lists them), which keeps groups and django-guardian grants in step.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from governance.models import RoleAssignment

User = get_user_model()


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    fields = ("role", "unit", "granted_by", "granted_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # added on the role assignment page, through the service


class GovernanceUserAdmin(UserAdmin):
    inlines = (RoleAssignmentInline,)
    _PRIVILEGE_FIELDS = ("is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        return readonly + self._PRIVILEGE_FIELDS


admin.site.unregister(User)
admin.site.register(User, GovernanceUserAdmin)
