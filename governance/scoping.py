"""The one jurisdiction rule: which units a user may act in, for a capability.

Every scoped queryset, form choice, autocomplete, import and export asks ``units_for``
(directly, or through ``ScopedQuerySet.for_user``). Grants live on units, never on rows,
so the grant table stays small while cases grow to millions (DESIGN.md §3).
"""

import operator
from functools import reduce

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

from governance.roles import Capability


def sees_everything(user) -> bool:
    """Superusers and city administrators see every unit (DESIGN.md §2): a city administrator's
    grants sit on the city, the one unit at city level. Cached with the grants per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(level == "city" for _unit, level in unit_grants(user, Capability.SEE_RECORDS))


def holds_any(user, capability: str) -> bool:
    """Whether the user may act anywhere for ``capability`` (a screen offers its "add" button):
    the grants already read for the request, no query of its own."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or bool(unit_grants(user, capability))


def units_for(user, capability: str = Capability.SEE_RECORDS) -> QuerySet:
    """Units the user may act in for ``capability``: every unit under a unit where one of the
    user's (unit, role) groups holds that object permission. The granted units' paths are read once
    per request with the grants (``unit_grants``), so the scope is a prefix match on the indexed
    path, not a subquery over guardian's tables repeated in every clause that uses it (issue 12:
    the home page's staffing queues repeated it in every FILTER)."""
    from governance.models import Unit

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    paths = granted_paths(user, capability)
    if not paths:
        return Unit.objects.none()
    return Unit.objects.filter(reduce(operator.or_, (Q(path__startswith=path) for path in paths)))


def unit_grants(user, capability: str = Capability.SEE_RECORDS) -> list[tuple[int, str]]:
    """(unit id, level) of each unit where the user holds ``capability``: the roots of their scope,
    a handful of rows however big the tables are."""
    return [(unit_id, level) for unit_id, level, _path in _grants(user).get(capability, [])]


def granted_paths(user, capability: str = Capability.SEE_RECORDS) -> list[str]:
    """The materialised paths of the units where the user holds ``capability``."""
    return [path for _unit_id, _level, path in _grants(user).get(capability, [])]


def _grants(user) -> dict[str, list[tuple[int, str, str]]]:
    """Every capability's granted units (id, level, path) in one query, cached on the user object
    for the request (``governance.access`` clears it when it gives or takes a role)."""
    from governance.models import UnitGroupObjectPermission

    # getattr, not __dict__: request.user is a lazy proxy whose own __dict__ is not the user's.
    cached = getattr(user, "_unit_grants", None)
    if cached is None:
        grants: dict[str, set[tuple[int, str, str]]] = {}
        rows = UnitGroupObjectPermission.objects.filter(
            group__user=user, permission__content_type__app_label="governance"
        ).values_list("permission__codename", "content_object_id", "content_object__level", "content_object__path")
        for codename, unit_id, level, path in rows:
            grants.setdefault(codename, set()).add((unit_id, level, path))
        cached = user._unit_grants = {codename: sorted(units) for codename, units in grants.items()}
    return cached


DEPARTMENTS = ("departments",)  # a unit filter's choice: the departments near the user (below)


def departments_near(user, capability: str = Capability.SEE_RECORDS) -> QuerySet:
    """The departments of the counties the user's grants lie in: whom a township's clerk or a
    department's officer may look for in a list of assignments (public names, not records)."""
    from governance.models import Unit, UnitKind

    departments = Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("path")
    if sees_everything(user):
        return departments
    counties = {path.split("/")[2] for path in granted_paths(user, capability) if path.count("/") > 2}
    return departments.filter(parent__code__in=counties)


def townships_near(user, capability: str) -> QuerySet:
    """The township-level units of the counties the user's grants for ``capability`` lie in: where a
    department may second its cadres (public names, not records)."""
    from governance.models import Unit, UnitLevel

    townships = Unit.objects.filter(level=UnitLevel.TOWNSHIP).order_by("path")
    if sees_everything(user):
        return townships
    counties = {path.split("/")[2] for path in granted_paths(user, capability) if path.count("/") > 2}
    return townships.filter(parent__code__in=counties)


def units_held(user, capabilities, units) -> dict[str, set[int]]:
    """For each capability, which of ``units`` (units, or their ids) the user may act in: the rule
    of ``units_for`` (the unit or one above it granted). The paths of units already read come with
    them; those of bare ids in one query whatever the number of capabilities, so a page's step
    buttons ask nothing more than the rows they show (issue 12)."""
    from governance.models import Unit

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {capability: set() for capability in capabilities}
    units = list(units)
    paths = {unit.pk: unit.path for unit in units if isinstance(unit, Unit)}
    unread = {unit for unit in units if not isinstance(unit, Unit)} - set(paths)
    if unread:
        paths.update(Unit.objects.filter(pk__in=unread).values_list("pk", "path"))
    if user.is_superuser:
        return {capability: set(paths) for capability in capabilities}
    return {
        capability: {pk for pk, path in paths.items() if path.startswith(tuple(granted_paths(user, capability)))}
        for capability in capabilities
    }


def unit_in_scope(user, unit, capability: str = Capability.SEE_RECORDS) -> bool:
    """Whether ``units_for(user, capability)`` holds this unit, from its path: no query."""
    return unit.pk in units_held(user, (capability,), [unit])[capability]


def holds(user, capability: str, unit_id) -> bool:
    """Whether ``user`` may act in this one unit for ``capability`` (a grant above it counts):
    the check every service makes again before it changes anything."""
    return units_for(user, capability).filter(pk=unit_id).exists()


class ScopedQuerySet(QuerySet):
    """A queryset that knows which foreign keys lead to the units its rows belong to.

    ``scope_fields`` are lookups ending at a ``Unit`` (or "pk" for units themselves);
    a row is in scope when any of them is a unit the user may act in.

    The big tables (cases, assignments, service requests) declare ``scope_by_level`` instead: for
    each level a grant can sit at, the column of the row that holds its unit of that level (or a
    function of the granted ids giving a ``Q``). A grant on a county is then ``county_id IN (…)``
    on an indexed column, not a subquery over the tree for every row (issue 12). A level a model
    does not list holds none of its rows (a department holds no service request).
    """

    scope_fields: tuple[str, ...] = ()
    scope_by_level: dict = {}

    def for_user(self, user, capability: str = Capability.SEE_RECORDS) -> "ScopedQuerySet":
        return self.filter(self.scope_q(user, capability))

    def scope_q(self, user, capability: str = Capability.SEE_RECORDS) -> Q:
        """The condition a row of this table meets when it is in the user's scope (``Q()``: all)."""
        if sees_everything(user):
            return Q()
        if self.scope_by_level:
            return self._grants_q(unit_grants(user, capability))
        if not self.scope_fields:
            raise ImproperlyConfigured(f"{self.model.__name__} queryset declares no scope_fields.")
        units = units_for(user, capability)
        in_scope = Q(pk__in=[])
        for field in self.scope_fields:
            in_scope |= Q(**{f"{field}__in": units.values("pk")})
        return in_scope

    def _grants_q(self, grants: list[tuple[int, str]]) -> Q:
        by_level: dict[str, list[int]] = {}
        for unit_id, level in grants:
            by_level.setdefault(level, []).append(unit_id)
        if "city" in by_level:
            return Q()
        in_scope = Q(pk__in=[])
        for level, ids in by_level.items():
            where = self.scope_by_level.get(level)
            if where is not None:
                in_scope |= where(ids) if callable(where) else Q(**{f"{where}__in": ids})
        return in_scope
