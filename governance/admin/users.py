"""Users, as a city administrator maintains them (DESIGN.md §2).

Django's user admin lets anyone who may change users also tick "superuser", groups and
permissions; here only a superuser may. Roles are given through role assignments (the inline
lists them), which keeps groups and django-guardian grants in step.

A city administrator manages the users below the city level only: superusers, other city
administrators and their own account are not on their list, so no door of this admin (change,
password, history, delete, autocomplete) reaches them. Otherwise one city administrator could set
the superuser's password and sign in as it (issue 11). Their own password they change through
"修改密码", which asks for the old one.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from governance.admin.lookups import DeclaredLookupsMixin
from governance.admin.relations import SafeRelationsMixin
from governance.models import RoleAssignment
from governance.roles import Role

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


def users_manageable_by(actor, queryset=None):
    """The users ``actor`` may see and change in the user admin."""
    queryset = User.objects.all() if queryset is None else queryset
    # API clients' service users are managed on the API clients' screen (governance.api.admin).
    queryset = queryset.filter(api_client__isnull=True)
    if actor.is_superuser:
        return queryset
    city_role = RoleAssignment.objects.filter(user=OuterRef("pk"), role=Role.CITY_ADMIN)
    return queryset.filter(is_superuser=False).exclude(Exists(city_role)).exclude(pk=actor.pk)


class GovernanceUserAdmin(DeclaredLookupsMixin, SafeRelationsMixin, UserAdmin):
    inlines = (RoleAssignmentInline,)
    _PRIVILEGE_FIELDS = ("is_superuser", "groups", "user_permissions")

    def get_queryset(self, request):
        return users_manageable_by(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        return readonly + self._PRIVILEGE_FIELDS


class GovernanceGroupAdmin(SafeRelationsMixin, GroupAdmin):
    """Django's group admin (superusers only), with permission choices that refuse bad keys."""


admin.site.unregister(User)
admin.site.register(User, GovernanceUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, GovernanceGroupAdmin)
