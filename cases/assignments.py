"""A department's steps on its assignment ("部门报到", the "13710" system) and the county
governance centre's coordination (DESIGN.md M7): reassign, escalate (督办).

Each step re-checks the actor's right, moves the state race-safely and writes one transition row.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.deadlines import dues_compute, overdue_q
from cases.models import DEPARTMENT_PENDING_STATES, AssignmentState, CaseAssignment, TransitionAction
from cases.raising import MAY_NOT_COORDINATE, StepResult, assignment_open
from cases.transitions import actor_require, case_lock, history_write, state_move, transition_record
from governance.models import Unit
from governance.models.posts import deputy_overseeing
from governance.roles import Capability
from governance.workdays import workday_calendar

MAY_NOT_HANDLE = _("Only the department the case is assigned to may act on this assignment.")
ACCEPT_NOT_ALLOWED = _("Only an assignment awaiting acceptance can be accepted.")
FEEDBACK_NOT_ALLOWED = _("Progress feedback comes after accepting and before the result.")
RESPOND_NOT_ALLOWED = _("The result can be given only after accepting the case and giving first progress feedback.")
DECLINE_NOT_ALLOWED = _("A department can decline a case only before its first progress feedback.")
REASSIGN_NOT_ALLOWED = _("Only an unfinished or declined assignment can be reassigned.")
REASSIGN_SAME_DEPARTMENT = _("Choose a different department to reassign to.")
ESCALATE_NOT_ALLOWED = _("Only an unfinished assignment can be escalated.")
ALREADY_ESCALATED = _("This assignment has already been escalated in this round.")
FEEDBACK_REQUIRED = _("Write the progress feedback.")
RESPONSE_REQUIRED = _("Write the result of the handling.")
REASON_REQUIRED = _("Give the reason.")
MAY_NOT_CHASE = _("Only the township's governance office chases the overdue steps of the township's cases.")
CHASE_NOT_OVERDUE = _("Only an assignment past the due moment of its next step can be chased.")
CHASE_NOTE_REQUIRED = _("Write what the department is asked to do, and by when.")


def _fresh(assignment: CaseAssignment) -> CaseAssignment:
    return CaseAssignment.objects.select_related("case", "case__township", "department").get(pk=assignment.pk)


def _require_state(assignment: CaseAssignment, states, message) -> None:
    if assignment.state not in states:
        raise ValidationError(message)


def _require_text(text: str, message) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(message)
    return text


def _department_step(
    *, actor, assignment, states, refused, action, to_state, due_field=None, now=None, reason="", **changes
) -> CaseAssignment:
    assignment = _fresh(assignment)
    actor_require(actor, Capability.HANDLE_ASSIGNMENT, assignment.department, MAY_NOT_HANDLE)
    _require_state(assignment, states, refused)
    now = now or timezone.now()
    on_time = now <= getattr(assignment, due_field) if due_field else None
    # A step done moves the clock on to the next one; the sweep marks it again if that is late too.
    state_move(
        CaseAssignment,
        pk=assignment.pk,
        old_state=assignment.state,
        actor=actor,
        reason=reason,
        state=to_state,
        overdue=False,
        **changes,
    )
    transition_record(
        case=assignment.case,
        assignment=assignment,
        action=action,
        actor=actor,
        at=now,
        from_state=assignment.state,
        to_state=to_state,
        reason=reason,
        on_time=on_time,
    )
    assignment.refresh_from_db()
    return assignment


@transaction.atomic
def assignment_accept(*, actor, assignment: CaseAssignment, now: datetime | None = None) -> CaseAssignment:
    """报到: the department signs for the case."""
    now = now or timezone.now()
    return _department_step(
        actor=actor,
        assignment=assignment,
        states={AssignmentState.ASSIGNED},
        refused=ACCEPT_NOT_ALLOWED,
        action=TransitionAction.ACCEPT,
        to_state=AssignmentState.ACCEPTED,
        due_field="accept_due",
        now=now,
        accepted_at=now,
    )


@transaction.atomic
def assignment_feedback(
    *, actor, assignment: CaseAssignment, feedback: str, now: datetime | None = None
) -> CaseAssignment:
    """The first progress feedback (反馈进展)."""
    feedback = _require_text(feedback, FEEDBACK_REQUIRED)
    now = now or timezone.now()
    return _department_step(
        actor=actor,
        assignment=assignment,
        states={AssignmentState.ACCEPTED},
        refused=FEEDBACK_NOT_ALLOWED,
        action=TransitionAction.FEEDBACK,
        to_state=AssignmentState.IN_PROGRESS,
        due_field="feedback_due",
        now=now,
        reason=feedback,
        feedback=feedback,
        feedback_at=now,
    )


@transaction.atomic
def assignment_respond(
    *, actor, assignment: CaseAssignment, response: str, now: datetime | None = None
) -> CaseAssignment:
    """The department reports the result; the township then rates it."""
    response = _require_text(response, RESPONSE_REQUIRED)
    now = now or timezone.now()
    return _department_step(
        actor=actor,
        assignment=assignment,
        states={AssignmentState.IN_PROGRESS},
        refused=RESPOND_NOT_ALLOWED,
        action=TransitionAction.RESPOND,
        to_state=AssignmentState.RESPONDED,
        due_field="resolve_due",
        now=now,
        reason=response,
        response=response,
        responded_at=now,
    )


@transaction.atomic
def assignment_decline(
    *, actor, assignment: CaseAssignment, reason: str, now: datetime | None = None
) -> CaseAssignment:
    """ "Not ours": the assignment goes to the county governance centre, which reassigns it."""
    reason = _require_text(reason, REASON_REQUIRED)
    return _department_step(
        actor=actor,
        assignment=assignment,
        states={AssignmentState.ASSIGNED, AssignmentState.ACCEPTED},
        refused=DECLINE_NOT_ALLOWED,
        action=TransitionAction.DECLINE,
        to_state=AssignmentState.DECLINED,
        now=now,
        reason=reason,
    )


@transaction.atomic
def assignment_reassign(
    *, actor, assignment: CaseAssignment, department: Unit, reason: str = "", now: datetime | None = None
) -> StepResult:
    """The centre moves the matter to another department: this assignment ends as "reassigned"
    and the new department starts a first round with fresh dues."""
    case_lock(assignment.case_id)
    assignment = _fresh(assignment)
    actor_require(actor, Capability.COORDINATE_CASES, assignment.case.township, MAY_NOT_COORDINATE)
    _require_state(assignment, {*DEPARTMENT_PENDING_STATES, AssignmentState.DECLINED}, REASSIGN_NOT_ALLOWED)
    if department.pk == assignment.department_id:
        raise ValidationError({"department": REASSIGN_SAME_DEPARTMENT})
    now = now or timezone.now()
    state_move(
        CaseAssignment,
        pk=assignment.pk,
        old_state=assignment.state,
        actor=actor,
        reason=reason,
        state=AssignmentState.REASSIGNED,
        overdue=False,
    )
    transition_record(
        case=assignment.case,
        assignment=assignment,
        action=TransitionAction.REASSIGN,
        actor=actor,
        at=now,
        from_state=assignment.state,
        to_state=AssignmentState.REASSIGNED,
        reason=f"→ {department.name}" + (f"：{reason}" if reason else ""),
    )
    case = assignment.case
    dues = dues_compute(start=now, profile=case.item.deadline_profile(case.priority), calendar=workday_calendar())
    new = assignment_open(case=case, department=department, dues=dues, actor=actor, now=now, reason=reason)
    CaseAssignment.objects.filter(pk=assignment.pk).update(reassigned_to=new)
    history_write(CaseAssignment, pk=assignment.pk, actor=actor, reason=reason)
    return StepResult(assignment=new, guessed_years=dues.guessed_years)


@transaction.atomic
def assignment_escalate(
    *, actor, assignment: CaseAssignment, reason: str = "", now: datetime | None = None
) -> CaseAssignment:
    """督办: recorded against the deputy county head whose portfolio covers the department (M2)."""
    assignment = _fresh(assignment)
    actor_require(actor, Capability.COORDINATE_CASES, assignment.case.township, MAY_NOT_COORDINATE)
    _require_state(assignment, DEPARTMENT_PENDING_STATES, ESCALATE_NOT_ALLOWED)
    if assignment.escalated_at is not None:
        raise ValidationError(ALREADY_ESCALATED)
    now = now or timezone.now()
    deputy = deputy_overseeing(assignment.department)
    changed = CaseAssignment.objects.filter(pk=assignment.pk, state=assignment.state, escalated_at__isnull=True).update(
        escalated_at=now, escalated_to=deputy
    )
    if changed != 1:
        raise ValidationError(ALREADY_ESCALATED)
    history_write(CaseAssignment, pk=assignment.pk, actor=actor, reason=reason)
    transition_record(
        case=assignment.case,
        assignment=assignment,
        action=TransitionAction.ESCALATE,
        actor=actor,
        at=now,
        from_state=assignment.state,
        to_state=assignment.state,
        reason=" ".join(part for part in (str(deputy or ""), reason) if part),
    )
    assignment.refresh_from_db()
    return assignment


@transaction.atomic
def assignment_chase(*, actor, assignment: CaseAssignment, reason: str, now: datetime | None = None) -> CaseAssignment:
    """催办: the township's governance office presses a department past the due moment of its next
    step (issue 14; the county centre's 督办 stays with the centre). It changes no state: the note
    goes on the timeline the department reads."""
    assignment = _fresh(assignment)
    actor_require(actor, Capability.CHASE_OVERDUE, assignment.case.township, MAY_NOT_CHASE)
    note = _require_text(reason, CHASE_NOTE_REQUIRED)
    now = now or timezone.now()
    if not CaseAssignment.objects.filter(overdue_q(now), pk=assignment.pk).exists():
        raise ValidationError(CHASE_NOT_OVERDUE)
    transition_record(
        case=assignment.case,
        assignment=assignment,
        action=TransitionAction.CHASE,
        actor=actor,
        at=now,
        from_state=assignment.state,
        to_state=assignment.state,
        reason=note,
    )
    return assignment
