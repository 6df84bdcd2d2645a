"""The township power list (权责清单; speech: "在全面梳理乡镇(街道)权力事项清单的基础上，坚持权责
对等原则"): every power a township holds, each with its legal basis, the office responsible and the
matching responsibility. Composed live from the catalogues in force plus the township's own
statutory powers (``TownshipPower``); publishing freezes it as a numbered version
(``PowerListVersion``), and a new version is published when items are devolved or withdrawn
(``governance.power_list``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.scoping import ScopedQuerySet


class TownshipPowerQuerySet(ScopedQuerySet):
    scope_fields = ("township",)


class TownshipPower(models.Model):
    """A power the township holds by statute itself (not devolved through a catalogue)."""

    township = models.ForeignKey(
        "governance.Unit", verbose_name=_("township"), on_delete=models.PROTECT, related_name="own_powers"
    )
    code = models.CharField(_("item code"), max_length=40)
    name = models.CharField(_("power"), max_length=200)
    legal_basis = models.TextField(_("legal basis"))
    office = models.CharField(_("responsible office"), max_length=100)
    responsibility = models.TextField(_("matching responsibility"))
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = TownshipPowerQuerySet.as_manager()

    class Meta:
        verbose_name = _("township's own power")
        verbose_name_plural = _("township's own powers")
        ordering = ["township", "code"]
        constraints = [models.UniqueConstraint(fields=["township", "code"], name="township_power_code_unique")]

    def __str__(self):
        return f"{self.code} {self.name}"


VERSION_FROZEN = _("A published power list never changes: publish a new version instead.")


class PowerListVersionQuerySet(ScopedQuerySet):
    scope_fields = ("township",)


class PowerListVersion(models.Model):
    """A published power list: a snapshot that never changes (rows as they were published)."""

    township = models.ForeignKey(
        "governance.Unit", verbose_name=_("township"), on_delete=models.PROTECT, related_name="power_lists"
    )
    number = models.PositiveIntegerField(_("version"))
    rows = models.JSONField(_("powers"), default=list, editable=False)
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    objects = PowerListVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("published power list")
        verbose_name_plural = _("published power lists")
        ordering = ["township", "-number"]
        constraints = [models.UniqueConstraint(fields=["township", "number"], name="power_list_version_unique")]

    def __str__(self):
        return f"{self.township} · v{self.number}"

    def save(self, *args, **kwargs):
        """A published version is frozen: a correction is published as the next version."""
        if not self._state.adding or (self.pk is not None and type(self).objects.filter(pk=self.pk).exists()):
            raise ValidationError(VERSION_FROZEN)
        super().save(*args, **kwargs)
