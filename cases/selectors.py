"""Reads for the case screens and queues; every one is scoped to the user."""

from django.db.models import Q, QuerySet

from cases.models import (
    DEPARTMENT_PENDING_STATES,
    AssignmentState,
    Case,
    CaseAssignment,
    CaseTransition,
    DeskLevel,
    ServiceRequest,
    ServiceRequestState,
)
from governance.models import HandlingMode
from governance.roles import Capability
from governance.scoping import units_for


def case_assignments_visible(*, case: Case, user) -> QuerySet:
    """The case's assignments the user may see: a department only its own (a neighbouring
    department's work on the same case is not its business); the township and centre all."""
    return (
        CaseAssignment.objects.for_user(user)
        .filter(case=case)
        .select_related("department", "escalated_to")
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


def assignment_steps(*, assignment: CaseAssignment, user) -> list[str]:
    """The steps this user may take on the assignment now (the services check again)."""
    if not user.has_perm("cases.change_caseassignment"):
        return []
    state = assignment.state
    steps = []
    if units_for(user, Capability.HANDLE_ASSIGNMENT).filter(pk=assignment.department_id).exists():
        steps += {
            AssignmentState.ASSIGNED: ["accept", "decline"],
            AssignmentState.ACCEPTED: ["feedback", "decline"],
            AssignmentState.IN_PROGRESS: ["respond"],
        }.get(state, [])
    township_id = assignment.case.township_id
    if state == AssignmentState.RESPONDED and units_for(user, Capability.RATE_CASE).filter(pk=township_id).exists():
        steps.append("rate")
    if units_for(user, Capability.COORDINATE_CASES).filter(pk=township_id).exists():
        if state in (*DEPARTMENT_PENDING_STATES, AssignmentState.DECLINED):
            steps.append("reassign")
        if state in DEPARTMENT_PENDING_STATES and assignment.escalated_at is None:
            steps.append("escalate")
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
