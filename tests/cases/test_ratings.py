"""The township rates each department (评价权); unsatisfied returns it; the case closes (销号)."""

import pytest
from django.core.exceptions import ValidationError

from cases.assignments import assignment_accept, assignment_feedback, assignment_respond
from cases.models import AssignmentState, CaseState, CaseTransition, Rating, TransitionAction
from cases.ratings import MAY_NOT_RATE, RATE_NOT_ALLOWED, UNSATISFIED_NEEDS_COMMENT, assignment_rate
from governance.models import Sector
from tests.cases.conftest import beijing
from tests.factories.cases import case_raised


def _messages(error):
    return [str(message) for message in error.value.messages]


def _respond(officer, assignment, day):
    assignment_accept(actor=officer, assignment=assignment, now=beijing(2026, 3, day, 10))
    assignment_feedback(actor=officer, assignment=assignment, feedback="进展", now=beijing(2026, 3, day, 11))
    assignment_respond(actor=officer, assignment=assignment, response="结果", now=beijing(2026, 3, day, 12))


@pytest.fixture
def raised(county, owner, item):
    return case_raised(
        actor=owner,
        township=county.township_a,
        item=item,
        co_sectors=[Sector.HOUSING_CONSTRUCTION],
        now=beijing(2026, 3, 2, 9),
    )


def test_unsatisfied_returns_with_fresh_deadlines_and_the_case_closes_at_the_end(
    raised, colleague, agri_officer, housing_officer
):
    agri, housing = raised.assignments
    _respond(agri_officer, agri, 3)
    _respond(housing_officer, housing, 4)
    assignment_rate(actor=colleague, assignment=agri, rating=Rating.SATISFIED, now=beijing(2026, 3, 5, 9))
    raised.case.refresh_from_db()
    assert raised.case.state == CaseState.OPEN  # housing still awaits its rating
    returned = assignment_rate(
        actor=colleague, assignment=housing, rating=Rating.UNSATISFIED, comment="仍有积水", now=beijing(2026, 3, 6, 9)
    ).assignment
    assert (returned.state, returned.round, returned.rating) == (AssignmentState.ASSIGNED, 2, Rating.UNSATISFIED)
    assert returned.round_started_at == beijing(2026, 3, 6, 9)
    assert returned.accept_due == beijing(2026, 3, 9, 17, 30)  # Friday + 1 working day = Monday's close
    assert returned.close_due == beijing(2026, 3, 20, 17, 30)
    assert returned.accepted_at is None and returned.responded_at is None
    _respond(housing_officer, housing, 10)
    closed = assignment_rate(
        actor=colleague, assignment=housing, rating=Rating.BASICALLY_SATISFIED, now=beijing(2026, 3, 11, 9)
    ).assignment
    assert closed.state == AssignmentState.COMPLETED
    raised.case.refresh_from_db()
    assert raised.case.state == CaseState.CLOSED and raised.case.closed_at == beijing(2026, 3, 11, 9)
    assert CaseTransition.objects.filter(action=TransitionAction.CLOSE).count() == 1
    assert list(
        CaseTransition.objects.filter(assignment=housing, action=TransitionAction.RATE).values_list("rating", flat=True)
    ) == ["unsatisfied", "basically_satisfied"]


def test_a_township_cannot_rate_a_case_it_did_not_raise(raised, outsider_supervisor, agri_officer):
    agri = raised.assignments[0]
    _respond(agri_officer, agri, 3)
    with pytest.raises(ValidationError) as error:
        assignment_rate(actor=outsider_supervisor, assignment=agri, rating=Rating.SATISFIED)
    assert _messages(error) == [str(MAY_NOT_RATE)]
    agri.refresh_from_db()
    assert agri.state == AssignmentState.RESPONDED and agri.rating == ""


def test_a_clerk_and_the_department_cannot_rate(raised, owner, agri_officer):
    agri = raised.assignments[0]
    _respond(agri_officer, agri, 3)
    for actor in (owner, agri_officer):
        with pytest.raises(ValidationError) as error:
            assignment_rate(actor=actor, assignment=agri, rating=Rating.SATISFIED)
        assert _messages(error) == [str(MAY_NOT_RATE)]


def test_rating_before_the_response_and_unsatisfied_without_comment_are_refused(raised, colleague, agri_officer):
    agri = raised.assignments[0]
    with pytest.raises(ValidationError) as error:
        assignment_rate(actor=colleague, assignment=agri, rating=Rating.SATISFIED)
    assert _messages(error) == [str(RATE_NOT_ALLOWED)]
    _respond(agri_officer, agri, 3)
    with pytest.raises(ValidationError) as error:
        assignment_rate(actor=colleague, assignment=agri, rating=Rating.UNSATISFIED, comment=" ")
    assert _messages(error) == [str(UNSATISFIED_NEEDS_COMMENT)]
    agri.refresh_from_db()
    assert agri.state == AssignmentState.RESPONDED and agri.round == 1


def test_the_redo_round_has_its_own_profile(raised, item, colleague, housing_officer):
    """Issue 14: the round after an unsatisfied rating counts on the item's redo profile."""
    from governance.models import CasePriority, CoordinationDeadline, DeadlineRound

    CoordinationDeadline.objects.create(
        item=item,
        priority=CasePriority.NORMAL,
        round_kind=DeadlineRound.REDO,
        accept_days=1,
        feedback_days=1,
        resolve_days=2,
        close_days=3,
    )
    housing = raised.assignments[1]
    assert housing.close_due == beijing(2026, 3, 16, 17, 30)  # the first round: 13710, 10 working days
    _respond(housing_officer, housing, 4)
    returned = assignment_rate(
        actor=colleague, assignment=housing, rating=Rating.UNSATISFIED, comment="仍有积水", now=beijing(2026, 3, 6, 9)
    ).assignment
    assert (returned.feedback_due, returned.resolve_due, returned.close_due) == (
        beijing(2026, 3, 9, 17, 30),
        beijing(2026, 3, 10, 17, 30),
        beijing(2026, 3, 11, 17, 30),
    )
