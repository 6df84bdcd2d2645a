"""No assessment left hanging: closing is refused while any is unfinished; the county organisation
department settles one as not graded (不定等次); a final grade may be reviewed (复核) (issue 14 item 3)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from staffing import selectors, services
from staffing.models import Assessment, AssessmentCycle, AssessmentState, CycleScope, CycleState, Grade, ReviewState
from tests.factories.staffing import SecondmentFactory
from tests.staffing.test_admin import login, step_url, url


@pytest.fixture
def county_cycle(county, organiser, secondment, secondment_b):
    return services.cycle_open(
        actor=organiser,
        cycle=AssessmentCycle(
            name="2026年度", period_kind="year", year=2026, scope=CycleScope.COUNTY, county=county.county
        ),
    )


def graded(assessment, clerk, supervisor, grade=Grade.COMPETENT):
    services.assessment_draft(actor=clerk, assessment=assessment, grade=grade, score=85, comments="")
    services.assessment_submit(actor=clerk, assessment=assessment)
    services.assessment_approve(actor=supervisor, assessment=assessment)
    assessment.refresh_from_db()
    return assessment


def test_closing_is_refused_while_any_is_unfinished_naming_them(county, organiser, county_cycle, owner, colleague):
    graded(county_cycle.assessments.get(host_unit=county.township_a), owner, colleague)
    left = county_cycle.assessments.get(host_unit=county.township_b)
    with pytest.raises(ValidationError) as caught:
        services.cycle_close(actor=organiser, cycle=county_cycle)
    assert caught.value.error_list[0].code == "unresolved"
    assert left.cadre.name in caught.value.messages[0] and "柳林镇" in caught.value.messages[0]
    county_cycle.refresh_from_db()
    assert county_cycle.state == CycleState.OPEN


def test_the_organiser_settles_one_as_not_graded_with_a_reason_then_closes(
    county, organiser, county_cycle, owner, colleague, supervisor_b
):
    graded(county_cycle.assessments.get(host_unit=county.township_a), owner, colleague)
    left = county_cycle.assessments.get(host_unit=county.township_b)
    for actor, reason in ((supervisor_b, "长期病假"), (owner, "长期病假"), (organiser, "  ")):
        with pytest.raises(ValidationError):
            services.assessment_settle_ungraded(actor=actor, assessment=left, reason=reason)
    assert selectors.assessment_steps(assessment=left, user=organiser) == ["ungraded"]
    services.assessment_settle_ungraded(actor=organiser, assessment=left, reason="长期病假，考核期内在岗不足半年")
    left.refresh_from_db()
    assert (left.state, left.grade, left.ungraded_reason) == (
        AssessmentState.UNGRADED,
        "",
        "长期病假，考核期内在岗不足半年",
    )
    assert left.transitions.last().to_state == AssessmentState.UNGRADED
    with pytest.raises(ValidationError) as caught:  # settled once; not again
        services.assessment_settle_ungraded(actor=organiser, assessment=left, reason="x")
    assert caught.value.error_list[0].code == "state"
    services.cycle_close(actor=organiser, cycle=county_cycle)
    left.refresh_from_db()
    assert left.final_grade == str(AssessmentState.UNGRADED.label)


def test_the_ungraded_state_needs_its_reason_in_the_database(county, organiser, county_cycle):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        county_cycle.assessments.filter(host_unit=county.township_b).update(state=AssessmentState.UNGRADED)


def closed_with_grades(county, organiser, cycle, owner, colleague, supervisor_b, grade_a=Grade.COMPETENT):
    from governance.roles import Role
    from tests.conftest import user_with_role

    graded(cycle.assessments.get(host_unit=county.township_a), owner, colleague, grade_a)
    clerk_b = user_with_role("clerk_b", Role.TOWNSHIP_CLERK, county.township_b)
    graded(cycle.assessments.get(host_unit=county.township_b), clerk_b, supervisor_b, Grade.BASICALLY_COMPETENT)
    services.cycle_close(actor=organiser, cycle=cycle)
    cycle.refresh_from_db()
    return cycle


def test_a_review_is_recorded_within_the_period_and_decided_by_the_organiser(
    county, organiser, county_cycle, owner, colleague, supervisor_b, outsider
):
    cycle = closed_with_grades(
        county, organiser, county_cycle, owner, colleague, supervisor_b, Grade.BASICALLY_COMPETENT
    )
    closed_on = timezone.localdate(cycle.closed_at)
    mine = cycle.assessments.get(host_unit=county.township_a)
    assert mine.final_grade == Grade.BASICALLY_COMPETENT.label
    assert selectors.assessment_steps(assessment=mine, user=owner) == ["review_request"]
    assert selectors.assessment_steps(assessment=mine, user=outsider) == []
    with pytest.raises(ValidationError) as caught:  # another township does not record for our cadre
        services.assessment_review_request(actor=outsider, assessment=mine, requested_on=closed_on, grounds="不服")
    assert caught.value.messages == [str(services.REVIEW_NOT_RECORDER)]
    late = closed_on + datetime.timedelta(days=31)
    with pytest.raises(ValidationError) as caught:
        services.assessment_review_request(actor=owner, assessment=mine, requested_on=late, grounds="不服", today=late)
    assert "30" in caught.value.message_dict["requested_on"][0]
    with pytest.raises(ValidationError) as caught:
        services.assessment_review_request(actor=owner, assessment=mine, requested_on=closed_on, grounds=" ")
    assert "grounds" in caught.value.message_dict
    services.assessment_review_request(
        actor=owner, assessment=mine, requested_on=closed_on, grounds="本人牵头完成防汛任务，应评为称职"
    )
    with pytest.raises(ValidationError) as caught:
        services.assessment_review_request(actor=owner, assessment=mine, requested_on=closed_on, grounds="再次")
    assert caught.value.messages == [str(services.REVIEW_ALREADY)]
    mine.refresh_from_db()
    assert mine.review_state == ReviewState.REQUESTED
    for actor in (owner, colleague):
        with pytest.raises(ValidationError):
            services.assessment_review_decide(actor=actor, assessment=mine, change=False, reason="维持")
    assert selectors.assessment_steps(assessment=mine, user=organiser) == ["review_decide"]
    with pytest.raises(ValidationError) as caught:
        services.assessment_review_decide(actor=organiser, assessment=mine, change=True, reason="改定", grade="")
    assert "grade" in caught.value.message_dict
    services.assessment_review_decide(
        actor=organiser, assessment=mine, change=True, reason="经复核，防汛实绩属实", grade=Grade.COMPETENT
    )
    mine.refresh_from_db()
    assert (mine.grade, mine.grade_before_review, mine.review_state) == (
        Grade.COMPETENT,
        Grade.BASICALLY_COMPETENT,
        ReviewState.CHANGED,
    )
    steps = list(mine.transitions.values_list("to_state", flat=True))
    assert steps[-2:] == [ReviewState.REQUESTED, ReviewState.CHANGED]
    grades = list(mine.history.order_by("history_date").values_list("grade", flat=True))
    assert grades[-1] == Grade.COMPETENT and Grade.BASICALLY_COMPETENT in grades


def test_a_review_changing_to_excellent_respects_the_pool(
    county, organiser, county_cycle, owner, colleague, supervisor_b
):
    """Two in the county pool: 20% of 2 rounds to 0, so no review can make either excellent."""
    cycle = closed_with_grades(county, organiser, county_cycle, owner, colleague, supervisor_b)
    theirs = cycle.assessments.get(host_unit=county.township_b)
    day = timezone.localdate(cycle.closed_at)
    services.assessment_review_request(actor=organiser, assessment=theirs, requested_on=day, grounds="不服")
    with pytest.raises(ValidationError) as caught:
        services.assessment_review_decide(
            actor=organiser, assessment=theirs, change=True, reason="改定", grade=Grade.EXCELLENT
        )
    assert caught.value.error_list[0].code == "excellent_cap"
    services.assessment_review_decide(actor=organiser, assessment=theirs, change=False, reason="维持原等次")
    theirs.refresh_from_db()
    assert (theirs.grade, theirs.review_state) == (Grade.BASICALLY_COMPETENT, ReviewState.UPHELD)


def test_no_review_while_the_cycle_is_open(county, owner, colleague, organiser, cycle, assessment):
    graded(assessment, owner, colleague)
    with pytest.raises(ValidationError) as caught:
        services.assessment_review_request(
            actor=owner, assessment=assessment, requested_on=timezone.localdate(), grounds="不服"
        )
    assert caught.value.messages == [str(services.REVIEW_CYCLE_OPEN)]


def test_the_organiser_settles_and_closes_in_the_admin(client, county, organiser, county_cycle, owner, colleague):
    SecondmentFactory(sending_unit=county.agriculture, host_unit=county.township_a)
    login(client, organiser)
    response = client.post(step_url("assessmentcycle", county_cycle, "close"), follow=True)
    assert "尚未完成" in response.content.decode()
    left = list(county_cycle.assessments.all())
    page = client.get(url("assessment", "change", left[0].pk)).content.decode()
    assert step_url("assessment", left[0], "ungraded") in page
    for assessment in left:
        client.post(step_url("assessment", assessment, "ungraded"), {"reason": "借调省厅，本年度在岗不足半年"})
    assert set(Assessment.objects.values_list("state", flat=True)) == {AssessmentState.UNGRADED}
    client.post(step_url("assessmentcycle", county_cycle, "close"))
    county_cycle.refresh_from_db()
    assert county_cycle.state == CycleState.CLOSED
    cadre_page = client.get(url("cadre", "change", left[0].cadre_id)).content.decode()
    assert "不定等次" in cadre_page


@pytest.mark.django_db(transaction=True)
def test_closing_and_reopening_at_once_never_leave_a_closed_cycle_unfinished(
    postgres_only, county, owner, colleague, cycle, assessment
):
    """The close locks the cycle; every step on its assessments share-locks it: one waits."""
    import threading

    from django.db import connection

    graded(assessment, owner, colleague)
    barrier = threading.Barrier(2)
    outcomes = {}

    def run(name, step):
        try:
            barrier.wait()
            step()
            outcomes[name] = "ok"
        except ValidationError as error:
            outcomes[name] = error.error_list[0].code
        finally:
            connection.close()

    steps = {
        "close": lambda: services.cycle_close(actor=colleague, cycle=cycle),
        "reopen": lambda: services.assessment_reopen(actor=colleague, assessment=assessment, reason="补充材料"),
    }
    threads = [threading.Thread(target=run, args=item) for item in steps.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes in ({"close": "ok", "reopen": "closed"}, {"close": "unresolved", "reopen": "ok"})
    cycle.refresh_from_db()
    unfinished = cycle.assessments.exclude(state__in=[AssessmentState.APPROVED, AssessmentState.UNGRADED]).exists()
    assert not (cycle.state == CycleState.CLOSED and unfinished)
