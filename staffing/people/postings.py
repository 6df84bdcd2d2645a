"""Postings both ways (issue 15 item 3).

Speech §二: "开展干部双向交流任职……选派……到项目建设一线和基层治理一线". A posting takes a cadre from any
unit of the county or city to another unit (department → township, township → department, …) or out
to a front line (a project, grassroots governance, a task force), as 挂职, 交流任职 or 选派.

派驻 (a department's cadre serving in a township, under the township's three powers) stays the
``Secondment`` with its three-hands workflow and its history: it is shown beside these postings as
the kind 派驻 (``staffing.people.posting_services.unit_postings``), and only there do the township's
powers apply.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.dates import date_in_range
from governance.models import Unit
from governance.scoping import ScopedQuerySet
from staffing.models import Cadre


class PostingKind(models.TextChoices):
    ATTACHED = "attached", _("Temporary post (挂职)")
    EXCHANGE = "exchange", _("Exchange posting (交流任职)")
    SELECTED = "selected", _("Selected and sent (选派)")
    SECONDED = "seconded", _("Secondment to a township (派驻)")


# 派驻 is recorded as a Secondment (its workflow carries the township's powers); a Posting is one of these.
POSTING_KINDS = (PostingKind.ATTACHED, PostingKind.EXCHANGE, PostingKind.SELECTED)


class Destination(models.TextChoices):
    UNIT = "unit", _("A unit of the county or city")
    PROJECT = "project", _("Project construction front line")
    GRASSROOTS = "grassroots", _("Grassroots governance front line")
    TASK_FORCE = "task_force", _("Task force (工作专班)")


POSTING_KIND_IS_SECONDMENT = _("A 派驻 to a township is recorded as a secondment, where the township's powers apply.")
POSTING_NEEDS_HOST = _("Name the host unit.")
POSTING_NEEDS_FRONT_LINE = _("Name the project, front line or task force the cadre is sent to.")
POSTING_SAME_UNIT = _("A posting takes the cadre to another unit than the one it comes from.")
POSTING_END_BEFORE_START = _("A posting cannot end before it starts.")
POSTING_ONE_LIVE = _("The cadre already has a posting not yet ended; end it first.")


class PostingQuerySet(ScopedQuerySet):
    scope_fields = ("from_unit", "to_unit")

    def live(self):
        return self.filter(actual_end__isnull=True)


class Posting(models.Model):
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="postings")
    kind = models.CharField(_("kind"), max_length=20, choices=[(k.value, k.label) for k in POSTING_KINDS])
    from_unit = models.ForeignKey(
        Unit, verbose_name=_("from unit"), on_delete=models.PROTECT, related_name="postings_out"
    )
    destination = models.CharField(
        _("destination"), max_length=20, choices=Destination.choices, default=Destination.UNIT
    )
    to_unit = models.ForeignKey(
        Unit,
        verbose_name=_("host unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings_in",
    )
    front_line = models.CharField(
        _("front line"), max_length=100, blank=True, help_text=_("The project, front line or task force, by name.")
    )
    post = models.CharField(_("post at the host"), max_length=100)
    start_date = models.DateField(_("start date"), validators=[date_in_range])
    planned_end = models.DateField(_("planned end"), null=True, blank=True, validators=[date_in_range])
    actual_end = models.DateField(_("actual end"), null=True, blank=True, validators=[date_in_range])

    history = HistoricalRecords()
    objects = PostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="posting_not_a_secondment",
                condition=Q(kind__in=POSTING_KINDS),
                violation_error_message=POSTING_KIND_IS_SECONDMENT,
            ),
            models.CheckConstraint(
                name="posting_host_or_front_line",
                condition=Q(destination=Destination.UNIT, to_unit__isnull=False)
                | (~Q(destination=Destination.UNIT) & ~Q(front_line="")),
            ),
            models.CheckConstraint(
                name="posting_to_another_unit",
                condition=Q(to_unit__isnull=True) | ~Q(to_unit=F("from_unit")),
                violation_error_message=POSTING_SAME_UNIT,
            ),
            models.CheckConstraint(
                name="posting_dates_in_order",
                condition=(Q(planned_end__isnull=True) | Q(planned_end__gte=F("start_date")))
                & (Q(actual_end__isnull=True) | Q(actual_end__gte=F("start_date"))),
                violation_error_message=POSTING_END_BEFORE_START,
            ),
            models.UniqueConstraint(
                fields=["cadre"],
                condition=Q(actual_end__isnull=True),
                name="posting_one_live_per_cadre",
                violation_error_message=POSTING_ONE_LIVE,
            ),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.get_kind_display()} · {self.host_name}"

    @property
    def host_name(self) -> str:
        return self.to_unit.name if self.to_unit_id else self.front_line

    def clean(self):
        errors = {}
        if self.destination == Destination.UNIT and not self.to_unit_id:
            errors["to_unit"] = POSTING_NEEDS_HOST
        if self.destination != Destination.UNIT:
            self.to_unit = None
            if not self.front_line:
                errors["front_line"] = POSTING_NEEDS_FRONT_LINE
        if self.to_unit_id and self.to_unit_id == self.from_unit_id:
            errors["to_unit"] = POSTING_SAME_UNIT
        if errors:
            raise ValidationError(errors)
