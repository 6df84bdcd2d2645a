"""The excellent quota belongs to a pool the cycle names (issue 14 item 1)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from governance.roles import Role
from staffing import services
from staffing.models import CYCLE_CEILING_BELOW_SHARE, AssessmentCycle, AssessmentState, Grade, QuotaPool
from staffing.quota import cycle_pools, excellent_quota, quota_of
from tests.conftest import user_with_role
from tests.factories.staffing import SecondmentFactory


def submitted(assessment, clerk, grade=Grade.EXCELLENT):
    services.assessment_draft(actor=clerk, assessment=assessment, grade=grade, score=90, comments="")
    services.assessment_submit(actor=clerk, assessment=assessment)
    assessment.refresh_from_db()
    return assessment


def second(county, township, n=1):
    return [SecondmentFactory(sending_unit=county.agriculture, host_unit=township) for _ in range(n)]


@pytest.mark.parametrize(
    ("total", "quota"),
    [(0, 0), (1, 0), (3, 0), (4, 1), (5, 1), (7, 1), (8, 2), (10, 2), (25, 5), (100, 20)],
)
def test_the_share_rounds_half_up_within_the_ceiling(total, quota):
    assert quota_of(total, 20, 25) == quota


def test_a_raised_share_never_passes_the_ceiling():
    assert quota_of(10, 25, 25) == 2  # 2.5 rounds to 3, but 25% of 10 allows 2
    assert quota_of(12, 25, 25) == 3


def test_four_cadres_in_a_township_pool_may_have_one_excellent(county, owner, colleague, city_admin):
    rows = second(county, county.township_a, 4)
    cycle = services.cycle_open(
        actor=city_admin,
        cycle=AssessmentCycle(name="2026", period_kind="year", year=2026, quota_pool=QuotaPool.TOWNSHIP),
        host_units=[county.township_a],
    )
    assert len(rows) == cycle.assessments.count() == 4
    first, other = (submitted(row, owner) for row in cycle.assessments.all()[:2])
    services.assessment_approve(actor=colleague, assessment=first)
    with pytest.raises(ValidationError) as caught:
        services.assessment_approve(actor=colleague, assessment=other)
    assert caught.value.error_list[0].code == "excellent_cap"
    with translation.override("zh-hans"):
        message = caught.value.messages[0]
    assert "城关镇" in message and "1" in message and "4" in message and "20%" in message and "25%" in message
    other.refresh_from_db()
    assert other.state == AssessmentState.SUBMITTED


def test_the_county_pool_counts_every_township_of_the_cycle(county, owner, colleague, city_admin, outsider):
    second(county, county.township_a, 3)
    second(county, county.township_b, 2)
    cycle = services.cycle_open(
        actor=city_admin,
        cycle=AssessmentCycle(name="2026", period_kind="year", year=2026),
        host_units=[county.township_a, county.township_b],
    )
    assert cycle.quota_pool == QuotaPool.COUNTY and cycle.county == county.county
    supervisor_b = user_with_role("supervisor_b", Role.TOWNSHIP_SUPERVISOR, county.township_b)
    a = submitted(cycle.assessments.filter(host_unit=county.township_a).first(), owner)
    b = submitted(cycle.assessments.filter(host_unit=county.township_b).first(), outsider)
    quota = excellent_quota(assessment=b)
    assert (quota.pool, quota.total, quota.quota, quota.remaining) == (county.county, 5, 1, 1)
    services.assessment_approve(actor=colleague, assessment=a)
    assert excellent_quota(assessment=b).remaining == 0
    with pytest.raises(ValidationError) as caught:  # township B alone (2) would have none anyway; pooled: taken
        services.assessment_approve(actor=supervisor_b, assessment=b)
    assert caught.value.params["pool"] == "清河县"


def test_sending_department_pools_count_per_department(county, owner, colleague, city_admin):
    second(county, county.township_a, 4)
    for _ in range(4):
        SecondmentFactory(sending_unit=county.housing, host_unit=county.township_a)
    cycle = services.cycle_open(
        actor=city_admin,
        cycle=AssessmentCycle(name="2026", period_kind="year", year=2026, quota_pool=QuotaPool.SENDING_DEPARTMENT),
        host_units=[county.township_a],
    )
    pools = {pool.pool: (pool.total, pool.quota) for pool in cycle_pools(cycle=cycle)}
    assert pools == {county.agriculture: (4, 1), county.housing: (4, 1)}
    agri = submitted(cycle.assessments.filter(sending_unit=county.agriculture).first(), owner)
    housing = submitted(cycle.assessments.filter(sending_unit=county.housing).first(), owner)
    services.assessment_approve(actor=colleague, assessment=agri)
    services.assessment_approve(actor=colleague, assessment=housing)  # its own pool, its own place


def test_the_ceiling_cannot_be_below_the_share(county, colleague, secondment):
    with pytest.raises(ValidationError) as caught:
        services.cycle_open(
            actor=colleague,
            cycle=AssessmentCycle(
                name="2026", period_kind="year", year=2026, excellent_cap_percent=30, excellent_ceiling_percent=25
            ),
            host_units=[county.township_a],
        )
    assert caught.value.messages == [str(CYCLE_CEILING_BELOW_SHARE)]
    assert not AssessmentCycle.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentCycle.objects.update(excellent_cap_percent=30)
        services.cycle_open(
            actor=colleague,
            cycle=AssessmentCycle(name="x", period_kind="year", year=2026),
            host_units=[county.township_a],
        )
        AssessmentCycle.objects.update(excellent_cap_percent=30)


def test_a_cycle_spans_one_county(county, city_admin, secondment):
    from tests.factories.governance import CountyFactory, TownshipFactory

    elsewhere = TownshipFactory(parent=CountyFactory(parent=county.city))
    with pytest.raises(ValidationError) as caught:
        services.cycle_open(
            actor=city_admin,
            cycle=AssessmentCycle(name="2026", period_kind="year", year=2026),
            host_units=[county.township_a, elsewhere],
        )
    assert caught.value.message_dict["host_units"] == [str(services.CYCLE_ONE_COUNTY)]


@pytest.mark.django_db(transaction=True)
def test_two_approvals_cannot_both_take_the_last_place(postgres_only, county, owner, colleague, city_admin):
    """Two supervisors of two townships, one county pool with one place left: one wins."""
    second(county, county.township_a, 2)
    second(county, county.township_b, 2)
    cycle = services.cycle_open(
        actor=city_admin,
        cycle=AssessmentCycle(name="2026", period_kind="year", year=2026),
        host_units=[county.township_a, county.township_b],
    )
    clerk_b = user_with_role("clerk_b", Role.TOWNSHIP_CLERK, county.township_b)
    supervisor_b = user_with_role("supervisor_b", Role.TOWNSHIP_SUPERVISOR, county.township_b)
    a = submitted(cycle.assessments.filter(host_unit=county.township_a).first(), owner)
    b = submitted(cycle.assessments.filter(host_unit=county.township_b).first(), clerk_b)
    assert excellent_quota(assessment=a).remaining == 1
    assert cycle.pools.get().unit == county.county  # the row the approvals lock exists already
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(actor, assessment):
        try:
            barrier.wait()
            services.assessment_approve(actor=actor, assessment=assessment)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.error_list[0].code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=pair) for pair in ((colleague, a), (supervisor_b, b))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["excellent_cap", "ok"]
    assert cycle.assessments.filter(state=AssessmentState.APPROVED, grade=Grade.EXCELLENT).count() == 1
