"""Each staffing role's queue on the admin home page (DESIGN.md M11): supervisors land on what
awaits their decision, clerks on their drafts and returns, the county on nominations and on
proposals it may carry out, county users on townships over quota."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.todo import TodoItem
from staffing import selectors
from staffing.models import (
    AssessmentState,
    NominationState,
    PeriodicState,
    ProposalState,
    ReviewState,
    SecondmentState,
)
from staffing.periodic import periodic_queue_counts


def _url(model: str, query: str) -> str:
    return f"{reverse(f'admin:staffing_{model}_changelist')}?{query}"


def staffing_todo(request):
    user = request.user
    items = []
    assessments = selectors.assessment_queue_counts(user=user) if user.has_perm("staffing.change_assessment") else {}
    if assessments:
        items.append(
            TodoItem(
                _("Assessments awaiting your approval"),
                assessments["to_approve"],
                _url("assessment", f"state__exact={AssessmentState.SUBMITTED}"),
            )
        )
        items.append(
            TodoItem(
                _("Assessments to draft or correct"),
                assessments["to_draft"],
                _url("assessment", f"state__in={AssessmentState.DRAFT},{AssessmentState.RETURNED}"),
            )
        )
    if user.has_perm("staffing.change_periodicrecord"):
        counts = periodic_queue_counts(user=user)
        items.append(
            TodoItem(
                _("Monthly and quarterly records awaiting your approval"),
                counts["to_approve"],
                _url("periodicrecord", f"state__exact={PeriodicState.SUBMITTED}"),
            )
        )
        items.append(
            TodoItem(
                _("Monthly and quarterly records returned to you"),
                counts["to_correct"],
                _url("periodicrecord", f"state__exact={PeriodicState.RETURNED}"),
            )
        )
    if user.has_perm("staffing.change_secondment"):
        counts = selectors.secondment_queue_counts(user=user)
        items.append(
            TodoItem(
                _("Secondments awaiting your approval"),
                counts["to_approve"],
                _url("secondment", f"state__exact={SecondmentState.DRAFTED}"),
            )
        )
        items.append(
            TodoItem(
                _("Seconded cadres awaiting arrival (报到)"),
                counts["awaiting_arrival"],
                _url("secondment", f"state__exact={SecondmentState.APPROVED}"),
            )
        )
    if assessments:
        items.append(
            TodoItem(
                _("Reviews (复核) awaiting your decision"),
                assessments["reviews"],
                _url("assessment", f"review_state__exact={ReviewState.REQUESTED}"),
            )
        )
    if user.has_perm("staffing.change_appointmentproposal"):
        counts = selectors.proposal_queue_counts(user=user)
        items.append(
            TodoItem(
                _("Appointment proposals awaiting your consent or veto"),
                counts["to_decide"],
                _url("appointmentproposal", f"state__exact={ProposalState.PROPOSED}"),
            )
        )
        items.append(
            TodoItem(
                _("Consented appointment proposals to carry out"),
                counts["to_carry_out"],
                _url("appointmentproposal", f"state__exact={ProposalState.CONSENTED}"),
            )
        )
    if user.has_perm("staffing.change_nomination"):
        items.append(
            TodoItem(
                _("Nominations awaiting your decision"),
                selectors.nominations_awaiting_decision(user=user).count(),
                _url("nomination", f"state__exact={NominationState.SUBMITTED}"),
            )
        )
    if user.has_perm("staffing.view_townshipstaffing"):
        items.append(
            TodoItem(
                _("Townships over their staff quota"),
                selectors.township_staffing_list(user=user).filter(gap__lt=0).count(),
                _url("townshipstaffing", "o=7"),
                urgent=True,
            )
        )
    return [item for item in items if item.count]
