"""Unannounced inspections ("四不两直", speech: leaders go without notice, greeting, briefing or
escort, straight to the grassroots and the site) and what they found.

Each finding can raise a case in one step (``cases.inspection_services``): the case enters
whistle-and-report like a clerk's, with its dues and the item's co-handling departments, and the
finding keeps the link, so the inspection shows how its cases ended. Imported at the end of
``cases.models`` so the app registry and makemigrations see these models.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case
from governance.dates import date_in_range
from governance.models import CasePriority
from governance.scoping import ScopedQuerySet


class InspectionQuerySet(ScopedQuerySet):
    scope_fields = ("township",)

    def annotate_findings(self) -> "InspectionQuerySet":
        return self.annotate(findings_count=models.Count("findings")).order_by("-date", "-pk")


class Inspection(models.Model):
    township = models.ForeignKey(
        "governance.Unit", verbose_name=_("township inspected"), on_delete=models.PROTECT, related_name="inspections"
    )
    leader = models.CharField(_("inspecting leader"), max_length=50)
    leader_title = models.CharField(_("leader's post"), max_length=100, blank=True)
    date = models.DateField(_("inspection date"), validators=[date_in_range])
    places = models.TextField(_("places visited"))
    unannounced = models.BooleanField(
        _("unannounced (四不两直)"),
        default=True,
        help_text=_("No notice, no greeting, no briefing, no escort; straight to the grassroots and the site."),
    )
    companions = models.CharField(_("companions"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.leader} · {self.township}"


class InspectionFindingQuerySet(ScopedQuerySet):
    scope_fields = ("inspection__township",)


class InspectionFinding(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT, related_name="findings"
    )
    title = models.CharField(_("finding"), max_length=200)
    description = models.TextField(_("description"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    village = models.ForeignKey(
        "governance.Unit", verbose_name=_("village"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    item = models.ForeignKey(
        "governance.CoordinationItem",
        verbose_name=_("coordination item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    priority = models.CharField(_("priority"), max_length=10, choices=CasePriority.choices, default=CasePriority.NORMAL)
    # The case the finding raised: whistle-and-report carries it from here (one case per finding).
    case = models.OneToOneField(
        Case,
        verbose_name=_("case raised"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_finding",
        editable=False,
    )
    recorded_at = models.DateTimeField(_("recorded at"), editable=False)

    history = HistoricalRecords()
    objects = InspectionFindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["inspection", "recorded_at", "pk"]

    def __str__(self):
        return self.title
