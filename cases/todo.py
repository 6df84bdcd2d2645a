"""Each role's queue on the admin home page (DESIGN.md M11): departments see what awaits their
next step, townships what awaits their rating, the governance centre what needs coordinating,
desks their service requests. Counts are scoped to the user.

All the assignment counts of a user come from one query, and the service-request counts from
another (issue 12: at a million cases a COUNT per line made the home page the slowest page):
each count is a filtered aggregate whose filter holds its own scope.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import overdue_q
from cases.models import DEPARTMENT_PENDING_STATES, AssignmentState, CaseAssignment, ServiceRequest, ServiceRequestState
from governance.roles import Capability
from governance.scoping import sees_everything, unit_grants
from governance.todo import TodoItem


def _assignments_url(query: str) -> str:
    return f"{reverse('admin:cases_caseassignment_changelist')}?{query}"


def _assignment_lines(user, now) -> list[tuple]:
    """(label, scope capability, condition, list query, urgent) for each line the user's roles have."""
    lines = []
    if unit_grants(user, Capability.HANDLE_ASSIGNMENT):
        lines += [
            (_("Assignments awaiting acceptance"), Capability.HANDLE_ASSIGNMENT,
             Q(state=AssignmentState.ASSIGNED), "state__exact=assigned", False),
            (_("Assignments awaiting first feedback"), Capability.HANDLE_ASSIGNMENT,
             Q(state=AssignmentState.ACCEPTED), "state__exact=accepted", False),
            (_("Assignments awaiting the result"), Capability.HANDLE_ASSIGNMENT,
             Q(state=AssignmentState.IN_PROGRESS), "state__exact=in_progress", False),
            (_("Overdue assignments"), Capability.HANDLE_ASSIGNMENT, overdue_q(now), "due=overdue", True),
        ]  # fmt: skip
    if unit_grants(user, Capability.RATE_CASE):
        lines += [
            (_("Responses awaiting your rating"), Capability.RATE_CASE,
             Q(state=AssignmentState.RESPONDED), "state__exact=responded", False),
            (_("Ratings past the close date"), Capability.RATE_CASE,
             Q(state=AssignmentState.RESPONDED, close_due__lt=now), "due=rating_late", True),
        ]  # fmt: skip
    if unit_grants(user, Capability.CHASE_OVERDUE):
        lines.append(
            (
                _("Overdue steps to chase in your township"),
                Capability.CHASE_OVERDUE,
                overdue_q(now),
                "due=overdue",
                True,
            )
        )
    if unit_grants(user, Capability.RAISE_CASE):
        lines.append(
            (_("Departments overdue on your cases"), Capability.RAISE_CASE, overdue_q(now), "due=overdue", True)
        )
    if unit_grants(user, Capability.COORDINATE_CASES):
        lines += [
            (_("Declined, awaiting reassignment"), Capability.COORDINATE_CASES,
             Q(state=AssignmentState.DECLINED), "state__exact=declined", True),
            (_("Overdue assignments in the county"), Capability.COORDINATE_CASES, overdue_q(now), "due=overdue", True),
            (_("Escalated and unfinished"), Capability.COORDINATE_CASES,
             Q(state__in=DEPARTMENT_PENDING_STATES, escalated_at__isnull=False), "due=escalated", False),
        ]  # fmt: skip
    return lines


def case_queues(request):
    user = request.user
    if sees_everything(user):
        return []  # the city sees the lists themselves; queues are for the units doing the work
    lines = _assignment_lines(user, timezone.now())
    if not lines:
        return []
    scopes = {capability: CaseAssignment.objects.scope_q(user, capability) for _l, capability, *_rest in lines}
    anywhere = Q(pk__in=[])
    for scope in scopes.values():
        anywhere |= scope
    # Every line counts assignments still awaiting someone: the finished (most rows) are left out.
    awaiting = Q(state__in=[*DEPARTMENT_PENDING_STATES, AssignmentState.RESPONDED, AssignmentState.DECLINED])
    counts = CaseAssignment.objects.filter(anywhere, awaiting).aggregate(
        **{f"line{index}": Count("pk", filter=scopes[line[1]] & line[2]) for index, line in enumerate(lines)}
    )
    return [
        TodoItem(label, counts[f"line{index}"], _assignments_url(query), urgent=urgent)
        for index, (label, _capability, _condition, query, urgent) in enumerate(lines)
    ]


def service_request_queues(request):
    user = request.user
    if sees_everything(user) or not unit_grants(user, Capability.LOG_SERVICE_REQUEST):
        return []
    url = reverse("admin:cases_servicerequest_changelist")
    open_states = [ServiceRequestState.RECEIVED, ServiceRequestState.ACCEPTED]
    # Every line counts open requests: the finished (most rows) are left out before counting.
    counts = (
        ServiceRequest.objects.for_user(user, Capability.LOG_SERVICE_REQUEST)
        .filter(state__in=open_states)
        .aggregate(
            received=Count("pk", filter=Q(state=ServiceRequestState.RECEIVED)),
            accepted=Count("pk", filter=Q(state=ServiceRequestState.ACCEPTED)),
            overdue=Count("pk", filter=Q(state__in=open_states, due_at__lt=timezone.now())),
        )
    )
    return [
        TodoItem(_("Service requests awaiting acceptance"), counts["received"], f"{url}?state__exact=received"),
        TodoItem(_("Service requests awaiting completion"), counts["accepted"], f"{url}?state__exact=accepted"),
        TodoItem(_("Overdue service requests"), counts["overdue"], f"{url}?due=overdue", urgent=True),
    ]
