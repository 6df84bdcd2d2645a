"""Each role's queue on the admin home page (DESIGN.md M11): departments see what awaits their
next step, townships what awaits their rating, the governance centre what needs coordinating,
desks their service requests. Counts are scoped to the user."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import overdue_q
from cases.models import DEPARTMENT_PENDING_STATES, AssignmentState, CaseAssignment, ServiceRequest, ServiceRequestState
from governance.roles import Capability
from governance.scoping import sees_everything, units_for
from governance.todo import TodoItem


def _assignments_url(query: str) -> str:
    return f"{reverse('admin:cases_caseassignment_changelist')}?{query}"


def case_queues(request):
    user = request.user
    if sees_everything(user):
        return []  # the city sees the lists themselves; queues are for the units doing the work
    now = timezone.now()
    items = []
    handled = units_for(user, Capability.HANDLE_ASSIGNMENT)
    if handled.exists():
        mine = CaseAssignment.objects.filter(department__in=handled.values("pk"))
        items += [
            TodoItem(
                _("Assignments awaiting acceptance"),
                mine.filter(state=AssignmentState.ASSIGNED).count(),
                _assignments_url("state__exact=assigned"),
            ),
            TodoItem(
                _("Assignments awaiting first feedback"),
                mine.filter(state=AssignmentState.ACCEPTED).count(),
                _assignments_url("state__exact=accepted"),
            ),
            TodoItem(
                _("Assignments awaiting the result"),
                mine.filter(state=AssignmentState.IN_PROGRESS).count(),
                _assignments_url("state__exact=in_progress"),
            ),
            TodoItem(
                _("Overdue assignments"),
                mine.filter(overdue_q(now)).count(),
                _assignments_url("due=overdue"),
                urgent=True,
            ),
        ]
    rating = units_for(user, Capability.RATE_CASE)
    if rating.exists():
        awaiting = CaseAssignment.objects.filter(
            case__township__in=rating.values("pk"), state=AssignmentState.RESPONDED
        )
        items += [
            TodoItem(_("Responses awaiting your rating"), awaiting.count(), _assignments_url("state__exact=responded")),
            TodoItem(
                _("Ratings past the close date"),
                awaiting.filter(close_due__lt=now).count(),
                _assignments_url("due=rating_late"),
                urgent=True,
            ),
        ]
    raising = units_for(user, Capability.RAISE_CASE)
    if raising.exists():
        late = CaseAssignment.objects.filter(Q(case__township__in=raising.values("pk")) & overdue_q(now))
        items.append(
            TodoItem(_("Departments overdue on your cases"), late.count(), _assignments_url("due=overdue"), urgent=True)
        )
    coordinating = units_for(user, Capability.COORDINATE_CASES)
    if coordinating.exists():
        county = CaseAssignment.objects.filter(case__township__in=coordinating.values("pk"))
        items += [
            TodoItem(
                _("Declined, awaiting reassignment"),
                county.filter(state=AssignmentState.DECLINED).count(),
                _assignments_url("state__exact=declined"),
                urgent=True,
            ),
            TodoItem(
                _("Overdue assignments in the county"),
                county.filter(overdue_q(now)).count(),
                _assignments_url("due=overdue"),
                urgent=True,
            ),
            TodoItem(
                _("Escalated and unfinished"),
                county.filter(state__in=DEPARTMENT_PENDING_STATES, escalated_at__isnull=False).count(),
                _assignments_url("due=escalated"),
            ),
        ]
    return items


def service_request_queues(request):
    user = request.user
    if sees_everything(user):
        return []
    desks = units_for(user, Capability.LOG_SERVICE_REQUEST)
    if not desks.exists():
        return []
    url = reverse("admin:cases_servicerequest_changelist")
    mine = ServiceRequest.objects.for_user(user, Capability.LOG_SERVICE_REQUEST)
    open_states = [ServiceRequestState.RECEIVED, ServiceRequestState.ACCEPTED]
    return [
        TodoItem(
            _("Service requests awaiting acceptance"),
            mine.filter(state=ServiceRequestState.RECEIVED).count(),
            f"{url}?state__exact=received",
        ),
        TodoItem(
            _("Service requests awaiting completion"),
            mine.filter(state=ServiceRequestState.ACCEPTED).count(),
            f"{url}?state__exact=accepted",
        ),
        TodoItem(
            _("Overdue service requests"),
            mine.filter(state__in=open_states, due_at__lt=timezone.now()).count(),
            f"{url}?due=overdue",
            urgent=True,
        ),
    ]
