"""The township enforcement team ("一支队伍管执法", speech): the township staff who enforce the
devolved enforcement items, each with an enforcement credential (证件号, valid until) and the
items they may enforce. Every item in force needs at least one credentialled member in each
township (``governance.enforcement_team.items_lacking_enforcer``); credentials about to expire
are flagged ahead of time.

Members are staffing ``Cadre`` records (referenced here only by foreign key): the township's own
staff or cadres seconded to it and in force there.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.dates import date_in_range
from governance.scoping import ScopedQuerySet


class EnforcementMemberQuerySet(ScopedQuerySet):
    scope_fields = ("township",)

    def credentialled_on(self, day) -> "EnforcementMemberQuerySet":
        """Members whose credential is valid on ``day`` and who are still on the team."""
        return self.filter(credential_valid_until__gte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))


class EnforcementMember(models.Model):
    township = models.ForeignKey(
        "governance.Unit", verbose_name=_("township"), on_delete=models.PROTECT, related_name="enforcement_members"
    )
    cadre = models.ForeignKey(
        "staffing.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="enforcement_memberships"
    )
    credential_number = models.CharField(_("enforcement credential number"), max_length=40, unique=True)
    credential_valid_until = models.DateField(_("credential valid until"), validators=[date_in_range])
    items = models.ManyToManyField(
        "governance.EnforcementItem",
        verbose_name=_("enforcement items the member may enforce"),
        related_name="enforcers",
        blank=True,
    )
    left_on = models.DateField(_("left the team on"), null=True, blank=True, validators=[date_in_range])

    history = HistoricalRecords(m2m_fields=[items])
    objects = EnforcementMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("enforcement team member")
        verbose_name_plural = _("enforcement team members")
        ordering = ["township", "credential_valid_until", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["township", "cadre"], name="enforcement_member_once_per_township")
        ]

    def __str__(self):
        return f"{self.cadre.name} · {self.credential_number}"
