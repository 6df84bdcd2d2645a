"""Township offices and their staff (issue 15 item 4): the county sets the offices and their posts,
the township places its own and its seconded staff, a transfer (划转) moves a person in and places
them, and headcount is set against the posts by establishment and office."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.models import Sector
from governance.roles import Role
from staffing.people.township_staff import (
    Establishment,
    OfficeKind,
    OfficeStaff,
    StaffSource,
    StaffTransfer,
    TownshipOffice,
)
from staffing.people.township_staff_services import (
    OFFICE_NOT_PERMITTED,
    SECONDED_SOURCE_MISMATCH,
    STAFF_OUTSIDE_SCOPE,
    mismatch,
    office_headcounts,
    office_save,
    office_staff_save,
    staff_transfer_in,
)
from tests.conftest import user_with_role
from tests.factories.governance import DepartmentFactory
from tests.factories.staffing import CadreFactory, SecondmentFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 1)


@pytest.fixture
def organiser(county):
    return user_with_role("organiser", Role.COUNTY_ORGANISATION, county.county)


@pytest.fixture
def office(county, organiser):
    return office_save(
        actor=organiser,
        office=TownshipOffice(
            township=county.township_a,
            kind=OfficeKind.SOCIAL_GOVERNANCE,
            name="社会治理室",
            administrative_quota=2,
            institution_quota=1,
        ),
    )


def test_only_the_county_sets_offices_and_posts(county, owner):
    office = TownshipOffice(township=county.township_a, kind=OfficeKind.PARTY_GOVERNMENT, name="党政办")
    with pytest.raises(ValidationError) as refused:
        office_save(actor=owner, office=office)
    assert str(OFFICE_NOT_PERMITTED) in str(refused.value)


def test_the_township_places_its_staff_and_headcount_meets_the_posts(county, owner, office):
    for establishment in (Establishment.ADMINISTRATIVE, Establishment.ADMINISTRATIVE, Establishment.NONE):
        staff = OfficeStaff(
            office=office, cadre=CadreFactory(home_unit=county.township_a), establishment=establishment, since=DAY
        )
        office_staff_save(actor=owner, staff=staff)
    [counted] = office_headcounts([county.township_a])
    assert (counted.administrative, counted.institution, counted.unestablished) == (2, 0, 1)
    assert mismatch(counted)  # one 事业编制 post empty


def test_seconded_staff_name_the_department_they_are_seconded_from(county, owner, office):
    secondment = SecondmentFactory(sending_unit=county.agriculture, host_unit=county.township_a)
    staff = OfficeStaff(
        office=office,
        cadre=secondment.cadre,
        establishment=Establishment.ADMINISTRATIVE,
        source=StaffSource.SECONDED,
        source_unit=county.housing,
        since=DAY,
    )
    with pytest.raises(ValidationError) as refused:
        office_staff_save(actor=owner, staff=staff)
    assert str(SECONDED_SOURCE_MISMATCH) in str(refused.value)
    staff.source_unit = county.agriculture
    assert office_staff_save(actor=owner, staff=staff).pk


def test_the_neighbouring_township_neither_places_nor_sees_staff(county, outsider, office):
    staff = OfficeStaff(
        office=office, cadre=CadreFactory(home_unit=county.township_a), establishment="administrative", since=DAY
    )
    with pytest.raises(ValidationError) as refused:
        office_staff_save(actor=outsider, staff=staff)
    assert str(STAFF_OUTSIDE_SCOPE) in str(refused.value)
    assert not TownshipOffice.objects.for_user(outsider).exists()


def test_a_transfer_moves_the_person_in_and_places_them(county, organiser, owner, office):
    forestry = DepartmentFactory(parent=county.county, name="清河县林业局", sector=Sector.FORESTRY)
    cadre = CadreFactory(home_unit=forestry)
    transfer = StaffTransfer(
        cadre=cadre,
        from_unit=forestry,
        township=county.township_a,
        office=office,
        establishment=Establishment.INSTITUTION,
        transferred_on=DAY,
        document="清编〔2026〕3号",
    )
    staff_transfer_in(actor=organiser, transfer=transfer)
    cadre.refresh_from_db()
    assert cadre.home_unit == county.township_a
    placed = OfficeStaff.objects.get(cadre=cadre)
    assert (placed.source, placed.source_unit, placed.office) == (StaffSource.TRANSFERRED, forestry, office)
    assert StaffTransfer.objects.for_user(owner).count() == 1
