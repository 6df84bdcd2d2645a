"""Task forces (专班, speech: "专班推进机制" pushes key projects and key work): who leads, which
units and people serve, what they push, their milestones on the working-day calendar and their
progress reports. The periodic overdue sweep marks late milestones as it marks late assignments,
and a milestone that needs a department raises a case linked back to it
(``cases.taskforce_services``). Imported at the end of ``cases.models``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case
from governance.dates import date_in_range
from governance.scoping import ScopedQuerySet

MAX_MILESTONE_WORKING_DAYS = 1000


class TaskForceQuerySet(ScopedQuerySet):
    # A county's task force is the county's; a township's is also its township's.
    scope_fields = ("county", "township")


class TaskForce(models.Model):
    name = models.CharField(_("task force"), max_length=100)
    county = models.ForeignKey(
        "governance.Unit", verbose_name=_("county"), on_delete=models.PROTECT, related_name="task_forces"
    )
    township = models.ForeignKey(
        "governance.Unit",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="township_task_forces",
        help_text=_("Empty for a county-wide task force."),
    )
    lead_post = models.ForeignKey(
        "governance.LeadershipPost", verbose_name=_("lead leader"), on_delete=models.PROTECT, related_name="+"
    )
    work = models.TextField(_("project or work pushed"))
    member_units = models.ManyToManyField(
        "governance.Unit", verbose_name=_("member units"), related_name="+", blank=True
    )
    member_people = models.TextField(_("member people"), blank=True, help_text=_("Names and posts, one a line."))
    start = models.DateField(_("start"), validators=[date_in_range])
    end = models.DateField(_("end"), null=True, blank=True, validators=[date_in_range])

    history = HistoricalRecords(m2m_fields=[member_units])
    objects = TaskForceQuerySet.as_manager()

    class Meta:
        verbose_name = _("task force")
        verbose_name_plural = _("task forces")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                name="task_force_period_in_order", condition=Q(end__isnull=True) | Q(end__gte=models.F("start"))
            )
        ]

    def __str__(self):
        return self.name


class MilestoneQuerySet(ScopedQuerySet):
    scope_fields = ("task_force__county", "task_force__township")

    def open(self) -> "MilestoneQuerySet":
        return self.filter(done_at__isnull=True)


class TaskForceMilestone(models.Model):
    task_force = models.ForeignKey(
        TaskForce, verbose_name=_("task force"), on_delete=models.PROTECT, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    counted_from = models.DateField(_("counted from"), validators=[date_in_range])
    # At least one working day; a thousand (about four years) is beyond any milestone's plan.
    working_days = models.PositiveSmallIntegerField(
        _("working days"), validators=[MinValueValidator(1), MaxValueValidator(MAX_MILESTONE_WORKING_DAYS)]
    )
    # The close of the last working day (governance.workdays), stored so the sweep reads an index.
    due_at = models.DateTimeField(_("due"), db_index=True, editable=False)
    guessed_years = models.CharField(
        _("calendar years assumed Monday–Friday"), max_length=40, blank=True, editable=False
    )
    needs_department = models.ForeignKey(
        "governance.Unit",
        verbose_name=_("department needed"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A county department whose work the milestone needs: raise a case to it."),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    overdue = models.BooleanField(_("overdue"), default=False, editable=False)
    case = models.OneToOneField(
        Case,
        verbose_name=_("case raised"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_force_milestone",
        editable=False,
    )

    history = HistoricalRecords()
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("task-force milestone")
        verbose_name_plural = _("task-force milestones")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["due_at"], name="sweep_milestone", condition=Q(done_at__isnull=True, overdue=False))
        ]

    def __str__(self):
        return f"{self.task_force} · {self.title}"


class ProgressQuerySet(ScopedQuerySet):
    scope_fields = ("task_force__county", "task_force__township")


class TaskForceProgress(models.Model):
    task_force = models.ForeignKey(
        TaskForce, verbose_name=_("task force"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    milestone = models.ForeignKey(
        TaskForceMilestone,
        verbose_name=_("milestone"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_reports",
    )
    content = models.TextField(_("progress"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"))

    history = HistoricalRecords()
    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_at", "-pk"]

    def __str__(self):
        return f"{self.task_force} · {self.reported_at:%Y-%m-%d}"
