"""A township's offices and centres and the staff in each (issue 15 item 4).

Speech §二: "把职能弱化、自收自支单位的人员和未入编人员，充实到乡镇……各办各中心，实现人、事匹配". Each office
has a quota per establishment (行政编制, 事业编制); each member of staff has an establishment category
and a source (本级; 划转 from a named unit, recorded by a transfer; 派驻). Headcount against quota by
category and by office shows a county where people and work do not match.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.dates import date_in_range
from governance.models import Unit, UnitLevel
from governance.scoping import ScopedQuerySet
from staffing.models import Cadre


class OfficeKind(models.TextChoices):
    PARTY_GOVERNMENT = "party_government", _("Party and government office (党政办)")
    SOCIAL_GOVERNANCE = "social_governance", _("Social governance office (社会治理室)")
    ENFORCEMENT = "enforcement", _("Comprehensive enforcement team (综合执法队)")
    SERVICE_CENTRE = "service_centre", _("Convenience service centre (便民服务中心)")
    PARTY_BUILDING = "party_building", _("Party building office (党建办)")
    ECONOMY = "economy", _("Economic development office (经济发展办)")
    AGRICULTURE = "agriculture", _("Agriculture and rural affairs office (农业农村办)")
    OTHER = "other", _("Other office or centre")


class Establishment(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administrative establishment (行政编制)")
    INSTITUTION = "institution", _("Institution establishment (事业编制)")
    NONE = "none", _("Without establishment (未入编)")


class StaffSource(models.TextChoices):
    OWN = "own", _("The township's own (本级)")
    TRANSFERRED = "transferred", _("Transferred in (划转)")
    SECONDED = "seconded", _("Seconded (派驻)")


OFFICE_IN_TOWNSHIP = _("An office or centre belongs to a township-level unit.")
STAFF_SOURCE_UNIT = _("Name the unit the staff member was transferred or seconded from; leave it empty for 本级.")
STAFF_NOT_OF_TOWNSHIP = _("Only the township's own staff and the cadres seconded to it work in its offices.")
TRANSFER_TO_ANOTHER_UNIT = _("A transfer moves staff in from another unit.")


class TownshipOfficeQuerySet(ScopedQuerySet):
    scope_fields = ("township",)


class TownshipOffice(models.Model):
    township = models.ForeignKey(Unit, verbose_name=_("township"), on_delete=models.PROTECT, related_name="offices")
    kind = models.CharField(_("kind"), max_length=20, choices=OfficeKind.choices)
    name = models.CharField(_("name"), max_length=50)
    administrative_quota = models.PositiveSmallIntegerField(_("administrative posts (行政编制)"), default=0)
    institution_quota = models.PositiveSmallIntegerField(_("institution posts (事业编制)"), default=0)

    history = HistoricalRecords()
    objects = TownshipOfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("township office or centre")
        verbose_name_plural = _("township offices and centres")
        ordering = ["township__path", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="township_office_name_unique")]

    def __str__(self):
        return f"{self.township.name} · {self.name}"

    def clean(self):
        if self.township_id and self.township.level != UnitLevel.TOWNSHIP:
            raise ValidationError({"township": OFFICE_IN_TOWNSHIP})


class OfficeStaffQuerySet(ScopedQuerySet):
    scope_fields = ("office__township",)


class OfficeStaff(models.Model):
    """A person working in one of the township's offices (one office at a time)."""

    office = models.ForeignKey(TownshipOffice, verbose_name=_("office"), on_delete=models.PROTECT, related_name="staff")
    cadre = models.OneToOneField(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="office_post")
    establishment = models.CharField(_("establishment"), max_length=20, choices=Establishment.choices)
    source = models.CharField(_("source"), max_length=20, choices=StaffSource.choices, default=StaffSource.OWN)
    source_unit = models.ForeignKey(
        Unit,
        verbose_name=_("transferred or seconded from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    since = models.DateField(_("in the office since"), validators=[date_in_range])

    history = HistoricalRecords()
    objects = OfficeStaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("office staff member")
        verbose_name_plural = _("office staff")
        ordering = ["office", "cadre__name"]
        constraints = [
            models.CheckConstraint(
                name="office_staff_source_unit",
                condition=Q(source=StaffSource.OWN, source_unit__isnull=True)
                | (~Q(source=StaffSource.OWN) & Q(source_unit__isnull=False)),
                violation_error_message=STAFF_SOURCE_UNIT,
            )
        ]

    def __str__(self):
        return f"{self.office} · {self.cadre}"

    def clean(self):
        if (self.source == StaffSource.OWN) == bool(self.source_unit_id):
            raise ValidationError({"source_unit": STAFF_SOURCE_UNIT})


class StaffTransferQuerySet(ScopedQuerySet):
    scope_fields = ("township", "from_unit")


class StaffTransfer(models.Model):
    """Staff moved into a township from another unit (划转): a weakened or self-funded institution, or
    staff without an establishment post. Recorded once, by ``staff_transfer_in``."""

    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="transfers")
    from_unit = models.ForeignKey(Unit, verbose_name=_("from unit"), on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(Unit, verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(TownshipOffice, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+")
    establishment = models.CharField(_("establishment"), max_length=20, choices=Establishment.choices)
    transferred_on = models.DateField(_("transferred on"), validators=[date_in_range])
    document = models.CharField(_("document number"), max_length=100, blank=True, help_text=_("e.g. 清编〔2026〕3号"))
    reason = models.TextField(_("reason"), blank=True)

    history = HistoricalRecords()
    objects = StaffTransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff transfer")
        verbose_name_plural = _("staff transfers")
        ordering = ["-transferred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="staff_transfer_from_another_unit",
                condition=~Q(from_unit=models.F("township")),
                violation_error_message=TRANSFER_TO_ANOTHER_UNIT,
            )
        ]

    def __str__(self):
        return f"{self.cadre} · {self.from_unit} → {self.township}"
