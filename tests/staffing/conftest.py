"""Staffing fixtures on top of the shared county: the other township's supervisor, the county
organisation officer, two department officers, secondments to townships A and B, an open cycle."""

import pytest

from governance.roles import Role
from staffing import services
from staffing.models import AssessmentCycle, PeriodKind
from tests.conftest import user_with_role
from tests.factories.staffing import SecondmentFactory


@pytest.fixture
def supervisor_b(county):
    return user_with_role("supervisor_b", Role.TOWNSHIP_SUPERVISOR, county.township_b)


@pytest.fixture
def organiser(county):
    return user_with_role("organiser", Role.COUNTY_ORGANISATION, county.county)


@pytest.fixture
def agri_officer(county):
    return user_with_role("agri_officer", Role.DEPARTMENT_OFFICER, county.agriculture)


@pytest.fixture
def housing_officer(county):
    return user_with_role("housing_officer", Role.DEPARTMENT_OFFICER, county.housing)


@pytest.fixture
def secondment(county):
    return SecondmentFactory(sending_unit=county.agriculture, host_unit=county.township_a)


@pytest.fixture
def secondment_b(county):
    return SecondmentFactory(sending_unit=county.agriculture, host_unit=county.township_b)


def open_cycle(actor, *townships, name="2026年度考核", **settings):
    return services.cycle_open(
        actor=actor,
        cycle=AssessmentCycle(name=name, period_kind=PeriodKind.YEAR, year=2026, **settings),
        host_units=list(townships),
    )


@pytest.fixture
def cycle(county, colleague, secondment):
    return open_cycle(colleague, county.township_a)


@pytest.fixture
def assessment(cycle):
    return cycle.assessments.get()
