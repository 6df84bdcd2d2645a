"""Task forces' services (专班): saving a task force and its milestones, reporting progress,
marking a milestone done, raising the case a milestone needs, and the overdue sweep.

Who manages a task force: for a township's, whoever raises that township's cases; for a
county-wide one, the county governance centre (command and coordination, speech §二(一)).
"""

from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cases.raising import RaiseResult, case_raise, item_co_departments
from cases.taskforces import TaskForce, TaskForceMilestone, TaskForceProgress
from governance.models import Unit, UnitKind, UnitLevel
from governance.roles import Capability
from governance.scoping import holds, units_for
from governance.workdays import due_at_close, workday_calendar, working_hours

NOT_A_COUNTY = _("A task force belongs to a county-level unit.")
TOWNSHIP_OUTSIDE_COUNTY = _("The township must belong to the task force's county.")
LEAD_POST_OUTSIDE_COUNTY = _("The lead leader must hold a post of the task force's own county.")
MAY_NOT_MANAGE = _("You may not manage this task force.")
COUNTY_WIDE_IS_THE_CENTRES = _(
    "A county-wide task force is set up by the county governance centre: choose the township whose task force this is."
)
MILESTONE_DONE_ALREADY = _("This milestone is already done.")
MILESTONE_HAS_CASE = _("This milestone has already raised case %(reference)s.")
MILESTONE_NEEDS_NO_DEPARTMENT = _("This milestone names no department whose work it needs.")
MILESTONE_NEEDS_TOWNSHIP = _("Choose the township that raises the case (a county-wide task force has none).")
DEPARTMENT_NOT_IN_COUNTY = _("The department needed must be a department of the task force's county.")
PROGRESS_MILESTONE_ELSEWHERE = _("The milestone belongs to another task force.")
CASE_FROM_MILESTONE_PREFIX = _("Needed by the task force “%(task_force)s” for its milestone “%(milestone)s”: ")


def counties_near(user) -> QuerySet:
    """The counties of the user's units: the county itself for a county role, the parent county
    for a township's (where its task force's county and lead leader come from)."""
    units = units_for(user, Capability.SEE_RECORDS)
    return Unit.objects.filter(
        Q(pk__in=units.values("pk")) | Q(pk__in=units.values("parent_id")), level=UnitLevel.COUNTY
    ).order_by("path")


def taskforce_may_manage(user, task_force: TaskForce) -> bool:
    if task_force.township_id:
        return holds(user, Capability.RAISE_CASE, task_force.township_id)
    return holds(user, Capability.COORDINATE_CASES, task_force.county_id)


def _require_manager(actor, task_force: TaskForce) -> None:
    if not taskforce_may_manage(actor, task_force):
        raise ValidationError(MAY_NOT_MANAGE)


def taskforce_validate(*, actor, task_force: TaskForce) -> None:
    """Every rule ``taskforce_save`` keeps, without saving: the task force's form asks it, so a
    refusal stays on the form with the person's input and milestones (issue 16)."""
    if task_force.township_id and task_force.county_id is None:
        task_force.county_id = task_force.township.parent_id
    if task_force.county_id is None or task_force.county.level != UnitLevel.COUNTY:
        raise ValidationError({"county": NOT_A_COUNTY})
    if task_force.township_id and task_force.township.parent_id != task_force.county_id:
        raise ValidationError({"township": TOWNSHIP_OUTSIDE_COUNTY})
    if task_force.lead_post_id and task_force.lead_post.county_id != task_force.county_id:
        raise ValidationError({"lead_post": LEAD_POST_OUTSIDE_COUNTY})
    if not task_force.township_id and not holds(actor, Capability.COORDINATE_CASES, task_force.county_id):
        raise ValidationError({"township": COUNTY_WIDE_IS_THE_CENTRES})
    _require_manager(actor, task_force)
    task_force.full_clean()


@transaction.atomic
def taskforce_save(*, actor, task_force: TaskForce) -> TaskForce:
    taskforce_validate(actor=actor, task_force=task_force)
    task_force._history_user = actor
    task_force.save()
    return task_force


@transaction.atomic
def milestone_save(*, actor, milestone: TaskForceMilestone, now: datetime | None = None) -> TaskForceMilestone:
    """Save a milestone with its due: the close of the ``working_days``-th working day counted from
    ``counted_from`` itself, on the official calendar (governance.workdays)."""
    task_force = milestone.task_force
    _require_manager(actor, task_force)
    department = milestone.needs_department
    if department is not None and (
        department.kind != UnitKind.DEPARTMENT or department.parent_id != task_force.county_id
    ):
        raise ValidationError({"needs_department": DEPARTMENT_NOT_IN_COUNTY})
    # The fields are checked before the due is counted: 9999-12-31 or 0 days is a message, not a crash.
    milestone.clean_fields(exclude=["due_at", "guessed_years", "task_force"])
    calendar = workday_calendar()
    start = datetime.combine(milestone.counted_from, time.min, timezone.get_default_timezone())
    milestone.due_at = due_at_close(start, milestone.working_days, calendar, working_hours())
    milestone.guessed_years = ",".join(str(year) for year in sorted(calendar.guessed_years))
    # A due moved later is no longer overdue; the next sweep marks it again if it is.
    milestone.overdue = milestone.done_at is None and milestone.overdue and milestone.due_at < (now or timezone.now())
    milestone.full_clean()
    milestone._history_user = actor
    milestone.save()
    return milestone


@transaction.atomic
def milestone_done(*, actor, milestone: TaskForceMilestone, now: datetime | None = None) -> TaskForceMilestone:
    milestone = TaskForceMilestone.objects.select_for_update().select_related("task_force").get(pk=milestone.pk)
    _require_manager(actor, milestone.task_force)
    if milestone.done_at is not None:
        raise ValidationError(MILESTONE_DONE_ALREADY)
    milestone.done_at = now or timezone.now()
    milestone._history_user = actor
    milestone.save(update_fields=["done_at"])
    return milestone


@transaction.atomic
def progress_report(
    *, actor, task_force: TaskForce, content: str, milestone=None, now: datetime | None = None
) -> TaskForceProgress:
    _require_manager(actor, task_force)
    if milestone is not None and milestone.task_force_id != task_force.pk:
        raise ValidationError({"milestone": PROGRESS_MILESTONE_ELSEWHERE})
    report = TaskForceProgress(
        task_force=task_force,
        milestone=milestone,
        content=content,
        reported_by=actor,
        reported_at=now or timezone.now(),
    )
    report.full_clean()
    report._history_user = actor
    report.save()
    return report


@transaction.atomic
def milestone_case_raise(
    *, actor, milestone: TaskForceMilestone, item, township=None, priority: str = "normal", now=None
) -> RaiseResult:
    """The township blows the whistle for the department the milestone needs: the case runs under
    ``item`` with the item's co-handlers, the needed department added, and links back here."""
    milestone = TaskForceMilestone.objects.select_for_update().select_related("task_force").get(pk=milestone.pk)
    task_force = milestone.task_force
    if milestone.case_id is not None:
        raise ValidationError(MILESTONE_HAS_CASE, params={"reference": milestone.case.reference})
    if milestone.needs_department is None:
        raise ValidationError(MILESTONE_NEEDS_NO_DEPARTMENT)
    township = task_force.township or township
    if township is None:
        raise ValidationError({"township": MILESTONE_NEEDS_TOWNSHIP})
    if township.parent_id != task_force.county_id:
        raise ValidationError({"township": TOWNSHIP_OUTSIDE_COUNTY})
    county = township.parent
    co_sectors = [*item_co_departments(item=item, county=county), milestone.needs_department.sector]
    # Stored in the case: written in the site's language (Chinese), whatever the leader's session.
    with translation.override(settings.LANGUAGE_CODE):
        prefix = CASE_FROM_MILESTONE_PREFIX % {"task_force": task_force.name, "milestone": milestone.title}
    raised = case_raise(
        actor=actor,
        township=township,
        item=item,
        title=f"{task_force.name}：{milestone.title}"[:200],
        description=f"{prefix}{task_force.work}",
        priority=priority,
        co_sectors=co_sectors,
        now=now,
    )
    milestone.case = raised.case
    milestone._history_user = actor
    milestone.save(update_fields=["case"])
    return raised


def milestones_sweep_overdue(*, now: datetime | None = None) -> int:
    """Mark the open milestones past their due (run by ``sweep_overdue`` with the assignments')."""
    now = now or timezone.now()
    with transaction.atomic():
        due = TaskForceMilestone.objects.filter(done_at__isnull=True, overdue=False, due_at__lt=now)
        ids = list(due.order_by().select_for_update(skip_locked=True).values_list("pk", flat=True))
        if not ids:
            return 0
        TaskForceMilestone.objects.filter(pk__in=ids).update(overdue=True)
        TaskForceMilestone.history.bulk_history_create(
            list(TaskForceMilestone.objects.filter(pk__in=ids)), update=True, default_change_reason="overdue"
        )
    return len(ids)
