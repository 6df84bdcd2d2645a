"""Village convenience-service terminals (speech: "在村(社区)建立便民服务终端"): which villages have
one, which village-level service items it offers, and its keeper. The service requests logged
there are the village desk's own ``ServiceRequest`` rows: the terminal links to them, it does not
copy them (``cases.terminal_services.terminal_requests``). Imported at the end of ``cases.models``."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.dates import date_in_range
from governance.scoping import ScopedQuerySet


class VillageTerminalQuerySet(ScopedQuerySet):
    scope_fields = ("village",)


class VillageTerminal(models.Model):
    village = models.OneToOneField(
        "governance.Unit", verbose_name=_("village"), on_delete=models.PROTECT, related_name="service_terminal"
    )
    place = models.CharField(_("place"), max_length=200)
    keeper = models.CharField(_("keeper"), max_length=50)
    keeper_phone = models.CharField(_("keeper's phone"), max_length=20)
    opened_on = models.DateField(_("opened on"), validators=[date_in_range])
    items = models.ManyToManyField(
        "governance.ServiceItem", verbose_name=_("service items offered"), related_name="terminals", blank=True
    )

    history = HistoricalRecords(m2m_fields=[items])
    objects = VillageTerminalQuerySet.as_manager()

    class Meta:
        verbose_name = _("village service terminal")
        verbose_name_plural = _("village service terminals")
        ordering = ["village__path"]

    def __str__(self):
        return f"{self.village} · {self.place}"
