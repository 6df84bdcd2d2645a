"""The case and service-request figures of the home page's picture (issue 13; DESIGN.md M11).

Selectors: each reads one grouped aggregate in the user's scope for one capability and returns
plain numbers and unit names (they are cached as they are, ``governance.dashboard``). None issues
a query per department, township or week: at a million cases the home page stays a handful of
queries (issue 12's budget).
"""

from datetime import date, datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from cases.deadlines import overdue_q
from cases.models import (
    DEPARTMENT_PENDING_STATES,
    AssignmentState,
    Case,
    CaseAssignment,
    ServiceRequest,
    ServiceRequestState,
)
from governance.dashboard import local_midnight

# What an assignment row is grouped by on each picture: its department, township or county.
GROUPS = ("department", "township", "county")


def pending_by(*, user, capability: str, group: str, now: datetime | None = None) -> list[dict]:
    """Per ``group`` (a unit): assignments the departments still owe (``pending``), those of them
    past the step's due (``overdue``) and those declined and awaiting reassignment (``declined``).
    Worst first: most overdue, then most pending."""
    if group not in GROUPS:
        raise ValueError(group)
    now = now or timezone.now()
    rows = (
        CaseAssignment.objects.filter(CaseAssignment.objects.scope_q(user, capability))
        .filter(state__in=[*DEPARTMENT_PENDING_STATES, AssignmentState.DECLINED])
        .values(unit_id=F(group), name=F(f"{group}__name"))
        .annotate(
            pending=Count("pk", filter=Q(state__in=DEPARTMENT_PENDING_STATES)),
            overdue=Count("pk", filter=overdue_q(now)),
            declined=Count("pk", filter=Q(state=AssignmentState.DECLINED)),
        )
        .order_by()
    )
    return sorted(rows, key=lambda row: (-row["overdue"], -row["pending"], row["name"]))


def assignments_by_state(*, user, capability: str, now: datetime | None = None) -> dict[str, int]:
    """A department's assignments by state, and how many of them are overdue now (one query)."""
    now = now or timezone.now()
    return CaseAssignment.objects.filter(CaseAssignment.objects.scope_q(user, capability)).aggregate(
        overdue=Count("pk", filter=overdue_q(now)),
        **{state.value: Count("pk", filter=Q(state=state)) for state in AssignmentState},
    )


def escalations_by_post(*, user, capability: str, year_start: date) -> list[dict]:
    """Per deputy in charge (督办 goes to the portfolio's deputy, DESIGN.md M2; ``escalated_to`` None
    where the county has no post for the department): escalations still unfinished, and
    escalations this year."""
    since = local_midnight(year_start)
    rows = (
        CaseAssignment.objects.filter(CaseAssignment.objects.scope_q(user, capability))
        .filter(escalated_at__isnull=False)
        .filter(Q(escalated_at__gte=since) | Q(state__in=DEPARTMENT_PENDING_STATES))
        .values(
            "escalated_to",
            "escalated_to__portfolio",
            "escalated_to__rank",
            "escalated_to__holder_name",
            "escalated_to__county__name",
        )
        .annotate(
            unfinished=Count("pk", filter=Q(state__in=DEPARTMENT_PENDING_STATES)),
            this_year=Count("pk", filter=Q(escalated_at__gte=since)),
        )
        .order_by()
    )
    return sorted(rows, key=lambda row: (-row["unfinished"], -row["this_year"], row["escalated_to"] or 0))


def raised_closed_by_week(*, user, capability: str, weeks: list[tuple[date, date]]) -> list[dict]:
    """Cases raised and cases closed in each week (local Monday to Monday), in one query: a
    filtered count per week and measure over the cases touching the window."""
    bounds = [(local_midnight(start), local_midnight(end)) for start, end in weeks]
    since = bounds[0][0]
    counts = (
        Case.objects.filter(Case.objects.scope_q(user, capability))
        .filter(Q(raised_at__gte=since) | Q(closed_at__gte=since))
        .aggregate(
            **{
                f"raised{i}": Count("pk", filter=Q(raised_at__gte=a, raised_at__lt=b))
                for i, (a, b) in enumerate(bounds)
            },
            **{
                f"closed{i}": Count("pk", filter=Q(closed_at__gte=a, closed_at__lt=b))
                for i, (a, b) in enumerate(bounds)
            },
        )
    )
    return [
        {"start": start, "end": end, "raised": counts[f"raised{i}"], "closed": counts[f"closed{i}"]}
        for i, (start, end) in enumerate(weeks)
    ]


def service_request_figures(*, user, capability: str, start: date, now: datetime | None = None) -> dict[str, int]:
    """Since ``start``: requests received, completed, completed by their due, rejected; and open
    requests past their due now. One query."""
    now = now or timezone.now()
    since = local_midnight(start)
    open_states = [ServiceRequestState.RECEIVED, ServiceRequestState.ACCEPTED]
    finished = Q(finished_at__gte=since)
    return (
        ServiceRequest.objects.filter(ServiceRequest.objects.scope_q(user, capability))
        .filter(Q(received_at__gte=since) | finished | Q(state__in=open_states))
        .aggregate(
            received=Count("pk", filter=Q(received_at__gte=since)),
            completed=Count("pk", filter=finished & Q(state=ServiceRequestState.COMPLETED)),
            on_time=Count("pk", filter=finished & Q(state=ServiceRequestState.COMPLETED, finished_at__lte=F("due_at"))),
            rejected=Count("pk", filter=finished & Q(state=ServiceRequestState.REJECTED)),
            overdue=Count("pk", filter=Q(state__in=open_states, due_at__lt=now)),
        )
    )


def month_start(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today.replace(day=1)
