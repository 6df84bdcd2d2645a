"""Reads (STYLE.md: selectors read). The admin, the to-do queues and later exports call these."""

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from governance.roles import Capability
from governance.scoping import sees_everything
from staffing.models import (
    AppointmentProposal,
    Assessment,
    AssessmentState,
    Cadre,
    Nomination,
    NominationState,
    ProposalState,
    Secondment,
    TownshipStaffing,
)


def _count_per(queryset: QuerySet, field: str):
    """A correlated COUNT(*) of ``queryset`` rows whose ``field`` is the outer unit (0 if none)."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def township_staffing_list(*, user) -> QuerySet:
    """Township-level units the user sees, with quota, own staff (not seconded out), cadres
    seconded in, live headcount and the gap (quota − headcount; negative is over quota).
    DESIGN.md M8: "about 100" is a guideline, so over quota is shown, never refused."""
    seconded_now = Secondment.objects.in_force()
    own_staff = Cadre.objects.exclude(Exists(seconded_now.filter(cadre=OuterRef("pk"))))
    return (
        TownshipStaffing.objects.for_user(user)
        .township_level()
        .select_related("parent")
        .annotate(own_staff=_count_per(own_staff, "home_unit"), seconded_in=_count_per(seconded_now, "host_unit"))
        .annotate(headcount=F("own_staff") + F("seconded_in"))
        .annotate(gap=F("staff_quota") - F("headcount"))
    )


def assessment_list(*, user) -> QuerySet:
    """Assessments the user may see: every state for the host township's clerks and supervisors,
    approved only for the sending department and the county (the rule lives in the queryset)."""
    return Assessment.objects.for_user(user)


def assessments_awaiting_approval(*, user) -> QuerySet:
    return Assessment.objects.for_user(user, Capability.APPROVE_ASSESSMENT).filter(state=AssessmentState.SUBMITTED)


def assessments_to_draft(*, user) -> QuerySet:
    return Assessment.objects.for_user(user, Capability.DRAFT_ASSESSMENT).filter(
        state__in=[AssessmentState.DRAFT, AssessmentState.RETURNED], cycle__state="open"
    )


def proposals_awaiting_decision(*, user) -> QuerySet:
    return AppointmentProposal.objects.for_user(user, Capability.DECIDE_APPOINTMENT).filter(
        state=ProposalState.PROPOSED
    )


def proposals_to_carry_out(*, user) -> QuerySet:
    return AppointmentProposal.objects.for_user(user, Capability.PROPOSE_APPOINTMENT).filter(
        state=ProposalState.CONSENTED
    )


def nominations_awaiting_decision(*, user) -> QuerySet:
    return Nomination.objects.for_user(user, Capability.DECIDE_NOMINATION).filter(state=NominationState.SUBMITTED)


def cadres_with_personal_info(*, user) -> QuerySet:
    """Cadres whose ID number and phone the user may read in full (VIEW_PERSONAL_INFO covers them)."""
    return Cadre.objects.for_user(user, Capability.VIEW_PERSONAL_INFO)


def with_personal_info_visible(queryset: QuerySet, *, user, cadre_lookup: str = "pk") -> QuerySet:
    """Annotate ``personal_info_visible`` on each row: whether the user may read its cadre's ID
    number and phone in full. One rule for lists, detail pages and exports; no query per row."""
    if sees_everything(user):
        visible = Value(True)
    else:
        revealed = cadres_with_personal_info(user=user).values("pk")
        visible = ExpressionWrapper(Q(**{f"{cadre_lookup}__in": revealed}), output_field=BooleanField())
    return queryset.annotate(personal_info_visible=visible)
