"""Reads for the case screens and queues; every one is scoped to the user."""

import re

from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import (
    DEPARTMENT_PENDING_STATES,
    AssignmentState,
    Case,
    CaseAssignment,
    CaseState,
    CaseTransition,
    DeskLevel,
    ServiceRequest,
    ServiceRequestState,
)
from governance.models import HandlingMode
from governance.roles import Capability
from governance.scoping import units_for, units_held
from governance.text_search import contains_q

# A reference number as clerks type it: the year, the township's code, the sequence (or a prefix).
_REFERENCE_PREFIX = re.compile(r"\d{4}(-\d{0,9}(-\d*)?)?")


def case_search_q(term: str) -> Q:
    """What the search box finds: a reference by its prefix (an index range), else the title's text
    (a trigram or pair index on PostgreSQL, governance.text_search; issue 12: icontains on the
    reference too scanned every case)."""
    if _REFERENCE_PREFIX.fullmatch(term):
        return Q(reference__startswith=term)
    return contains_q("title", term)


def case_assignments_visible(*, case: Case, user) -> QuerySet:
    """The case's assignments the user may see: a department only its own (a neighbouring
    department's work on the same case is not its business); the township and centre all."""
    return (
        CaseAssignment.objects.for_user(user)
        .filter(case=case)
        .select_related("department", "escalated_to__county")
        .order_by("created_at", "pk")
    )


def case_timeline(*, case: Case, user) -> QuerySet:
    """One timeline across the case's visible assignments, with the case's own steps."""
    visible = case_assignments_visible(case=case, user=user).values("pk")
    return (
        CaseTransition.objects.filter(case=case)
        .filter(Q(assignment__isnull=True) | Q(assignment__in=visible))
        .select_related("actor", "department")
        .order_by("at", "pk")
    )


def _unit_or_id(row, field: str):
    """The row's unit in ``field`` when it was read with the row, else its id: ``units_held`` knows
    the path of a unit already read, and reads the others' in one query."""
    return getattr(row, field) if row._meta.get_field(field).is_cached(row) else getattr(row, f"{field}_id")


def case_steps(*, case: Case, user) -> list[str]:
    """The case's own steps this user may take now: the raising township adds photos and
    documents; the county governance centre asks one more department to act on an open case."""
    if not user.has_perm("cases.change_case"):
        return []
    held = units_held(user, (Capability.COORDINATE_CASES, Capability.RAISE_CASE), [_unit_or_id(case, "township")])
    steps = []
    if case.state == CaseState.OPEN and case.township_id in held[Capability.COORDINATE_CASES]:
        steps.append("add_department")
    if case.township_id in held[Capability.RAISE_CASE]:
        steps.append("attach")
    return steps


def next_due_passed(assignment: CaseAssignment, now) -> bool:
    """Whether the department is past the due moment of the step it owes (as ``overdue_q``)."""
    due = {
        AssignmentState.ASSIGNED: assignment.accept_due,
        AssignmentState.ACCEPTED: assignment.feedback_due,
        AssignmentState.IN_PROGRESS: assignment.resolve_due,
    }.get(assignment.state)
    return due is not None and due < now


def assignment_steps(*, assignments: list[CaseAssignment], user) -> dict[int, list[str]]:
    """The steps this user may take now on each assignment (the services check again), with
    one query however many assignments and capabilities the page has."""
    if not user.has_perm("cases.change_caseassignment"):
        return {assignment.pk: [] for assignment in assignments}
    units = [_unit_or_id(a, "department") for a in assignments] + [_unit_or_id(a.case, "township") for a in assignments]
    held = units_held(
        user,
        (Capability.HANDLE_ASSIGNMENT, Capability.RATE_CASE, Capability.COORDINATE_CASES, Capability.CHASE_OVERDUE),
        units,
    )
    handles, rates = held[Capability.HANDLE_ASSIGNMENT], held[Capability.RATE_CASE]
    coordinates, chasers = held[Capability.COORDINATE_CASES], held[Capability.CHASE_OVERDUE]
    now = timezone.now()
    department_steps = {
        AssignmentState.ASSIGNED: ["accept", "decline"],
        AssignmentState.ACCEPTED: ["feedback", "decline"],
        AssignmentState.IN_PROGRESS: ["respond"],
    }
    steps = {}
    for assignment in assignments:
        state, township_id = assignment.state, assignment.case.township_id
        mine = list(department_steps.get(state, [])) if assignment.department_id in handles else []
        if state == AssignmentState.RESPONDED and township_id in rates:
            mine.append("rate")
        if township_id in coordinates:
            if state in (*DEPARTMENT_PENDING_STATES, AssignmentState.DECLINED):
                mine.append("reassign")
            if state in DEPARTMENT_PENDING_STATES and assignment.escalated_at is None:
                mine.append("escalate")
        if township_id in chasers and next_due_passed(assignment, now):
            mine.append("chase")
        steps[assignment.pk] = mine
    return steps


def service_request_steps(*, request: ServiceRequest, user) -> list[str]:
    if not user.has_perm("cases.change_servicerequest"):
        return []
    desk = request.village_id if request.desk == DeskLevel.VILLAGE else request.township_id
    if not units_for(user, Capability.LOG_SERVICE_REQUEST).filter(pk=desk).exists():
        return []
    passes_on = request.desk == DeskLevel.VILLAGE and request.item.handling_mode == HandlingMode.VILLAGE_TO_TOWNSHIP
    if request.state == ServiceRequestState.RECEIVED:
        return ["accept", "reject"]
    if request.state == ServiceRequestState.ACCEPTED:
        return ["forward", "reject"] if passes_on else ["complete", "reject"]
    return []
