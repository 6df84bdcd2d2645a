"""The one jurisdiction rule: which units a user may act in, for a capability.

Every scoped queryset, form choice, autocomplete, import and export asks ``units_for``
(directly, or through ``ScopedQuerySet.for_user``). Grants live on units, never on rows,
so the grant table stays small while cases grow to millions (DESIGN.md §3).
"""

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import StartsWith

from governance.roles import Capability, Role


def sees_everything(user) -> bool:
    """Superusers and city administrators see every unit (DESIGN.md §2). Cached per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_sees_everything"):
        from governance.models import RoleAssignment

        user._sees_everything = RoleAssignment.objects.filter(user=user, role=Role.CITY_ADMIN).exists()
    return user._sees_everything


def units_for(user, capability: str = Capability.SEE_RECORDS) -> QuerySet:
    """Units the user may act in for ``capability``: every unit under a unit where one of the
    user's (unit, role) groups holds that object permission. One query, no recursion.
    A city administrator's grants sit on the city, so they reach every unit the same way."""
    from governance.models import Unit, UnitGroupObjectPermission

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    granted_above = UnitGroupObjectPermission.objects.filter(
        StartsWith(OuterRef("path"), F("content_object__path")),
        group__user=user,
        permission__codename=capability,
        permission__content_type__app_label="governance",
    )
    return Unit.objects.filter(Exists(granted_above))


def holds(user, capability: str, unit_id) -> bool:
    """Whether ``user`` may act in this one unit for ``capability`` (a grant above it counts):
    the check every service makes again before it changes anything."""
    return units_for(user, capability).filter(pk=unit_id).exists()


class ScopedQuerySet(QuerySet):
    """A queryset that knows which foreign keys lead to the units its rows belong to.

    ``scope_fields`` are lookups ending at a ``Unit`` (or "pk" for units themselves);
    a row is in scope when any of them is a unit the user may act in.
    """

    scope_fields: tuple[str, ...] = ()

    def for_user(self, user, capability: str = Capability.SEE_RECORDS) -> "ScopedQuerySet":
        if not self.scope_fields:
            raise ImproperlyConfigured(f"{self.model.__name__} queryset declares no scope_fields.")
        if sees_everything(user):
            return self
        units = units_for(user, capability)
        in_scope = Q()
        for field in self.scope_fields:
            in_scope |= Q(**{f"{field}__in": units.values("pk")})
        return self.filter(in_scope)
