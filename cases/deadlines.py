"""Assignment deadlines on the official working-day calendar (DESIGN.md §4, the "13710" system),
and the overdue sweep.

Each round's dues are pure functions of (round start, the item's profile, the calendar),
stored in indexed columns; the sweep only compares them with the clock.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import AssignmentState, CaseAssignment, CaseTransition, TransitionAction
from governance.models import DeadlineProfile, PortfolioDepartment
from governance.workdays import WorkdayCalendar, WorkingHours, due_at_close, working_hours

CALENDAR_GUESSED = _("No official calendar data for %(years)s; deadlines were counted Monday to Friday.")
SWEEP_ESCALATION_REASON = _("Overdue past the resolve date: escalated automatically.")


@dataclass(frozen=True)
class Dues:
    accept_due: datetime
    feedback_due: datetime
    resolve_due: datetime
    close_due: datetime
    guessed_years: tuple[int, ...] = ()

    def as_fields(self) -> dict:
        return {
            "accept_due": self.accept_due,
            "feedback_due": self.feedback_due,
            "resolve_due": self.resolve_due,
            "close_due": self.close_due,
            "guessed_years": ",".join(str(year) for year in self.guessed_years),
        }


def dues_compute(
    *, start: datetime, profile: DeadlineProfile, calendar: WorkdayCalendar, hours: WorkingHours | None = None
) -> Dues:
    """Each step's due moment: the close of its working day counted from the round's start, which
    outside office hours is the next working day's opening (``governance.workdays.due_at_close``)."""
    hours = hours or working_hours()
    dues = {
        step: due_at_close(start, getattr(profile, f"{step}_days"), calendar, hours)
        for step in ("accept", "feedback", "resolve", "close")
    }
    # The calendar remembers every year it guessed (it may serve several rounds): name those this round spans.
    spanned = range(timezone.localtime(start).year, dues["close"].year + 1)
    guessed = tuple(year for year in spanned if year in calendar.guessed_years)
    return Dues(dues["accept"], dues["feedback"], dues["resolve"], dues["close"], guessed)


def guessed_message(years) -> str:
    """The warning the admin shows, e.g. "2027年无官方日历数据，已按周一至周五计算"."""
    return CALENDAR_GUESSED % {"years": "、".join(str(year) for year in years)}


def overdue_q(now: datetime) -> Q:
    """Assignments past the due moment of the step the department still owes."""
    return (
        Q(state=AssignmentState.ASSIGNED, accept_due__lt=now)
        | Q(state=AssignmentState.ACCEPTED, feedback_due__lt=now)
        | Q(state=AssignmentState.IN_PROGRESS, resolve_due__lt=now)
    )


def escalation_due_q(now: datetime) -> Q:
    """Unresolved past the resolve date and not yet escalated (督办)."""
    return Q(state__in=[AssignmentState.ASSIGNED, AssignmentState.ACCEPTED, AssignmentState.IN_PROGRESS]) & Q(
        resolve_due__lt=now, escalated_at__isnull=True
    )


@dataclass(frozen=True)
class SweepResult:
    marked_overdue: int
    escalated: int


SWEEP_BATCH = 1000


def assignments_sweep_overdue(*, now: datetime | None = None) -> SweepResult:
    """Mark overdue assignments and escalate those overdue past their resolve date.

    Set-based, a batch at a time (issue 12: at a million cases a row at a time took minutes after
    a holiday): each batch locks the rows it takes (SKIP LOCKED, so concurrent sweeps share the
    work and never mark a row twice), changes them in one UPDATE and writes their transition and
    history rows in bulk. Safe to run repeatedly and concurrently; a Celery task may call it.
    """
    now = now or timezone.now()
    marked = _sweep(
        CaseAssignment.objects.filter(overdue_q(now), overdue=False), now, TransitionAction.OVERDUE, {"overdue": True}
    )
    # The deputy overseeing each row's department, in the same UPDATE (one per department took
    # seconds after a holiday at a million cases).
    deputy = PortfolioDepartment.objects.filter(department_id=OuterRef("department_id")).values("post_id")[:1]
    escalated = _sweep(
        CaseAssignment.objects.filter(escalation_due_q(now)),
        now,
        TransitionAction.ESCALATE,
        {"escalated_at": now, "escalated_to_id": Subquery(deputy), "overdue": True},
        reason=str(SWEEP_ESCALATION_REASON),
    )
    return SweepResult(marked_overdue=marked, escalated=escalated)


def _sweep(due, now, action, changes, *, reason="") -> int:
    done = 0
    while True:
        with transaction.atomic():
            # No order: the model's own (by the case's date) joined every case and sorted them.
            rows = list(
                due.order_by()
                .select_for_update(skip_locked=True)
                .values_list("pk", "case_id", "township_id", "department_id", "state")[:SWEEP_BATCH]
            )
            if not rows:
                return done
            ids = [row[0] for row in rows]
            CaseAssignment.objects.filter(pk__in=ids).update(**changes)
            CaseTransition.objects.bulk_create(
                CaseTransition(
                    case_id=case_id,
                    township_id=township_id,
                    assignment_id=pk,
                    department_id=department_id,
                    action=action,
                    from_state=state,
                    to_state=state,
                    reason=reason,
                    at=now,
                )
                for pk, case_id, township_id, department_id, state in rows
            )
            CaseAssignment.history.bulk_history_create(
                list(CaseAssignment.objects.filter(pk__in=ids)),
                update=True,
                default_change_reason=(reason or str(action.label))[:100],
            )
            done += len(rows)
