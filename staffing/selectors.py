"""Reads (STYLE.md: selectors read). The admin, the to-do queues and later exports call these."""

from django.core.exceptions import ValidationError
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
from django.utils import timezone

from governance.roles import Capability
from governance.scoping import holds, sees_everything
from staffing.models import (
    UNRESOLVED_STATES,
    AppointmentProposal,
    Assessment,
    AssessmentCycle,
    AssessmentState,
    Cadre,
    CycleState,
    Nomination,
    NominationState,
    ProposalState,
    ReviewState,
    Secondment,
    SecondmentState,
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


def assessment_queue_counts(*, user) -> dict[str, int]:
    """The assessment queues of the home page in one query (issue 12: one query per table)."""
    approving = Assessment.objects.scope_q(user, Capability.APPROVE_ASSESSMENT)
    drafting = Assessment.objects.scope_q(user, Capability.DRAFT_ASSESSMENT)
    reviewing = Assessment.objects.scope_q(user, Capability.ORGANISE_CADRES)
    return Assessment.objects.filter(approving | drafting | reviewing).aggregate(
        to_approve=Count("pk", filter=approving & Q(state=AssessmentState.SUBMITTED)),
        to_draft=Count(
            "pk",
            filter=drafting
            & Q(state__in=[AssessmentState.DRAFT, AssessmentState.RETURNED], cycle__state=CycleState.OPEN),
        ),
        reviews=Count("pk", filter=reviewing & Q(review_state=ReviewState.REQUESTED)),
    )


def secondment_queue_counts(*, user) -> dict[str, int]:
    """Secondments awaiting the organisation officer's approval and the township's arrival
    confirmation (报到), in one query."""
    approving = Secondment.objects.scope_q(user, Capability.ORGANISE_CADRES)
    receiving = Secondment.objects.scope_q(user, Capability.RECEIVE_CADRE)
    return Secondment.objects.filter(approving | receiving).aggregate(
        to_approve=Count("pk", filter=approving & Q(state=SecondmentState.DRAFTED)),
        awaiting_arrival=Count("pk", filter=receiving & Q(state=SecondmentState.APPROVED)),
    )


def proposal_queue_counts(*, user) -> dict[str, int]:
    """Proposals awaiting the township's consent or veto and consented ones to carry out, in one query."""
    deciding = AppointmentProposal.objects.scope_q(user, Capability.DECIDE_APPOINTMENT)
    proposing = AppointmentProposal.objects.scope_q(user, Capability.PROPOSE_APPOINTMENT)
    return AppointmentProposal.objects.filter(deciding | proposing).aggregate(
        to_decide=Count("pk", filter=deciding & Q(state=ProposalState.PROPOSED)),
        to_carry_out=Count("pk", filter=proposing & Q(state=ProposalState.CONSENTED)),
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


# --- which workflow steps a user may take now (the admin shows these as buttons; the services
# check everything again). The names are the step names of ``staffing.admin``. ---


def secondment_steps(*, secondment: Secondment, user) -> list[str]:
    """Three hands (issue 14): the county organisation department approves or declines a draft;
    the host township confirms the arrival of an approved one; the organisation department of the
    sending department's county ends one in force."""
    if not user.has_perm("staffing.change_secondment"):
        return []
    if secondment.state == SecondmentState.DRAFTED:
        return ["approve", "decline"] if holds(user, Capability.ORGANISE_CADRES, secondment.sending_unit_id) else []
    if secondment.state == SecondmentState.APPROVED:
        return ["arrive"] if holds(user, Capability.RECEIVE_CADRE, secondment.host_unit_id) else []
    if secondment.in_force and (
        holds(user, Capability.PROPOSE_APPOINTMENT, secondment.sending_unit_id)
        and holds(user, Capability.SEE_RECORDS, secondment.host_unit_id)
    ):
        return ["end"]
    return []


def cycle_steps(*, cycle: AssessmentCycle, user) -> list[str]:
    """A county-wide cycle is run by the county organisation department, a township's by whoever
    approves assessments in every one of its townships; the organisation department sets the quota
    of any cycle of its county until an assessment in it is approved."""
    from staffing.services import cycle_runner

    if cycle.state != CycleState.OPEN or not user.has_perm("staffing.change_assessmentcycle"):
        return []
    steps = []
    if (
        holds(user, Capability.ORGANISE_CADRES, cycle.county_id)
        and not cycle.assessments.filter(state=AssessmentState.APPROVED).exists()
    ):
        steps.append("quota")
    if cycle_runner(user, cycle):
        steps += ["generate", "close"]
    return steps


def assessment_steps(*, assessment: Assessment, user) -> list[str]:
    """Clerks submit a graded draft; a supervisor approves or returns a submission that is not
    their own (four eyes), and may reopen an approved one; the county organisation department
    settles an unfinished one as not graded. Once the cycle has closed, a review is recorded for
    a final grade and decided by the organisation department."""
    from staffing.services import review_request_check

    if not user.has_perm("staffing.change_assessment"):
        return []
    if assessment.cycle.state == CycleState.CLOSED:
        if assessment.review_state == ReviewState.REQUESTED:
            return ["review_decide"] if holds(user, Capability.ORGANISE_CADRES, assessment.host_unit_id) else []
        try:
            review_request_check(actor=user, assessment=assessment)
        except ValidationError:
            return []
        return ["review_request"]
    steps = []
    editable = assessment.state in (AssessmentState.DRAFT, AssessmentState.RETURNED)
    if editable and assessment.grade and holds(user, Capability.DRAFT_ASSESSMENT, assessment.host_unit_id):
        steps.append("submit")
    if assessment.state in UNRESOLVED_STATES and holds(user, Capability.ORGANISE_CADRES, assessment.host_unit_id):
        steps.append("ungraded")
    if not holds(user, Capability.APPROVE_ASSESSMENT, assessment.host_unit_id):
        return steps
    own = user.pk in (assessment.drafted_by_id, assessment.submitted_by_id)
    if assessment.state == AssessmentState.SUBMITTED and not own:
        steps += ["approve", "return"]
    if assessment.state == AssessmentState.APPROVED:
        steps.append("reopen")
    return steps


def nomination_steps(*, nomination: Nomination, user) -> list[str]:
    if nomination.state != NominationState.SUBMITTED or not user.has_perm("staffing.change_nomination"):
        return []
    return ["accept", "decline"] if holds(user, Capability.DECIDE_NOMINATION, nomination.host_unit_id) else []


def proposal_steps(*, proposal: AppointmentProposal, user, today=None) -> list[str]:
    """The host township consents or vetoes a proposal; a consented one is carried out by its
    proposer's side from its effective date. A vetoed proposal offers nothing, ever."""
    if not user.has_perm("staffing.change_appointmentproposal"):
        return []
    if proposal.state == ProposalState.PROPOSED and holds(user, Capability.DECIDE_APPOINTMENT, proposal.host_unit_id):
        return ["consent", "veto"]
    today = today or timezone.localdate()
    if (
        proposal.state == ProposalState.CONSENTED
        and proposal.effective_date <= today
        and holds(user, Capability.PROPOSE_APPOINTMENT, proposal.sending_unit_id)
    ):
        return ["carry_out"]
    return []
