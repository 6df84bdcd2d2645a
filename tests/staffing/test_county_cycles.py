"""County-wide assessment cycles opened by the county organisation department (issue 14 item 2)."""

import pytest
from django.core.exceptions import ValidationError

from governance.roles import Role
from staffing import selectors, services
from staffing.models import AssessmentCycle, AssessmentState, CycleScope, CycleState, Grade, QuotaPool
from tests.conftest import user_with_role
from tests.factories.governance import CountyFactory
from tests.staffing.test_admin import login, step_url, url


def county_cycle(actor, county, **settings):
    return services.cycle_open(
        actor=actor,
        cycle=AssessmentCycle(
            name="2026年度派驻干部考核",
            period_kind="year",
            year=2026,
            scope=CycleScope.COUNTY,
            county=county,
            **settings,
        ),
    )


def test_the_organiser_opens_one_cycle_for_every_township_of_the_county(
    county, organiser, owner, colleague, secondment, secondment_b
):
    cycle = county_cycle(organiser, county.county, quota_pool=QuotaPool.TOWNSHIP)
    assert set(cycle.host_units.all()) == {county.township_a, county.township_b}
    assert {a.host_unit for a in cycle.assessments.all()} == {county.township_a, county.township_b}
    mine = cycle.assessments.get(host_unit=county.township_a)
    services.assessment_draft(actor=owner, assessment=mine, grade=Grade.COMPETENT, score=80, comments="")
    services.assessment_submit(actor=owner, assessment=mine)
    services.assessment_approve(actor=colleague, assessment=mine)  # the township grades in the county's cycle
    mine.refresh_from_db()
    assert mine.state == AssessmentState.APPROVED
    assert selectors.cycle_steps(cycle=cycle, user=colleague) == []  # the county's cycle is not the township's
    assert selectors.cycle_steps(cycle=cycle, user=organiser) == ["generate", "close"]


def test_only_the_organisation_department_of_that_county_opens_it(county, colleague, city_admin, secondment):
    other_organiser = user_with_role("other_org", Role.COUNTY_ORGANISATION, CountyFactory(parent=county.city))
    for actor in (colleague, other_organiser):
        with pytest.raises(ValidationError) as caught:
            county_cycle(actor, county.county)
        assert caught.value.messages == [str(services.CYCLE_COUNTY_NOT_PERMITTED)]
    with pytest.raises(ValidationError) as caught:
        county_cycle(city_admin, county.township_a)
    assert caught.value.message_dict["county"] == [str(services.CYCLE_COUNTY_NOT_COUNTY)]
    assert not AssessmentCycle.objects.exists()


def test_a_supervisor_still_opens_a_township_cycle_with_the_default_quota(county, colleague, secondment):
    with pytest.raises(ValidationError) as caught:
        services.cycle_open(
            actor=colleague,
            cycle=AssessmentCycle(
                name="第四季度", period_kind="quarter", quarter=4, year=2026, excellent_cap_percent=25
            ),
            host_units=[county.township_a],
        )
    assert caught.value.messages == [str(services.CYCLE_QUOTA_BY_ORGANISATION)]
    cycle = services.cycle_open(
        actor=colleague,
        cycle=AssessmentCycle(name="第四季度", period_kind="quarter", quarter=4, year=2026),
        host_units=[county.township_a],
    )
    assert (cycle.scope, cycle.county) == (CycleScope.TOWNSHIP, county.county)


def test_the_county_cycle_is_closed_by_the_organiser_not_a_township(county, organiser, colleague, secondment):
    cycle = county_cycle(organiser, county.county)
    with pytest.raises(ValidationError) as caught:
        services.cycle_close(actor=colleague, cycle=cycle)
    assert caught.value.messages == [str(services.CYCLE_COUNTY_NOT_PERMITTED)]
    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN


def test_the_organiser_sets_the_quota_of_a_township_cycle_until_an_approval(
    county, organiser, owner, colleague, supervisor_b, secondment
):
    cycle = services.cycle_open(
        actor=colleague, cycle=AssessmentCycle(name="x", period_kind="year", year=2026), host_units=[county.township_a]
    )
    assert selectors.cycle_steps(cycle=cycle, user=organiser) == ["quota"]
    for actor in (colleague, supervisor_b):
        with pytest.raises(ValidationError) as caught:
            services.cycle_quota_set(
                actor=actor,
                cycle=cycle,
                quota_pool="department",
                excellent_cap_percent=20,
                excellent_ceiling_percent=25,
            )
        assert caught.value.messages == [str(services.CYCLE_QUOTA_BY_ORGANISATION)]
    services.cycle_quota_set(
        actor=organiser, cycle=cycle, quota_pool="department", excellent_cap_percent=25, excellent_ceiling_percent=25
    )
    cycle.refresh_from_db()
    assert (cycle.quota_pool, cycle.excellent_cap_percent) == ("department", 25)
    assert "25%" in cycle.transitions.last().reason
    assessment = cycle.assessments.get()
    services.assessment_draft(actor=owner, assessment=assessment, grade=Grade.COMPETENT, score=80, comments="")
    services.assessment_submit(actor=owner, assessment=assessment)
    services.assessment_approve(actor=colleague, assessment=assessment)
    with pytest.raises(ValidationError) as caught:
        services.cycle_quota_set(
            actor=organiser, cycle=cycle, quota_pool="county", excellent_cap_percent=20, excellent_ceiling_percent=25
        )
    assert caught.value.messages == [str(services.CYCLE_QUOTA_FIXED)]
    assert selectors.cycle_steps(cycle=cycle, user=organiser) == []


def test_the_organiser_opens_a_county_cycle_in_the_admin(client, county, organiser, colleague, outsider, secondment):
    login(client, organiser)
    form = client.get(url("assessmentcycle", "add")).content.decode()
    assert 'name="county"' in form and 'name="host_units"' not in form
    response = client.post(
        url("assessmentcycle", "add"),
        {
            "name": "2026年度",
            "period_kind": "year",
            "year": "2026",
            "county": county.county.pk,
            "due_date": "2027-01-20",
            "review_days": "30",
            "quota_pool": "county",
            "excellent_cap_percent": "20",
            "excellent_ceiling_percent": "25",
        },
    )
    assert response.status_code == 302
    cycle = AssessmentCycle.objects.get()
    assert (cycle.scope, str(cycle.due_date)) == (CycleScope.COUNTY, "2027-01-20")
    page = client.get(url("assessmentcycle", "change", cycle.pk)).content.decode()
    assert step_url("assessmentcycle", cycle, "quota") in page and "清河县" in page
    login(client, colleague)
    form = client.get(url("assessmentcycle", "add")).content.decode()
    assert 'name="host_units"' in form and 'name="county"' not in form and 'name="quota_pool"' not in form
    assert client.get(url("assessmentcycle", "change", cycle.pk)).status_code == 200
    assert client.post(step_url("assessmentcycle", cycle, "close")).status_code == 403
