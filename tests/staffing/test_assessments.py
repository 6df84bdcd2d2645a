import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from governance.roles import Role
from staffing import services
from staffing.models import Assessment, AssessmentState, CycleState, Grade, SecondmentState
from tests.conftest import user_with_role
from tests.factories.staffing import SecondmentFactory
from tests.staffing.conftest import open_cycle


def submitted(assessment, clerk, grade=Grade.COMPETENT):
    services.assessment_draft(actor=clerk, assessment=assessment, grade=grade, score=90, comments="实绩突出")
    services.assessment_submit(actor=clerk, assessment=assessment)
    assessment.refresh_from_db()
    return assessment


def test_a_cycle_generates_one_draft_per_secondment_in_force(county, colleague, secondment, secondment_b):
    ended = SecondmentFactory(sending_unit=county.housing, host_unit=county.township_a)
    ended.actual_end, ended.ended_by, ended.end_reason = ended.start_date, colleague, "期满"
    ended.state = SecondmentState.ENDED
    ended.save()
    cycle = open_cycle(colleague, county.township_a)
    assessment = cycle.assessments.get()
    assert assessment.secondment == secondment
    assert (assessment.cadre, assessment.host_unit, assessment.sending_unit, assessment.post) == (
        secondment.cadre,
        county.township_a,
        county.agriculture,
        secondment.post,
    )
    assert assessment.state == AssessmentState.DRAFT
    assert services.cycle_generate(actor=colleague, cycle=cycle) == 0  # idempotent


def test_a_supervisor_cannot_run_a_cycle_for_another_township(county, supervisor_b, owner):
    for actor in (supervisor_b, owner):
        with pytest.raises(ValidationError) as caught:
            open_cycle(actor, county.township_a)
        assert caught.value.messages == [str(services.CYCLE_NOT_PERMITTED)]


def test_draft_submit_approve_writes_one_transition_per_step(county, owner, colleague, assessment):
    submitted(assessment, owner)
    services.assessment_approve(actor=colleague, assessment=assessment)
    assessment.refresh_from_db()
    assert (assessment.state, assessment.round, assessment.approved_by) == (AssessmentState.APPROVED, 1, colleague)
    steps = list(assessment.transitions.values_list("actor__username", "from_state", "to_state", "round"))
    assert steps == [
        ("colleague", "", "draft", 0),
        ("owner", "draft", "submitted", 1),
        ("colleague", "submitted", "approved", 1),
    ]


def test_a_clerk_cannot_approve(county, owner, colleague, assessment):
    submitted(assessment, colleague)
    with pytest.raises(ValidationError) as caught:
        services.assessment_approve(actor=owner, assessment=assessment)
    assert caught.value.messages == [str(services.ASSESSMENT_NOT_APPROVER)]
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED


def test_a_supervisor_cannot_approve_their_own_draft(county, colleague, assessment):
    submitted(assessment, colleague)
    with pytest.raises(ValidationError) as caught:
        services.assessment_approve(actor=colleague, assessment=assessment)
    assert caught.value.messages == [str(services.ASSESSMENT_OWN_DRAFT)]
    with pytest.raises(ValidationError):
        services.assessment_return(actor=colleague, assessment=assessment, reason="自己退回")
    second = user_with_role("deputy_a", Role.TOWNSHIP_SUPERVISOR, county.township_a)
    services.assessment_approve(actor=second, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.APPROVED


def test_the_database_refuses_an_approver_who_drafted(county, owner, colleague, assessment):
    submitted(assessment, owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(
            state=AssessmentState.APPROVED, approved_by=owner, approved_at="2026-11-25T00:00Z"
        )


def test_another_townships_supervisor_is_refused(county, owner, supervisor_b, assessment):
    submitted(assessment, owner)
    for step in (services.assessment_approve, lambda **kw: services.assessment_return(reason="x", **kw)):
        with pytest.raises(ValidationError) as caught:
            step(actor=supervisor_b, assessment=assessment)
        assert caught.value.messages == [str(services.ASSESSMENT_NOT_APPROVER)]
    with pytest.raises(ValidationError):
        services.assessment_draft(
            actor=supervisor_b, assessment=assessment, grade=Grade.EXCELLENT, score=None, comments=""
        )
    assessment.refresh_from_db()
    assert (assessment.state, assessment.grade) == (AssessmentState.SUBMITTED, Grade.COMPETENT)


def test_return_needs_a_reason_and_resubmission_opens_round_two(county, owner, colleague, assessment):
    submitted(assessment, owner)
    with pytest.raises(ValidationError, match=str(services.REASON_REQUIRED)):
        services.assessment_return(actor=colleague, assessment=assessment, reason="")
    services.assessment_return(actor=colleague, assessment=assessment, reason="评语过简")
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.RETURNED
    submitted(assessment, owner)
    assert (assessment.state, assessment.round) == (AssessmentState.SUBMITTED, 2)
    returned = assessment.transitions.get(to_state=AssessmentState.RETURNED)
    assert (returned.round, returned.reason) == (1, "评语过简")


def test_submitting_needs_a_grade(county, owner, assessment):
    with pytest.raises(ValidationError, match=str(services.ASSESSMENT_NEEDS_GRADE)):
        services.assessment_submit(actor=owner, assessment=assessment)


def test_an_approved_assessment_cannot_be_edited_but_can_be_reopened_with_a_reason(
    county, owner, colleague, assessment
):
    submitted(assessment, owner)
    services.assessment_approve(actor=colleague, assessment=assessment)
    with pytest.raises(ValidationError) as caught:
        services.assessment_draft(actor=owner, assessment=assessment, grade=Grade.EXCELLENT, score=None, comments="")
    assert caught.value.error_list[0].code == "state"
    with pytest.raises(ValidationError):
        services.assessment_reopen(actor=owner, assessment=assessment, reason="clerk tries")
    with pytest.raises(ValidationError, match=str(services.REASON_REQUIRED)):
        services.assessment_reopen(actor=colleague, assessment=assessment, reason=" ")
    services.assessment_reopen(actor=colleague, assessment=assessment, reason="补充材料")
    assessment.refresh_from_db()
    assert (assessment.state, assessment.approved_by) == (AssessmentState.RETURNED, None)
    assert assessment.transitions.last().reason == "补充材料"


def test_a_closed_cycle_cannot_change(county, owner, colleague, cycle, assessment):
    submitted(assessment, owner)
    services.assessment_approve(actor=colleague, assessment=assessment)
    services.cycle_close(actor=colleague, cycle=cycle)
    cycle.refresh_from_db()
    assert (cycle.state, cycle.closed_by) == (CycleState.CLOSED, colleague)
    assert list(cycle.transitions.values_list("from_state", "to_state")) == [("", "open"), ("open", "closed")]
    for attempt in (
        lambda: services.assessment_reopen(actor=colleague, assessment=assessment, reason="x"),
        lambda: services.assessment_draft(actor=owner, assessment=assessment, grade="", score=None, comments=""),
        lambda: services.cycle_generate(actor=colleague, cycle=cycle),
        lambda: services.cycle_close(actor=colleague, cycle=cycle),
    ):
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.error_list[0].code == "closed"
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.APPROVED


def test_visibility_township_sees_all_department_and_county_only_approved(
    county, owner, colleague, outsider, agri_officer, housing_officer, organiser, cycle, assessment
):
    def visible(user):
        return set(Assessment.objects.for_user(user))

    assert visible(owner) == visible(organiser) == {assessment}  # the organiser settles what is unfinished
    assert visible(agri_officer) == visible(outsider) == set()
    submitted(assessment, owner)
    services.assessment_approve(actor=colleague, assessment=assessment)
    assert visible(agri_officer) == visible(organiser) == {assessment}
    assert visible(outsider) == visible(housing_officer) == set()
