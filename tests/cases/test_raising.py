"""Raising a case (吹哨) and the centre adding a department."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import AssignmentState, Case, CaseAssignment, CaseTransition, TransitionAction
from cases.raising import (
    CASE_CLOSED,
    DEPARTMENT_ALREADY_ASSIGNED,
    DEPARTMENT_OUTSIDE_COUNTY,
    ITEM_INACTIVE,
    MAY_NOT_COORDINATE,
    MAY_NOT_RAISE,
    NO_DEPARTMENT_FOR_SECTOR,
    NOT_A_TOWNSHIP,
    VILLAGE_OUTSIDE_TOWNSHIP,
    case_department_add,
)
from governance.models import Sector
from tests.cases.conftest import beijing
from tests.factories.cases import CoordinationItemFactory, case_raised
from tests.factories.governance import CountyFactory, DepartmentFactory


def _messages(error):
    return [str(message) for message in error.value.messages]


def test_raising_assigns_the_lead_and_the_chosen_co_departments(county, owner, item):
    result = case_raised(
        actor=owner,
        township=county.township_a,
        item=item,
        village=county.village_a,
        co_sectors=[Sector.HOUSING_CONSTRUCTION, Sector.AGRICULTURE],
        now=beijing(2026, 3, 2, 9),
    )
    case = result.case
    assert case.reference == "2026-419921100-0001"
    assert [a.department for a in result.assignments] == [county.agriculture, county.housing]
    assert {a.state for a in result.assignments} == {AssignmentState.ASSIGNED}
    assert result.assignments[0].accept_due == beijing(2026, 3, 3, 17, 30)
    assert list(case.transitions.values_list("action", flat=True)) == ["raise", "assign", "assign"]
    assert case.transitions.get(action=TransitionAction.RAISE).actor == owner


def test_reference_numbers_count_per_township_and_year(county, owner, outsider, item):
    first = case_raised(actor=owner, township=county.township_a, item=item, now=beijing(2026, 3, 2, 9)).case
    second = case_raised(actor=owner, township=county.township_a, item=item, now=beijing(2026, 3, 3, 9)).case
    other = case_raised(actor=outsider, township=county.township_b, item=item, now=beijing(2026, 3, 3, 9)).case
    next_year = case_raised(actor=owner, township=county.township_a, item=item, now=beijing(2027, 1, 4, 9)).case
    assert [first.reference, second.reference, other.reference, next_year.reference] == [
        "2026-419921100-0001",
        "2026-419921100-0002",
        "2026-419921101-0001",
        "2027-419921100-0001",
    ]


def test_the_outsider_cannot_raise_for_the_neighbouring_township(county, outsider, item):
    with pytest.raises(ValidationError) as error:
        case_raised(actor=outsider, township=county.township_a, item=item)
    assert _messages(error) == [str(MAY_NOT_RAISE)]
    assert not Case.objects.exists()


def test_a_department_officer_cannot_raise(county, agri_officer, item):
    with pytest.raises(ValidationError):
        case_raised(actor=agri_officer, township=county.township_a, item=item)
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"village": "village_b"}, VILLAGE_OUTSIDE_TOWNSHIP),
        ({"township": "village_a"}, NOT_A_TOWNSHIP),
    ],
)
def test_bad_places_are_refused(county, owner, item, change, message):
    kwargs = {"township": county.township_a}
    kwargs.update({field: getattr(county, value) for field, value in change.items()})
    with pytest.raises(ValidationError) as error:
        case_raised(actor=owner, item=item, **kwargs)
    assert _messages(error) == [str(message)]
    assert not Case.objects.exists() and not CaseTransition.objects.exists()


def test_an_inactive_item_is_refused(county, owner):
    item = CoordinationItemFactory(active=False)
    with pytest.raises(ValidationError) as error:
        case_raised(actor=owner, township=county.township_a, item=item)
    assert _messages(error) == [str(ITEM_INACTIVE)]


def test_a_sector_without_a_department_is_named(county, owner, item):
    with pytest.raises(ValidationError) as error:
        case_raised(actor=owner, township=county.township_a, item=item, co_sectors=[Sector.WATER])
    assert _messages(error) == [str(NO_DEPARTMENT_FOR_SECTOR) % {"county": "清河县", "sector": Sector.WATER.label}]
    assert not Case.objects.exists() and not CaseAssignment.objects.exists()


def test_the_centre_adds_a_department(county, owner, centre, item):
    case = case_raised(actor=owner, township=county.township_a, item=item).case
    result = case_department_add(actor=centre, case=case, department=county.housing, reason="涉及房屋安全")
    assert result.assignment.department == county.housing
    assert case.assignments.count() == 2
    with pytest.raises(ValidationError) as error:
        case_department_add(actor=centre, case=case, department=county.housing)
    assert _messages(error) == [str(DEPARTMENT_ALREADY_ASSIGNED) % {"department": county.housing.name}]


def test_only_the_centre_adds_departments_and_only_of_the_county(county, owner, colleague, centre, item):
    case = case_raised(actor=owner, township=county.township_a, item=item).case
    with pytest.raises(ValidationError) as error:
        case_department_add(actor=colleague, case=case, department=county.housing)
    assert _messages(error) == [str(MAY_NOT_COORDINATE)]
    elsewhere = DepartmentFactory(
        parent=CountyFactory(parent=county.city, code="419922000000"), sector=Sector.HOUSING_CONSTRUCTION
    )
    with pytest.raises(ValidationError) as error:
        case_department_add(actor=centre, case=case, department=elsewhere)
    assert _messages(error) == [str(DEPARTMENT_OUTSIDE_COUNTY)]
    assert case.assignments.count() == 1


def test_no_department_is_added_to_a_closed_case(county, owner, centre, item):
    case = case_raised(actor=owner, township=county.township_a, item=item).case
    Case.objects.filter(pk=case.pk).update(state="closed", closed_at=case.raised_at)
    with pytest.raises(ValidationError) as error:
        case_department_add(actor=centre, case=case, department=county.housing)
    assert _messages(error) == [str(CASE_CLOSED)]


def test_attachments_are_checked_for_type_and_size(county, owner, item, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.models import ATTACHMENT_MAX_BYTES, ATTACHMENT_TOO_LARGE, CaseAttachment
    from cases.raising import case_attachment_add

    settings.MEDIA_ROOT = tmp_path
    case = case_raised(actor=owner, township=county.township_a, item=item).case
    too_large = SimpleUploadedFile("现场.jpg", b"x")
    too_large.size = ATTACHMENT_MAX_BYTES + 1
    with pytest.raises(ValidationError) as error:
        case_attachment_add(actor=owner, case=case, file=too_large)
    assert error.value.message_dict == {"file": [str(ATTACHMENT_TOO_LARGE)]}
    with pytest.raises(ValidationError) as error:
        case_attachment_add(actor=owner, case=case, file=SimpleUploadedFile("run.exe", b"MZ"))
    assert list(error.value.message_dict) == ["file"]
    saved = case_attachment_add(
        actor=owner, case=case, file=SimpleUploadedFile("报告.pdf", b"%PDF"), description="现场报告"
    )
    assert saved.file.name == f"cases/{case.year}/{case.reference}/报告.pdf"
    assert CaseAttachment.objects.count() == 1


def test_only_the_raising_township_adds_attachments(county, owner, outsider, agri_officer, item, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.raising import MAY_NOT_ATTACH, case_attachment_add

    settings.MEDIA_ROOT = tmp_path
    case = case_raised(actor=owner, township=county.township_a, item=item).case
    for actor in (outsider, agri_officer):
        with pytest.raises(ValidationError) as error:
            case_attachment_add(actor=actor, case=case, file=SimpleUploadedFile("a.pdf", b"%PDF"))
        assert _messages(error) == [str(MAY_NOT_ATTACH)]
    assert not case.attachments.exists()


def test_who_sees_a_case(county, owner, outsider, agri_officer, housing_officer, item):
    from governance.roles import Role
    from tests.conftest import user_with_role

    about_village = case_raised(actor=owner, township=county.township_a, item=item, village=county.village_a).case
    township_wide = case_raised(actor=owner, township=county.township_a, item=item).case
    village_clerk = user_with_role("village", Role.VILLAGE_CLERK, county.village_a)
    centre = user_with_role("centre", Role.COUNTY_GOVERNANCE_CENTRE, county.county)
    assert set(Case.objects.for_user(owner)) == {about_village, township_wide}
    assert set(Case.objects.for_user(village_clerk)) == {about_village}
    assert set(Case.objects.for_user(agri_officer)) == {about_village, township_wide}  # assigned to agriculture
    assert set(Case.objects.for_user(centre)) == {about_village, township_wide}
    assert not Case.objects.for_user(outsider).exists()
    assert not Case.objects.for_user(housing_officer).exists()
    assert not CaseAssignment.objects.for_user(housing_officer).exists()


def test_the_county_copied_onto_cases_follows_a_townships_move(county, owner, item, city_admin):
    """Issue 12: a county's lists read the county copied onto each row; a township moved to
    another county takes its cases, assignments and service requests along."""
    raised = case_raised(actor=owner, township=county.township_a, item=item)
    assert raised.case.county_id == county.county.pk
    assert {(a.township_id, a.county_id) for a in raised.assignments} == {(county.township_a.pk, county.county.pk)}
    other = CountyFactory(parent=county.city)
    county.township_a.parent = other
    county.township_a.code = other.code[:6] + county.township_a.code[6:]
    county.township_a.save()
    raised.case.refresh_from_db()
    assert raised.case.county_id == other.pk
    assert set(CaseAssignment.objects.filter(case=raised.case).values_list("county_id", flat=True)) == {other.pk}


def test_each_department_of_a_raise_costs_only_its_own_writes(county, owner, item):
    """Per department: the assignment, its history row, its step and the step's webhook lookup. The
    units and item are in hand, so no query re-checks them (74 queries for four departments, 42 now)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    DepartmentFactory(parent=county.county, sector=Sector.WATER)
    lead_only = CoordinationItemFactory(code="XT-002", co_sectors=[])
    case_raised(actor=owner, township=county.township_a, item=lead_only)  # the year's counter, the calendar
    with CaptureQueriesContext(connection) as one:
        case_raised(actor=owner, township=county.township_a, item=lead_only)
    with CaptureQueriesContext(connection) as three:
        case_raised(
            actor=owner, township=county.township_a, item=item, co_sectors=[Sector.HOUSING_CONSTRUCTION, Sector.WATER]
        )
    assert Case.objects.latest("pk").assignments.count() == 3
    # + 1: the item's co-handling departments, which an item naming none does not ask for.
    assert len(three) - len(one) == 2 * 4 + 1
    assert len(one) <= 18
