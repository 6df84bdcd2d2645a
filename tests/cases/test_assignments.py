"""A department's steps and the centre's coordination: every transition and every refusal."""

import pytest
from django.core.exceptions import ValidationError

from cases.assignments import (
    ACCEPT_NOT_ALLOWED,
    ALREADY_ESCALATED,
    DECLINE_NOT_ALLOWED,
    FEEDBACK_NOT_ALLOWED,
    FEEDBACK_REQUIRED,
    MAY_NOT_HANDLE,
    REASON_REQUIRED,
    REASSIGN_SAME_DEPARTMENT,
    RESPOND_NOT_ALLOWED,
    assignment_accept,
    assignment_decline,
    assignment_escalate,
    assignment_feedback,
    assignment_reassign,
    assignment_respond,
)
from cases.models import AssignmentState, Case, CaseAssignment, CaseTransition, TransitionAction
from cases.raising import MAY_NOT_COORDINATE
from cases.transitions import CHANGED_MEANWHILE, state_move
from governance.models import LeadershipPost, Portfolio, PortfolioDepartment, PostRank, Sector
from tests.cases.conftest import beijing
from tests.factories.cases import case_raised


def _messages(error):
    return [str(message) for message in error.value.messages]


@pytest.fixture
def assignment(county, owner, item):
    return case_raised(actor=owner, township=county.township_a, item=item, now=beijing(2026, 3, 2, 9)).assignments[0]


def test_accept_feedback_respond_each_write_one_timed_row(assignment, agri_officer):
    assignment_accept(actor=agri_officer, assignment=assignment, now=beijing(2026, 3, 2, 14))
    assignment_feedback(actor=agri_officer, assignment=assignment, feedback="已到现场", now=beijing(2026, 3, 6, 9))
    done = assignment_respond(actor=agri_officer, assignment=assignment, response="已修复", now=beijing(2026, 3, 10, 9))
    assert done.state == AssignmentState.RESPONDED and done.response == "已修复" and done.feedback == "已到现场"
    rows = CaseTransition.objects.filter(assignment=assignment).exclude(action=TransitionAction.ASSIGN)
    assert [(r.action, r.from_state, r.to_state, r.on_time, r.actor) for r in rows] == [
        ("accept", "assigned", "accepted", True, agri_officer),
        ("feedback", "accepted", "in_progress", False, agri_officer),  # due 03-05 09:00
        ("respond", "in_progress", "responded", True, agri_officer),  # due 03-11 09:00
    ]


def test_the_neighbouring_department_cannot_act(assignment, housing_officer):
    for step in (assignment_accept, assignment_decline):
        with pytest.raises(ValidationError) as error:
            step(
                actor=housing_officer, assignment=assignment, **({"reason": "x"} if step is assignment_decline else {})
            )
        assert _messages(error) == [str(MAY_NOT_HANDLE)]
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ASSIGNED


def test_the_raising_township_cannot_act_for_the_department(assignment, owner, colleague):
    for actor in (owner, colleague):
        with pytest.raises(ValidationError):
            assignment_accept(actor=actor, assignment=assignment)
    assert CaseTransition.objects.filter(action=TransitionAction.ACCEPT).count() == 0


def test_responding_before_accepting_is_refused(assignment, agri_officer):
    with pytest.raises(ValidationError) as error:
        assignment_respond(actor=agri_officer, assignment=assignment, response="已处理")
    assert _messages(error) == [str(RESPOND_NOT_ALLOWED)]
    with pytest.raises(ValidationError) as error:
        assignment_feedback(actor=agri_officer, assignment=assignment, feedback="进展")
    assert _messages(error) == [str(FEEDBACK_NOT_ALLOWED)]
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ASSIGNED and assignment.response == ""


def test_accepting_twice_and_empty_feedback_are_refused(assignment, agri_officer):
    assignment_accept(actor=agri_officer, assignment=assignment)
    with pytest.raises(ValidationError) as error:
        assignment_accept(actor=agri_officer, assignment=assignment)
    assert _messages(error) == [str(ACCEPT_NOT_ALLOWED)]
    with pytest.raises(ValidationError) as error:
        assignment_feedback(actor=agri_officer, assignment=assignment, feedback="  ")
    assert _messages(error) == [str(FEEDBACK_REQUIRED)]


def test_a_stale_state_changes_nothing(assignment):
    with pytest.raises(ValidationError) as error:
        state_move(
            CaseAssignment,
            pk=assignment.pk,
            old_state=AssignmentState.ACCEPTED,
            actor=None,
            state=AssignmentState.RESPONDED,
        )
    assert _messages(error) == [str(CHANGED_MEANWHILE)]
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ASSIGNED


def test_decline_needs_a_reason_and_comes_before_feedback(assignment, agri_officer):
    with pytest.raises(ValidationError) as error:
        assignment_decline(actor=agri_officer, assignment=assignment, reason="")
    assert _messages(error) == [str(REASON_REQUIRED)]
    declined = assignment_decline(actor=agri_officer, assignment=assignment, reason="不属于本局职责")
    assert declined.state == AssignmentState.DECLINED
    with pytest.raises(ValidationError) as error:
        assignment_decline(actor=agri_officer, assignment=assignment, reason="再次")
    assert _messages(error) == [str(DECLINE_NOT_ALLOWED)]


def test_the_centre_reassigns_a_declined_assignment(county, assignment, agri_officer, housing_officer, centre):
    assignment_decline(actor=agri_officer, assignment=assignment, reason="属住建职责")
    result = assignment_reassign(actor=centre, assignment=assignment, department=county.housing, reason="房屋安全")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.REASSIGNED and assignment.reassigned_to == result.assignment
    assert result.assignment.department == county.housing and result.assignment.state == AssignmentState.ASSIGNED
    assignment_accept(actor=housing_officer, assignment=result.assignment)  # the new department takes it
    with pytest.raises(ValidationError) as error:
        assignment_reassign(actor=centre, assignment=result.assignment, department=county.housing)
    assert _messages(error) == [str(REASSIGN_SAME_DEPARTMENT)]
    # Both departments keep the case in their lists: the one that declined, the one that took it.
    case = Case.objects.get(pk=assignment.case_id)
    assert sorted(case.departments) == sorted([county.agriculture.pk, county.housing.pk])
    for officer in (agri_officer, housing_officer):
        assert Case.objects.for_user(officer).filter(pk=case.pk).exists()


def test_only_the_centre_reassigns_and_escalates(county, assignment, owner, colleague, agri_officer, outsider):
    for actor in (owner, colleague, agri_officer, outsider):
        with pytest.raises(ValidationError) as error:
            assignment_reassign(actor=actor, assignment=assignment, department=county.housing)
        assert _messages(error) == [str(MAY_NOT_COORDINATE)]
        with pytest.raises(ValidationError):
            assignment_escalate(actor=actor, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.escalated_at is None and assignment.department == county.agriculture


def test_escalation_records_the_overseeing_deputy_once(county, assignment, centre):
    deputy = LeadershipPost.objects.create(
        county=county.county, rank=PostRank.DEPUTY, portfolio=Portfolio.AGRICULTURE, holder_name="王红梅"
    )
    PortfolioDepartment.objects.create(post=deputy, department=county.agriculture)
    escalated = assignment_escalate(actor=centre, assignment=assignment, reason="群众多次反映")
    assert escalated.escalated_to == deputy and escalated.escalated_at is not None
    row = CaseTransition.objects.get(action=TransitionAction.ESCALATE)
    assert "王红梅" in row.reason and row.actor == centre
    with pytest.raises(ValidationError) as error:
        assignment_escalate(actor=centre, assignment=assignment)
    assert _messages(error) == [str(ALREADY_ESCALATED)]


def test_a_centre_of_another_county_is_refused(county, assignment):
    from governance.roles import Role
    from tests.conftest import user_with_role
    from tests.factories.governance import CountyFactory

    other = user_with_role(
        "other_centre", Role.COUNTY_GOVERNANCE_CENTRE, CountyFactory(parent=county.city, code="419922000000")
    )
    with pytest.raises(ValidationError):
        assignment_escalate(actor=other, assignment=assignment)


def test_co_departments_each_hold_their_own_assignment(county, owner, agri_officer, housing_officer, item):
    agri, housing = case_raised(
        actor=owner, township=county.township_a, item=item, co_sectors=[Sector.HOUSING_CONSTRUCTION]
    ).assignments
    assignment_accept(actor=agri_officer, assignment=agri)
    with pytest.raises(ValidationError):
        assignment_accept(actor=agri_officer, assignment=housing)
    housing.refresh_from_db()
    assert housing.state == AssignmentState.ASSIGNED
