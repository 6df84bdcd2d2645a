"""Issue 14 items 1 and 3 in the browser: the county organisation officer sets a cycle's excellent
quota (pooled by township, 15% within a 20% ceiling), and decides a cadre's review (复核)."""

import datetime

import pytest

from staffing import services
from staffing.models import AssessmentCycle, AssessmentState, CycleScope, PeriodKind, QuotaPool, ReviewState

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def fresh_cycle(committed):
    """A county-wide quarter just opened: nothing approved yet, so its quota may still be set."""
    return services.cycle_open(
        actor=committed.users["qh_org"],
        cycle=AssessmentCycle(
            name="2026年第三季度清河县派驻干部考核",
            period_kind=PeriodKind.QUARTER,
            year=2026,
            quarter=3,
            scope=CycleScope.COUNTY,
            county=committed.counties[0],
            due_date=datetime.date(2026, 10, 15),
        ),
    )


@pytest.fixture(scope="module")
def review_asked(committed):
    """The demo's closed quarter: a cadre has handed in a written request for review."""
    assessment = (
        AssessmentCycle.objects.get(name="2025年第四季度清河县派驻干部考核")
        .assessments.filter(state=AssessmentState.APPROVED, review_state="")
        .select_related("cadre")
        .first()
    )
    services.assessment_review_request(
        actor=committed.users["qh_org"],
        assessment=assessment,
        requested_on=datetime.date.today(),
        grounds="本人本季度完成防汛值守任务，请求复核等次。",
    )
    return assessment


def test_the_organisation_officer_sets_the_quota(open_as, fresh_cycle):
    organiser = open_as("qh_org")
    organiser.page.goto(f"{organiser.base_url}/admin/staffing/assessmentcycle/{fresh_cycle.pk}/change/")
    organiser.step("设定优秀名额")
    organiser.page.select_option("#id_quota_pool", value=QuotaPool.TOWNSHIP)
    organiser.page.fill("#id_excellent_cap_percent", "15")
    organiser.page.fill("#id_excellent_ceiling_percent", "20")
    organiser.submit()
    organiser.expect_message("优秀名额已设定")
    organiser.shot("quota-set")
    fresh_cycle.refresh_from_db()
    assert (fresh_cycle.quota_pool, fresh_cycle.excellent_cap_percent, fresh_cycle.excellent_ceiling_percent) == (
        QuotaPool.TOWNSHIP,
        15,
        20,
    )


def test_the_organisation_officer_decides_a_review(open_as, review_asked):
    organiser = open_as("qh_org")
    organiser.follow("待您决定的复核申请")
    organiser.follow_in_list(review_asked.cadre.name)
    organiser.step("作出复核决定")
    organiser.page.get_by_label("维持原等次").check()
    organiser.page.fill("#id_reason", "经复核，等次评定依据充分，维持原等次。")
    organiser.submit()
    organiser.expect_message("复核决定已作出")
    organiser.shot("review-decided")
    review_asked.refresh_from_db()
    assert (review_asked.review_state, review_asked.review_decided_by.username) == (ReviewState.UPHELD, "qh_org")
