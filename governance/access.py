"""Services that give and take roles (DESIGN.md §2).

``role_assign`` is the one way a user gets a role in a unit: it adds the user to the role's
group (model permissions) and to the (unit, role) group that holds the role's capabilities
as django-guardian object permissions on that unit.
"""

from importlib import import_module

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from guardian.shortcuts import assign_perm

from governance.models import RoleAssignment, Unit
from governance.roles import ROLE_PERMISSION_MODULES, ROLE_SPECS, role_fits_unit


def role_group_name(role: str) -> str:
    return f"role:{role}"


def unit_role_group_name(unit: Unit, role: str) -> str:
    """Keyed by the unit's primary key, never by its code: a code can change and be given to a
    new unit, whose clerk then found the old group, grants and all, by name (issue 11)."""
    return f"unit:{unit.pk}:{role}"


def _model_permissions(role: str, using="default"):
    """The role's model permissions: those of its spec plus those each app grants it."""
    entries = list(ROLE_SPECS[role].model_permissions)
    for module_name in ROLE_PERMISSION_MODULES:
        entries += import_module(module_name).ROLE_MODEL_PERMISSIONS.get(role, ())
    query = Permission.objects.using(using).none()
    for entry in entries:
        app_label, codename = entry.split(".", 1)
        scope = Permission.objects.using(using).filter(content_type__app_label=app_label)
        query |= scope if codename == "*" else scope.filter(codename=codename)
    return query


def role_groups_sync(using: str = "default") -> None:
    """Make each role's group hold exactly the model permissions its spec names. Idempotent."""
    for role in ROLE_SPECS:
        group, _created = Group.objects.using(using).get_or_create(name=role_group_name(role))
        group.permissions.set(_model_permissions(role, using))


def _role_group(role: str) -> Group:
    group, created = Group.objects.get_or_create(name=role_group_name(role))
    if created:
        group.permissions.set(_model_permissions(role))
    return group


def _unit_role_group(unit: Unit, role: str) -> Group:
    group, created = Group.objects.get_or_create(name=unit_role_group_name(unit, role))
    if created:
        for capability in ROLE_SPECS[role].capabilities:
            assign_perm(f"governance.{capability}", group, unit)
    return group


def _forget_cached_scope(user) -> None:
    """What ``governance.scoping`` cached on this user object answered for the roles held before."""
    if getattr(user, "_unit_grants", None) is not None:
        del user._unit_grants


@transaction.atomic
def role_assign(*, user, unit: Unit, role: str, granted_by=None) -> RoleAssignment:
    """Give ``user`` the ``role`` in ``unit``. Assigning a role already held changes nothing."""
    role_fits_unit(role, unit)
    role_group = _role_group(role)
    unit_group = _unit_role_group(unit, role)
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"group": unit_group, "granted_by": granted_by}
    )
    user.groups.add(role_group, unit_group)
    _forget_cached_scope(user)
    if not user.is_staff:
        user.is_staff = True  # the admin is the application's UI
        user.save(update_fields=["is_staff"])
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment) -> None:
    """Take a role back; the user leaves the role's group once no unit holds that role for them."""
    user = assignment.user
    assignment.delete()
    user.groups.remove(assignment.group)
    _forget_cached_scope(user)
    if not RoleAssignment.objects.filter(user=user, role=assignment.role).exists():
        user.groups.remove(Group.objects.get(name=role_group_name(assignment.role)))
