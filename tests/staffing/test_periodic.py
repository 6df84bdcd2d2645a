"""Monthly and quarterly (平时) assessment records (issue 14 item 8): written by the host township,
approved by its supervisor, days within the period's working days on the official calendar."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from governance.roles import Role
from staffing import periodic
from staffing.models import PeriodicGrade, PeriodicKind, PeriodicRecord, PeriodicState, SecondmentState
from tests.conftest import user_with_role
from tests.factories.staffing import SecondmentFactory

TODAY = datetime.date(2026, 4, 10)


def record(secondment, *, period=3, kind=PeriodicKind.MONTH, year=2026, attendance=20, leave=2, **fields):
    return PeriodicRecord(
        secondment=secondment,
        year=year,
        period_kind=kind,
        period=period,
        grade=fields.pop("grade", PeriodicGrade.GOOD),
        attendance_days=attendance,
        leave_days=leave,
        comments=fields.pop("comments", "按时完成农技服务任务，群众评价较好。"),
    )


def label(year, kind, period) -> str:
    return PeriodicRecord(year=year, period_kind=kind, period=period).period_label


def write(actor, secondment, **fields):
    return periodic.periodic_record_save(actor=actor, record=record(secondment, **fields), today=TODAY)


def refusal(call) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.messages


def test_the_clerk_writes_and_submits_the_supervisor_approves(county, secondment, owner, colleague):
    written = write(owner, secondment)
    assert (written.state, written.cadre, written.host_unit, written.sending_unit) == (
        PeriodicState.DRAFT,
        secondment.cadre,
        county.township_a,
        secondment.sending_unit,
    )
    assert periodic.periodic_steps(record=written, user=owner) == ["submit"]
    periodic.periodic_record_submit(actor=owner, record=written)
    written.refresh_from_db()
    assert periodic.periodic_steps(record=written, user=colleague) == ["approve", "return"]
    assert periodic.periodic_steps(record=written, user=owner) == []
    periodic.periodic_record_approve(actor=colleague, record=written)
    written.refresh_from_db()
    assert (written.state, written.approved_by) == (PeriodicState.APPROVED, colleague)
    steps = list(written.transitions.values_list("actor__username", "from_state", "to_state"))
    assert steps == [("owner", "", "draft"), ("owner", "draft", "submitted"), ("colleague", "submitted", "approved")]
    assert written.history.count() == 3  # written, submitted, approved: field-level history of each


def test_a_returned_record_is_corrected_and_submitted_again(secondment, owner, colleague):
    written = write(owner, secondment)
    periodic.periodic_record_submit(actor=owner, record=written)
    assert refusal(lambda: periodic.periodic_record_return(actor=colleague, record=written, reason=" ")) == [
        str(periodic.REASON_REQUIRED)
    ]
    periodic.periodic_record_return(actor=colleague, record=written, reason="请假天数与考勤表不符")
    written.refresh_from_db()
    assert written.state == PeriodicState.RETURNED
    written.leave_days = 1
    periodic.periodic_record_save(actor=owner, record=written, today=TODAY)
    periodic.periodic_record_submit(actor=owner, record=written)
    written.refresh_from_db()
    assert (written.state, written.leave_days) == (PeriodicState.SUBMITTED, 1)
    assert written.transitions.get(to_state=PeriodicState.RETURNED).reason == "请假天数与考勤表不符"


def test_only_the_host_township_writes(county, secondment, outsider, supervisor_b, organiser, agri_officer):
    for actor in (outsider, supervisor_b, organiser, agri_officer):
        assert refusal(lambda actor=actor: write(actor, secondment)) == [str(periodic.PERIODIC_NOT_DRAFTER)]
    assert not PeriodicRecord.objects.exists()


def test_only_another_supervisor_of_the_host_township_approves(county, secondment, owner, colleague, supervisor_b):
    clerk_2 = user_with_role("clerk_2", Role.TOWNSHIP_CLERK, county.township_a)
    written = write(owner, secondment)
    assert refusal(lambda: periodic.periodic_record_approve(actor=colleague, record=written)) == [
        str(periodic.PERIODIC_NOT_SUBMITTED) % {"state": PeriodicState.DRAFT.label}
    ]
    periodic.periodic_record_submit(actor=owner, record=written)
    for actor in (clerk_2, supervisor_b, owner):
        assert refusal(lambda actor=actor: periodic.periodic_record_approve(actor=actor, record=written))
    own = write(colleague, secondment, period=2, attendance=15, leave=1)
    periodic.periodic_record_submit(actor=colleague, record=own)
    assert refusal(lambda: periodic.periodic_record_approve(actor=colleague, record=own)) == [
        str(periodic.PERIODIC_OWN_DRAFT)
    ]
    written.refresh_from_db()
    assert written.state == PeriodicState.SUBMITTED


def test_days_within_the_working_days_of_the_period(secondment, owner):
    # March 2026 has 22 working days; the first quarter 59 (the Spring Festival and New Year off).
    write(owner, secondment, attendance=20, leave=2)
    february = label(2026, PeriodicKind.MONTH, 2)
    assert refusal(lambda: write(owner, secondment, period=2, attendance=15, leave=2)) == [
        str(periodic.PERIODIC_DAYS_OVER) % {"attendance": 15, "leave": 2, "workdays": 16, "period": february}
    ]
    assert refusal(lambda: write(owner, secondment, period=2, attendance=-1, leave=0))
    assert refusal(lambda: write(owner, secondment, year=2025, kind=PeriodicKind.QUARTER, period=4, attendance=62))
    write(owner, secondment, year=2025, kind=PeriodicKind.QUARTER, period=4, attendance=59, leave=2)  # 61 days
    assert PeriodicRecord.objects.count() == 2


def test_days_count_from_the_arrival(county, owner):
    arrived_mid_march = SecondmentFactory(
        sending_unit=county.agriculture, host_unit=county.township_a, start_date=datetime.date(2026, 3, 16)
    )
    # 16–31 March 2026: 12 working days.
    assert refusal(lambda: write(owner, arrived_mid_march, attendance=12, leave=1))
    write(owner, arrived_mid_march, attendance=11, leave=1)


def test_the_period_lies_within_the_secondment(county, secondment, owner, organiser):
    params = {"period": label(2025, PeriodicKind.MONTH, 2), "start": datetime.date(2025, 3, 1), "end": "…"}
    assert refusal(lambda: write(owner, secondment, year=2025, period=2, attendance=10)) == [
        str(periodic.PERIODIC_OUTSIDE_SECONDMENT) % params
    ]
    assert refusal(lambda: write(owner, secondment, period=5, attendance=10)) == [
        str(periodic.PERIODIC_NOT_BEGUN) % {"period": label(2026, PeriodicKind.MONTH, 5)}
    ]
    drafted = SecondmentFactory(
        sending_unit=county.housing, host_unit=county.township_a, state=SecondmentState.APPROVED, arrived_on=None
    )
    assert refusal(lambda: write(owner, drafted)) == [str(periodic.PERIODIC_NOT_ARRIVED)]


def test_one_record_per_period_and_no_month_inside_a_recorded_quarter(secondment, owner):
    write(owner, secondment)
    assert refusal(lambda: write(owner, secondment)) == [str(periodic.PERIODIC_DUPLICATE)]
    message = refusal(lambda: write(owner, secondment, kind=PeriodicKind.QUARTER, period=1, attendance=50))
    assert label(2026, PeriodicKind.MONTH, 3) in message[0]
    assert PeriodicRecord.objects.count() == 1


def test_the_database_keeps_one_record_per_period(secondment, owner):
    from django.db import IntegrityError, transaction

    first = write(owner, secondment)
    copy = PeriodicRecord(
        **{f.attname: getattr(first, f.attname) for f in PeriodicRecord._meta.concrete_fields if f.attname != "id"}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_an_approved_record_is_fixed(secondment, owner, colleague):
    written = write(owner, secondment)
    periodic.periodic_record_submit(actor=owner, record=written)
    periodic.periodic_record_approve(actor=colleague, record=written)
    written.refresh_from_db()
    written.grade = PeriodicGrade.POOR
    assert refusal(lambda: periodic.periodic_record_save(actor=owner, record=written, today=TODAY)) == [
        str(periodic.PERIODIC_NOT_EDITABLE) % {"state": PeriodicState.APPROVED.label}
    ]
    moved = PeriodicRecord.objects.get(pk=written.pk)
    assert moved.grade == PeriodicGrade.GOOD


def test_scoping_the_sending_department_sees_approved_records_only(
    county, secondment, owner, colleague, outsider, organiser, agri_officer
):
    draft = write(owner, secondment, period=2, attendance=15, leave=0)
    approved = write(owner, secondment)
    periodic.periodic_record_submit(actor=owner, record=approved)
    periodic.periodic_record_approve(actor=colleague, record=approved)
    assert set(PeriodicRecord.objects.for_user(owner)) == {draft, approved}
    assert set(PeriodicRecord.objects.for_user(organiser)) == {draft, approved}
    assert set(PeriodicRecord.objects.for_user(agri_officer)) == {approved}
    assert set(PeriodicRecord.objects.for_user(outsider)) == set()


def test_the_annual_assessment_sums_its_periods_approved_records(secondment, owner, colleague, assessment):
    shown = [
        write(owner, secondment, period=2, attendance=15, leave=1),
        write(owner, secondment, period=3, attendance=20, leave=2, grade=PeriodicGrade.FAIRLY_GOOD),
        write(owner, secondment, year=2025, period=12, attendance=20, leave=0),  # another year: not shown
    ]
    write(owner, secondment, period=1, attendance=10, leave=0)  # a draft: not shown
    for written in shown:
        periodic.periodic_record_submit(actor=owner, record=written)
        periodic.periodic_record_approve(actor=colleague, record=written)
    summary = periodic.assessment_period_records(assessment)
    assert [r.period for r in summary.records] == [2, 3]
    assert (summary.attendance_days, summary.leave_days) == (35, 3)


def test_the_home_page_counts_in_one_query(county, secondment, owner, colleague, django_assert_num_queries):
    written = write(owner, secondment)
    periodic.periodic_record_submit(actor=owner, record=written)
    periodic.periodic_queue_counts(user=colleague)  # the user's units, cached for the request
    with django_assert_num_queries(1):
        counts = periodic.periodic_queue_counts(user=colleague)
    assert counts == {"to_approve": 1, "to_correct": 0}


def test_the_to_do_count_leaves_out_records_the_approver_drafted_or_submitted(county, secondment, owner, colleague):
    drafted_by_colleague = write(colleague, secondment, period=1, attendance=18)
    periodic.periodic_record_submit(actor=owner, record=drafted_by_colleague)
    submitted_by_colleague = write(owner, secondment, period=2, attendance=14)
    periodic.periodic_record_submit(actor=colleague, record=submitted_by_colleague)
    theirs_to_approve = write(owner, secondment, period=3)
    periodic.periodic_record_submit(actor=owner, record=theirs_to_approve)
    assert periodic.periodic_queue_counts(user=colleague)["to_approve"] == 1
    supervisor_b = user_with_role("supervisor_a2", Role.TOWNSHIP_SUPERVISOR, county.township_a)
    assert periodic.periodic_queue_counts(user=supervisor_b)["to_approve"] == 3


def test_the_current_month_counts_only_the_working_days_so_far(secondment, owner):
    april = record(secondment, period=4)
    so_far = periodic.served_workdays(april, today=TODAY)
    assert so_far < periodic.served_workdays(april)  # 10 April: most of the month is still to come
    assert refusal(lambda: write(owner, secondment, period=4, attendance=so_far + 1, leave=0)) == [
        str(periodic.PERIODIC_DAYS_OVER)
        % {"attendance": so_far + 1, "leave": 0, "workdays": so_far, "period": label(2026, PeriodicKind.MONTH, 4)}
    ]
    assert not PeriodicRecord.objects.exists()
    assert write(owner, secondment, period=4, attendance=so_far - 1, leave=1).pk


def _in_english(label) -> str:
    with translation.override("en"):
        return str(label)


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_record_one_step(postgres_only, county, secondment, owner, colleague):
    deputy = user_with_role("deputy_a", Role.TOWNSHIP_SUPERVISOR, county.township_a)
    written = write(owner, secondment)
    periodic.periodic_record_submit(actor=owner, record=written)
    barrier, outcomes = threading.Barrier(2), []

    def approve(actor):
        translation.activate("en")  # the thread's own language, whatever the test's
        try:
            barrier.wait()
            periodic.periodic_record_approve(actor=actor, record=written)
            outcomes.append("ok")
        except ValidationError as error:
            refused = error.error_list[0]
            outcomes.append((refused.code, str(refused.params["state"])))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(actor,)) for actor in (colleague, deputy)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The second waited for the first's lock, then named the state it left (not the one it read).
    assert sorted(outcomes, key=str) == sorted(["ok", ("state", _in_english(PeriodicState.APPROVED.label))], key=str)
    assert written.transitions.filter(to_state=PeriodicState.APPROVED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_edit_and_an_approval_at_once_do_not_both_land(postgres_only, county, secondment, owner, colleague):
    written = write(owner, secondment)
    periodic.periodic_record_submit(actor=owner, record=written)
    barrier, outcomes = threading.Barrier(2), {}

    def run(name, step):
        try:
            barrier.wait()
            step()
            outcomes[name] = "ok"
        except ValidationError as error:
            outcomes[name] = error.error_list[0].code
        finally:
            connection.close()

    def edit():
        fresh = PeriodicRecord.objects.get(pk=written.pk)
        fresh.grade = PeriodicGrade.POOR
        periodic.periodic_record_save(actor=owner, record=fresh, today=TODAY)

    steps = {"approve": lambda: periodic.periodic_record_approve(actor=colleague, record=written), "edit": edit}
    threads = [threading.Thread(target=run, args=item) for item in steps.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == {"approve": "ok", "edit": "state"}
    written.refresh_from_db()
    assert (written.state, written.grade) == (PeriodicState.APPROVED, PeriodicGrade.GOOD)
