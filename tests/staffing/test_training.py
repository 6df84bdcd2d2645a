"""Three-level training (issue 15 item 2): sessions by their level's units, attendance of the user's
own people only, the share trained this year, who never had first-appointment training, and the
attendance sheet (培训名称, 身份证号, 是否出勤, 成绩 in any column order)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.models import ImportJobStatus
from governance.roles import Role
from governance.spreadsheets.services import import_job_confirm, import_job_create
from staffing.people.training import (
    SESSION_NAME_TAKEN,
    TrainingAttendance,
    TrainingForm,
    TrainingLevel,
    TrainingSession,
)
from staffing.people.training_services import (
    ATTENDEE_OUTSIDE_SCOPE,
    attendance_save,
    never_first_appointment,
    training_session_save,
    training_shares,
    untrained,
)
from tests.conftest import user_with_role
from tests.factories.staffing import CadreFactory
from tests.spreadsheets.sheets import upload, xlsx_bytes
from tests.staffing.test_village_members import member

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year


@pytest.fixture
def organiser(county):
    return user_with_role("organiser", Role.COUNTY_ORGANISATION, county.county)


def session(actor, organiser_unit, level=TrainingLevel.COUNTY, form=TrainingForm.FIRST_APPOINTMENT, name="初任培训班"):
    return training_session_save(
        actor=actor,
        session=TrainingSession(
            name=name,
            level=level,
            organiser=organiser_unit,
            topic="基层治理实务",
            form=form,
            start_date=datetime.date(YEAR, 3, 2),
            end_date=datetime.date(YEAR, 3, 4),
            place="县委党校",
        ),
    )


def test_a_session_is_organised_by_a_unit_of_its_level(county, organiser):
    with pytest.raises(ValidationError) as refused:
        session(organiser, county.township_a, level=TrainingLevel.COUNTY)
    assert "organiser" in refused.value.message_dict


def test_a_township_sees_the_countys_sessions_and_records_only_its_own_peoples_attendance(county, organiser, owner):
    course = session(organiser, county.county)
    assert TrainingSession.objects.for_user(owner).filter(pk=course.pk).exists()
    own = CadreFactory(home_unit=county.township_a)
    other = CadreFactory(home_unit=county.township_b)
    attendance_save(actor=owner, attendance=TrainingAttendance(session=course, cadre=own, score=88))
    with pytest.raises(ValidationError) as refused:
        attendance_save(actor=owner, attendance=TrainingAttendance(session=course, cadre=other))
    assert str(ATTENDEE_OUTSIDE_SCOPE) in str(refused.value)
    assert list(TrainingAttendance.objects.for_user(owner)) == [TrainingAttendance.objects.get(cadre=own)]


def test_the_neighbouring_township_sees_neither_the_session_nor_the_attendance(county, owner, outsider):
    course = session(owner, county.township_a, level=TrainingLevel.TOWNSHIP, form=TrainingForm.LECTURE)
    attendance_save(
        actor=owner, attendance=TrainingAttendance(session=course, cadre=CadreFactory(home_unit=county.township_a))
    )
    assert not TrainingSession.objects.for_user(outsider).exists()
    assert not TrainingAttendance.objects.for_user(outsider).exists()


def test_the_share_trained_this_year_and_the_never_first_appointment_list(county, organiser, owner):
    from staffing.people.village_services import village_member_save

    course = session(organiser, county.county)
    trained, absent = CadreFactory(home_unit=county.township_a), CadreFactory(home_unit=county.township_a)
    head = village_member_save(actor=owner, member=member(county.village_a, n=40))
    attendance_save(actor=owner, attendance=TrainingAttendance(session=course, cadre=trained))
    attendance_save(actor=owner, attendance=TrainingAttendance(session=course, cadre=absent, attended=False))
    staff, seconded, members = training_shares([county.township_a])
    assert (staff.people, staff.trained, staff.percent, staff.never_first_appointment) == (2, 1, 50, 1)
    assert (seconded.people, members.people, members.trained) == (0, 1, 0)
    cadres, village = untrained([county.township_a])
    assert list(cadres) == [absent] and list(village) == [head]
    cadres, village = never_first_appointment([county.township_a])
    assert list(cadres) == [absent] and list(village) == [head]


def test_a_score_needs_attendance(county, organiser, owner):
    course = session(organiser, county.county)
    with pytest.raises(ValidationError):
        attendance_save(
            actor=owner,
            attendance=TrainingAttendance(
                session=course, cadre=CadreFactory(home_unit=county.township_a), attended=False, score=60
            ),
        )


def _sheet(user, rows):
    return import_job_create(user=user, resource_key="trainingattendance", upload=upload("出勤.xlsx", xlsx_bytes(rows)))


def test_a_clerk_imports_the_attendance_sheet_in_any_column_order(county, organiser, owner):
    from staffing.people.village_services import village_member_save

    course = session(organiser, county.county)
    cadre = CadreFactory(home_unit=county.township_a)
    head = village_member_save(actor=owner, member=member(county.village_a, n=41))
    job = _sheet(
        owner,
        [
            ["成绩", "是否出勤", "身份证号", "培训名称"],
            [92, "是", cadre.id_number, course.name],
            [None, "否", head.id_number, course.name],
        ],
    )
    assert job.status == ImportJobStatus.PREVIEW, job.preview
    import_job_confirm(job=job, user=owner)
    assert TrainingAttendance.objects.get(cadre=cadre).score == 92
    assert TrainingAttendance.objects.get(village_member=head).attended is False


def test_the_sheet_refuses_other_townships_people_and_unknown_sessions_and_writes_nothing(county, organiser, owner):
    course = session(organiser, county.county)
    other = CadreFactory(home_unit=county.township_b)
    own = CadreFactory(home_unit=county.township_a)
    job = _sheet(
        owner,
        [
            ["培训名称", "身份证号", "是否出勤", "成绩"],
            [course.name, other.id_number, "是", 80],
            ["不存在的培训", own.id_number, "是", 80],
        ],
    )
    assert job.status == ImportJobStatus.REJECTED and job.error_count == 2
    messages = str(job.preview)
    assert other.id_number in messages and "不存在的培训" in messages
    assert not TrainingAttendance.objects.exists()


def test_a_name_is_unique_per_organiser_not_across_units(county, organiser, owner):
    session(organiser, county.county)
    with pytest.raises(ValidationError) as refused:
        session(organiser, county.county)
    assert str(SESSION_NAME_TAKEN) in str(refused.value)
    # The township may run its own session of the same name.
    session(owner, county.township_a, level=TrainingLevel.TOWNSHIP, form=TrainingForm.LECTURE)
    assert TrainingSession.objects.filter(name="初任培训班").count() == 2


def test_the_sheet_refuses_a_name_that_picks_out_two_visible_sessions(county, organiser, owner):
    session(organiser, county.county)
    session(owner, county.township_a, level=TrainingLevel.TOWNSHIP, form=TrainingForm.LECTURE)
    cadre = CadreFactory(home_unit=county.township_a)
    job = _sheet(owner, [["培训名称", "身份证号", "是否出勤", "成绩"], ["初任培训班", cadre.id_number, "是", 80]])
    assert job.status == ImportJobStatus.REJECTED and job.error_count == 1
    assert county.county.name in str(job.preview) and county.township_a.name in str(job.preview)
    assert not TrainingAttendance.objects.exists()
