"""The township rates each department's response (评价权, speech §二(一)); the case closes
(销号) when every assignment is rated satisfied or basically satisfied."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.deadlines import dues_compute
from cases.models import AssignmentState, Case, CaseAssignment, CaseState, Rating, TransitionAction
from cases.raising import StepResult
from cases.transitions import actor_require, case_lock, state_move, transition_record
from governance.roles import Capability
from governance.workdays import workday_calendar

MAY_NOT_RATE = _("Only the supervisor of the township that raised the case may rate the departments' responses.")
RATE_NOT_ALLOWED = _("Only a response awaiting rating can be rated.")
UNKNOWN_RATING = _("Choose satisfied, basically satisfied or unsatisfied.")
UNSATISFIED_NEEDS_COMMENT = _("Say why the response is unsatisfactory, so the department knows what to do next.")


@transaction.atomic
def assignment_rate(
    *, actor, assignment: CaseAssignment, rating: str, comment: str = "", now: datetime | None = None
) -> StepResult:
    """Satisfied / basically satisfied completes the assignment (and closes the case when it was
    the last one); unsatisfied returns it to the department for another round with fresh dues."""
    # Lock the case first: two last ratings at once must still close it exactly once.
    case = case_lock(assignment.case_id)
    actor_require(actor, Capability.RATE_CASE, case.township, MAY_NOT_RATE)
    assignment = CaseAssignment.objects.select_related("department").get(pk=assignment.pk)
    if assignment.state != AssignmentState.RESPONDED:
        raise ValidationError(RATE_NOT_ALLOWED)
    if rating not in Rating.values:
        raise ValidationError({"rating": UNKNOWN_RATING})
    comment = (comment or "").strip()
    if rating == Rating.UNSATISFIED and not comment:
        raise ValidationError({"comment": UNSATISFIED_NEEDS_COMMENT})
    now = now or timezone.now()
    guessed: tuple[int, ...] = ()
    if rating == Rating.UNSATISFIED:
        to_state = AssignmentState.ASSIGNED
        profile = case.item.deadline_profile(case.priority, redo=True)  # the redo round's own profile
        dues = dues_compute(start=now, profile=profile, calendar=workday_calendar())
        guessed = dues.guessed_years
        changes = {
            **dues.as_fields(),
            "round": assignment.round + 1,
            "round_started_at": now,
            "accepted_at": None,
            "feedback_at": None,
            "responded_at": None,
            "escalated_at": None,
            "escalated_to": None,
        }
    else:
        to_state = AssignmentState.COMPLETED
        changes = {}
    state_move(
        CaseAssignment,
        pk=assignment.pk,
        old_state=AssignmentState.RESPONDED,
        actor=actor,
        reason=comment,
        state=to_state,
        rating=rating,
        rating_comment=comment,
        overdue=False,
        **changes,
    )
    transition_record(
        case=case,
        assignment=assignment,
        action=TransitionAction.RATE,
        actor=actor,
        at=now,
        from_state=AssignmentState.RESPONDED,
        to_state=to_state,
        reason=comment,
        rating=rating,
        on_time=now <= assignment.close_due,
    )
    if to_state == AssignmentState.COMPLETED:
        _case_close_if_done(case=case, actor=actor, now=now)
    assignment.refresh_from_db()
    return StepResult(assignment=assignment, guessed_years=guessed)


def _case_close_if_done(*, case: Case, actor, now: datetime) -> None:
    if case.assignments.exclude(state__in=[AssignmentState.COMPLETED, AssignmentState.REASSIGNED]).exists():
        return
    state_move(Case, pk=case.pk, old_state=CaseState.OPEN, actor=actor, state=CaseState.CLOSED, closed_at=now)
    transition_record(
        case=case,
        action=TransitionAction.CLOSE,
        actor=actor,
        at=now,
        from_state=CaseState.OPEN,
        to_state=CaseState.CLOSED,
    )
