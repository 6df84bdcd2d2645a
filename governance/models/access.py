"""Who holds which role in which unit, and the object-permission table behind it."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase
from simple_history.models import HistoricalRecords

from governance.roles import Role, role_fits_unit
from governance.scoping import ScopedQuerySet


class UnitGroupObjectPermission(GroupObjectPermissionBase):
    """Guardian's direct-foreign-key table for grants on units.

    A real foreign key (not guardian's generic varchar object id) keeps the scoping
    query a plain join; guardian uses this table automatically for ``Unit``.
    """

    content_object = models.ForeignKey("governance.Unit", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("unit permission grant")
        verbose_name_plural = _("unit permission grants")


class RoleAssignmentQuerySet(ScopedQuerySet):
    scope_fields = ("unit",)


class RoleAssignment(models.Model):
    """A user holds a role in a unit. Made and removed only by ``governance.access``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    unit = models.ForeignKey("governance.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="role_assignment_unique")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def clean(self):
        if self.role and self.unit_id:
            role_fits_unit(self.role, self.unit)
