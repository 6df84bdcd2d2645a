"""The people of the case workflow, beside the shared owner / colleague / outsider triple:
the two departments (agriculture is asked, housing is the neighbouring department), the
county governance centre and the outsider's supervisor in the neighbouring township."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from governance.roles import Role
from tests.conftest import user_with_role
from tests.factories.cases import CoordinationItemFactory

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(*args) -> datetime:
    return datetime(*args, tzinfo=BEIJING)


@pytest.fixture
def agri_officer(county):
    return user_with_role("agri", Role.DEPARTMENT_OFFICER, county.agriculture)


@pytest.fixture
def housing_officer(county):
    return user_with_role("housing", Role.DEPARTMENT_OFFICER, county.housing)


@pytest.fixture
def centre(county):
    return user_with_role("centre", Role.COUNTY_GOVERNANCE_CENTRE, county.county)


@pytest.fixture
def outsider_supervisor(county):
    return user_with_role("outsider_boss", Role.TOWNSHIP_SUPERVISOR, county.township_b)


@pytest.fixture
def item(db):
    """Lead: agriculture; the catalogue also names housing as a co-handling sector."""
    return CoordinationItemFactory(code="XT-001", name="农田水利设施损毁修复")
