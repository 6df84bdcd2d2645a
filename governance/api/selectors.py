"""Reads of the API: the records a client may see, when each last changed, and whether the
client may read its citizens' personal information.

"Changed" is read from the transition rows: every step of a case or a service request writes
exactly one (the house rule), so a record's last change is its latest transition's moment, and
the records changed since a moment are those with a transition after it (on PostgreSQL a BRIN
index on the case steps' ``at`` serves that, a B-tree on the service-request steps'). No column of
the records is written for it, so no step locks more than it did.
"""

from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from cases.models import Case, CaseAssignment, CaseTransition, ServiceRequest, ServiceRequestTransition
from governance.roles import Capability
from governance.scoping import units_for


def _last_change(transitions: QuerySet, link: str) -> Subquery:
    return Subquery(transitions.filter(**{link: OuterRef("pk")}).order_by("-at").values("at")[:1])


def cases_shown(cases: QuerySet, *, assignments: QuerySet) -> QuerySet:
    """What a case's representation reads, in a fixed number of queries per page."""
    return (
        cases.select_related("township", "village", "item", "api_ticket")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=assignments.select_related("department").order_by("created_at", "pk"),
                to_attr="visible_assignments",
            ),
            "attachments",
        )
        .annotate(changed_at=_last_change(CaseTransition.objects.all(), "case"))
    )


def cases_visible(*, user, changed_since: datetime | None = None) -> QuerySet:
    """The client's cases; of their assignments those the user may see (a department its own)."""
    cases = cases_shown(Case.objects.for_user(user), assignments=CaseAssignment.objects.for_user(user))
    if changed_since is not None:
        cases = cases.filter(pk__in=CaseTransition.objects.filter(at__gt=changed_since).values("case_id"))
    return cases


def service_requests_shown(requests: QuerySet, *, user) -> QuerySet:
    """What a request's representation reads; ``personal_info_readable`` as the admin's list has it."""
    readable = units_for(user, Capability.VIEW_PERSONAL_INFO).filter(pk=OuterRef("township_id"))
    return requests.select_related("township", "village", "item", "api_ticket").annotate(
        changed_at=_last_change(ServiceRequestTransition.objects.all(), "request"),
        personal_info_readable=Exists(readable),
    )


def service_requests_visible(*, user, changed_since: datetime | None = None) -> QuerySet:
    requests = service_requests_shown(ServiceRequest.objects.for_user(user), user=user)
    if changed_since is not None:
        requests = requests.filter(
            pk__in=ServiceRequestTransition.objects.filter(at__gt=changed_since).values("request_id")
        )
    return requests
