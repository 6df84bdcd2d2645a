"""Branch pairing ("支部联支部", speech: party branches of offices and enterprises paired with
village branches for 主题党日, 志愿服务, 人居环境整治 and 产业帮扶): the register of branches, the
pairs for a period and their joint activities with a photo. The photo is stored and validated as a
case's attachments are (``cases.models``) and served only through the activity's scope.

Kept in ``cases`` (not ``governance``) so the photo reuses the attachments' validators: governance
is the base every app imports and cannot import an app's models. Imported at the end of
``cases.models``."""

from pathlib import PurePosixPath

from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import attachment_size_validate
from governance.dates import date_in_range
from governance.scoping import ScopedQuerySet

PHOTO_EXTENSIONS = ("jpg", "jpeg", "png")


class BranchKind(models.TextChoices):
    DEPARTMENT = "department", _("Department branch")
    INSTITUTION = "institution", _("Public institution branch")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise branch")
    VILLAGE = "village", _("Village (community) branch")


class ActivityKind(models.TextChoices):
    PARTY_DAY = "party_day", _("Themed party day (主题党日)")
    VOLUNTEERING = "volunteering", _("Volunteer service (志愿服务)")
    LIVING_ENVIRONMENT = "living_environment", _("Living-environment improvement (人居环境整治)")
    INDUSTRY = "industry", _("Industry support (产业帮扶)")


class PartyBranchQuerySet(ScopedQuerySet):
    # The unit the branch sits in (a village, a department, a township); the county sees them all.
    scope_fields = ("unit", "county")


class PartyBranch(models.Model):
    name = models.CharField(_("party branch"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=BranchKind.choices)
    unit = models.ForeignKey(
        "governance.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="party_branches",
        help_text=_("The village for a village branch; the department or township the office branch belongs to."),
    )
    county = models.ForeignKey(
        "governance.Unit", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    secretary = models.CharField(_("branch secretary"), max_length=50, blank=True)
    members = models.PositiveSmallIntegerField(_("party members"), default=0)

    history = HistoricalRecords()
    objects = PartyBranchQuerySet.as_manager()

    class Meta:
        verbose_name = _("party branch")
        verbose_name_plural = _("party branches")
        ordering = ["county", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="party_branch_name_per_unit")]

    def __str__(self):
        return self.name


class BranchPairQuerySet(ScopedQuerySet):
    scope_fields = ("village_branch__unit", "office_branch__unit", "village_branch__county")


class BranchPair(models.Model):
    office_branch = models.ForeignKey(
        PartyBranch, verbose_name=_("office branch"), on_delete=models.PROTECT, related_name="pairs_as_office"
    )
    village_branch = models.ForeignKey(
        PartyBranch, verbose_name=_("village branch"), on_delete=models.PROTECT, related_name="pairs_as_village"
    )
    start = models.DateField(_("start"), validators=[date_in_range])
    end = models.DateField(_("end"), null=True, blank=True, validators=[date_in_range])

    history = HistoricalRecords()
    objects = BranchPairQuerySet.as_manager()

    class Meta:
        verbose_name = _("branch pair")
        verbose_name_plural = _("branch pairs")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                name="branch_pair_period_in_order", condition=Q(end__isnull=True) | Q(end__gte=models.F("start"))
            )
        ]

    def __str__(self):
        return f"{self.office_branch} ↔ {self.village_branch}"


def activity_photo_path(instance, filename: str) -> str:
    return f"branch-activities/{instance.date:%Y}/{instance.pair_id}/{PurePosixPath(filename).name}"


class PairActivityQuerySet(ScopedQuerySet):
    scope_fields = ("pair__village_branch__unit", "pair__office_branch__unit", "pair__village_branch__county")


class PairActivity(models.Model):
    pair = models.ForeignKey(
        BranchPair, verbose_name=_("branch pair"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("activity"), max_length=20, choices=ActivityKind.choices)
    date = models.DateField(_("date"), validators=[date_in_range])
    participants = models.TextField(_("participants"))
    summary = models.TextField(_("what was done"), blank=True)
    photo = models.FileField(
        _("photo"),
        upload_to=activity_photo_path,
        max_length=250,
        blank=True,
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS), attachment_size_validate],
        help_text=_("jpg or png; at most 20 MB."),
    )

    history = HistoricalRecords()
    objects = PairActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint activity")
        verbose_name_plural = _("joint activities")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
