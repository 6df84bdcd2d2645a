"""Catalogues of devolved powers (DESIGN.md M3, M4, M6; speech §一(二) "推动事权跟进").

- ``ServiceItem`` 政务服务事项: the provincial catalogue's items handled at township or village desks.
- ``EnforcementItem`` 行政执法事项: enforcement powers given to townships, under "dynamic list
  management" (清单化动态管理): each item has an effective period, so the list as it stood on any
  date is one query (``in_force_on``), and simple-history keeps every change.
- ``CoordinationItem`` 县乡协同事项: county departments' duties carried out locally by townships,
  with the working-day deadline profile a case raised under it runs on (the "13710" system).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.dates import date_in_range
from governance.models.units import Sector

PROMISED_OVER_STATUTORY = _("The promised time limit cannot be longer than the statutory one.")
HANDLING_MODE_WRONG_LEVEL = _("A %(level)s item cannot be handled as “%(mode)s”.")
EFFECTIVE_TO_BEFORE_FROM = _("An item cannot stop being in force before it starts.")
DEADLINES_OUT_OF_ORDER = _("Deadlines must not decrease: accept ≤ first feedback ≤ resolve ≤ close.")
UNKNOWN_CO_SECTOR = _("“%(sector)s” is not a known sector.")
DUPLICATE_CO_SECTOR = _("“%(sector)s” is listed more than once as a co-handling sector.")
LEAD_SECTOR_AS_CO_SECTOR = _("The lead sector cannot also be a co-handling sector.")


class ServiceLevel(models.TextChoices):
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")


class HandlingMode(models.TextChoices):
    TOWNSHIP = "township", _("Accepted and completed at the township")
    VILLAGE = "village", _("Accepted and completed at the village")
    VILLAGE_TO_TOWNSHIP = "village_to_township", _("Accepted at the village, completed at the township")


MODES_OF_LEVEL = {
    ServiceLevel.TOWNSHIP: {HandlingMode.TOWNSHIP},
    ServiceLevel.VILLAGE: {HandlingMode.VILLAGE, HandlingMode.VILLAGE_TO_TOWNSHIP},
}


class ServiceItem(models.Model):
    code = models.CharField(_("item code"), max_length=40, unique=True)
    name = models.CharField(_("item name"), max_length=200)
    level = models.CharField(_("handling level"), max_length=10, choices=ServiceLevel.choices)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    handling_mode = models.CharField(_("handling mode"), max_length=30, choices=HandlingMode.choices)
    statutory_limit_days = models.PositiveSmallIntegerField(_("statutory time limit (working days)"))
    promised_limit_days = models.PositiveSmallIntegerField(_("promised time limit (working days)"))
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="service_item_promise_within_statute",
                condition=Q(promised_limit_days__lte=models.F("statutory_limit_days")),
            ),
            models.CheckConstraint(
                name="service_item_mode_fits_level",
                condition=Q(level=ServiceLevel.TOWNSHIP, handling_mode=HandlingMode.TOWNSHIP)
                | Q(
                    level=ServiceLevel.VILLAGE,
                    handling_mode__in=[HandlingMode.VILLAGE, HandlingMode.VILLAGE_TO_TOWNSHIP],
                ),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        errors = {}
        if (
            self.statutory_limit_days is not None
            and self.promised_limit_days is not None
            and self.promised_limit_days > self.statutory_limit_days
        ):
            errors["promised_limit_days"] = PROMISED_OVER_STATUTORY
        if self.level in MODES_OF_LEVEL and self.handling_mode not in MODES_OF_LEVEL[self.level]:
            errors["handling_mode"] = ValidationError(
                HANDLING_MODE_WRONG_LEVEL,
                params={"level": self.get_level_display(), "mode": self.get_handling_mode_display()},
            )
        if errors:
            raise ValidationError(errors)


class EnforcementCategory(models.TextChoices):
    PENALTY = "penalty", _("Administrative penalty")
    COMPULSORY_MEASURE = "compulsory_measure", _("Administrative compulsory measure")
    INSPECTION = "inspection", _("Administrative inspection")
    OTHER = "other", _("Other")


class EnforcementItemQuerySet(models.QuerySet):
    def in_force_on(self, day) -> "EnforcementItemQuerySet":
        """The catalogue as it stood on ``day``: one query."""
        return self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day), effective_from__lte=day)


class EnforcementItem(models.Model):
    code = models.CharField(_("item code"), max_length=40, unique=True)
    name = models.CharField(_("item name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=EnforcementCategory.choices)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    source_sector = models.CharField(_("source sector"), max_length=30, choices=Sector.choices)
    # 9999-12-31 as "no end" is refused with a message (leave it empty instead), as is any date
    # outside 1900–2100 (governance.dates, issue 10).
    effective_from = models.DateField(_("in force from"), validators=[date_in_range])
    effective_to = models.DateField(
        _("in force until"),
        null=True,
        blank=True,
        validators=[date_in_range],
        help_text=_("Inclusive; empty while in force."),
    )

    history = HistoricalRecords()
    objects = EnforcementItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("enforcement item")
        verbose_name_plural = _("enforcement items")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="enforcement_item_period_in_order",
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
            )
        ]
        indexes = [models.Index(fields=["effective_from", "effective_to"], name="enforcement_item_period")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": EFFECTIVE_TO_BEFORE_FROM})


class CasePriority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


@dataclass(frozen=True)
class DeadlineProfile:
    """Working days from the start of a round to each step of an assignment."""

    accept_days: int = 1
    feedback_days: int = 3
    resolve_days: int = 7
    close_days: int = 10


THIRTEEN_SEVEN_TEN = DeadlineProfile()  # "13710": 1 / 3 / 7 / 10 working days (DESIGN.md §4)


class DeadlineRound(models.TextChoices):
    """The first round of an assignment, or the redo after the township rated it unsatisfied."""

    FIRST = "first", _("First round")
    REDO = "redo", _("Redo after an unsatisfied rating")


class CoordinationItem(models.Model):
    code = models.CharField(_("item code"), max_length=40, unique=True)
    name = models.CharField(_("item name"), max_length=200)
    lead_sector = models.CharField(_("lead sector"), max_length=30, choices=Sector.choices)
    co_sectors = models.JSONField(_("co-handling sectors"), default=list, blank=True)
    township_role = models.TextField(_("what the township does"), blank=True)
    workflow = models.TextField(_("workflow steps"), blank=True)
    resources = models.TextField(_("staffing and funding guarantees"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coordination item")
        verbose_name_plural = _("coordination items")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        seen = set()
        for sector in self.co_sectors or []:
            if sector not in Sector.values:
                raise ValidationError({"co_sectors": ValidationError(UNKNOWN_CO_SECTOR, params={"sector": sector})})
            if sector in seen:
                raise ValidationError(
                    {"co_sectors": ValidationError(DUPLICATE_CO_SECTOR, params={"sector": Sector(sector).label})}
                )
            seen.add(sector)
        if self.lead_sector in (self.co_sectors or []):
            raise ValidationError({"co_sectors": LEAD_SECTOR_AS_CO_SECTOR})

    def deadline_profile(self, priority: str, *, redo: bool = False) -> DeadlineProfile:
        """The item's profile for ``priority`` and round: a redo round without a profile of its own
        keeps the first round's; "13710" where none is set (issue 14)."""
        rows = {row.round_kind: row for row in self.deadlines.all() if row.priority == priority}
        row = (rows.get(DeadlineRound.REDO) if redo else None) or rows.get(DeadlineRound.FIRST)
        if row is None:
            return THIRTEEN_SEVEN_TEN
        return DeadlineProfile(row.accept_days, row.feedback_days, row.resolve_days, row.close_days)


class CoordinationDeadline(models.Model):
    item = models.ForeignKey(
        CoordinationItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="deadlines"
    )
    priority = models.CharField(_("priority"), max_length=10, choices=CasePriority.choices)
    round_kind = models.CharField(_("round"), max_length=10, choices=DeadlineRound.choices, default=DeadlineRound.FIRST)
    accept_days = models.PositiveSmallIntegerField(_("days to accept"), default=1)
    feedback_days = models.PositiveSmallIntegerField(_("days to first feedback"), default=3)
    resolve_days = models.PositiveSmallIntegerField(_("days to resolve"), default=7)
    close_days = models.PositiveSmallIntegerField(_("days to close"), default=10)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline profile")
        verbose_name_plural = _("deadline profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "priority", "round_kind"], name="coordination_deadline_one_per_priority_and_round"
            ),
            models.CheckConstraint(
                name="coordination_deadline_in_order",
                condition=Q(accept_days__gte=1)
                & Q(feedback_days__gte=models.F("accept_days"))
                & Q(resolve_days__gte=models.F("feedback_days"))
                & Q(close_days__gte=models.F("resolve_days")),
            ),
        ]

    def __str__(self):
        days = (self.accept_days, self.feedback_days, self.resolve_days, self.close_days)
        redo = f" · {self.get_round_kind_display()}" if self.round_kind == DeadlineRound.REDO else ""
        return f"{self.get_priority_display()}{redo} {'/'.join(map(str, days))}"

    def clean(self):
        fields = ["accept_days", "feedback_days", "resolve_days", "close_days"]
        days = [getattr(self, name) for name in fields]
        if None in days:
            return
        # Named on the first field out of order, so a form shows this message, not the constraint's.
        if days[0] < 1:
            raise ValidationError({fields[0]: DEADLINES_OUT_OF_ORDER})
        for name, previous, current in zip(fields[1:], days, days[1:], strict=False):
            if current < previous:
                raise ValidationError({name: DEADLINES_OUT_OF_ORDER})
