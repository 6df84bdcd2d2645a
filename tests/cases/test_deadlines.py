"""Assignment dues on the official calendar (DESIGN.md §4) and the overdue sweep."""

from datetime import date

import pytest
from django.core.management import call_command

from cases.assignments import assignment_accept
from cases.deadlines import assignments_sweep_overdue, dues_compute, guessed_message
from cases.models import AssignmentState, CaseAssignment, CaseTransition, TransitionAction
from governance.models import (
    CalendarDay,
    CalendarYear,
    CasePriority,
    CoordinationDeadline,
    LeadershipPost,
    Portfolio,
    PortfolioDepartment,
    PostRank,
)
from governance.models.catalogues import THIRTEEN_SEVEN_TEN, DeadlineProfile
from governance.workdays import WorkdayCalendar
from tests.cases.conftest import beijing
from tests.factories.cases import case_raised


def test_spring_festival_2026_make_up_day_and_holiday():
    # Friday 2026-02-13; Saturday 02-14 is a make-up working day; 02-15..23 the Spring Festival.
    dues = dues_compute(start=beijing(2026, 2, 13, 10), profile=THIRTEEN_SEVEN_TEN, calendar=WorkdayCalendar())
    assert dues.accept_due == beijing(2026, 2, 14, 17, 30)
    assert dues.feedback_due == beijing(2026, 2, 25, 17, 30)
    assert dues.resolve_due == beijing(2026, 3, 2, 17, 30)  # Saturday 02-28 is the second make-up day
    assert dues.close_due == beijing(2026, 3, 5, 17, 30)
    assert dues.guessed_years == ()


def test_national_day_2026_and_its_make_up_saturday():
    dues = dues_compute(start=beijing(2026, 9, 30, 16), profile=THIRTEEN_SEVEN_TEN, calendar=WorkdayCalendar())
    assert dues.accept_due == beijing(2026, 10, 8, 17, 30)  # 10-01..07 off
    assert dues.feedback_due == beijing(2026, 10, 10, 17, 30)  # Saturday 10-10 is a make-up working day
    assert dues.resolve_due == beijing(2026, 10, 15, 17, 30)


def test_into_2027_without_data_falls_back_to_weekdays_and_says_so():
    dues = dues_compute(start=beijing(2026, 12, 30, 9), profile=THIRTEEN_SEVEN_TEN, calendar=WorkdayCalendar())
    assert dues.accept_due == beijing(2026, 12, 31, 17, 30)
    assert dues.feedback_due == beijing(2027, 1, 4, 17, 30)  # Fri 01-01 counted as a weekday: the guess
    assert dues.guessed_years == (2027,)
    assert guessed_message(dues.guessed_years) == "2027年无官方日历数据，已按周一至周五计算"


def test_administrator_entered_2027_replaces_the_guess(db):
    year = CalendarYear.objects.create(year=2027, source="国务院办公厅通知（示例）")
    CalendarDay.objects.create(calendar_year=year, date=date(2027, 1, 1), is_workday=False, name="元旦")
    from governance.workdays import workday_calendar

    dues = dues_compute(start=beijing(2026, 12, 30, 9), profile=THIRTEEN_SEVEN_TEN, calendar=workday_calendar())
    assert dues.feedback_due == beijing(2027, 1, 5, 17, 30)
    assert dues.guessed_years == ()


def test_a_custom_profile_per_priority_is_used(county, owner, item):
    CoordinationDeadline.objects.create(
        item=item, priority=CasePriority.URGENT, accept_days=1, feedback_days=1, resolve_days=2, close_days=3
    )
    result = case_raised(
        actor=owner, township=county.township_a, item=item, priority=CasePriority.URGENT, now=beijing(2026, 3, 2, 9)
    )
    assignment = result.assignments[0]
    assert (assignment.feedback_due, assignment.resolve_due, assignment.close_due) == (
        beijing(2026, 3, 3, 17, 30),
        beijing(2026, 3, 4, 17, 30),
        beijing(2026, 3, 5, 17, 30),
    )


def test_raising_in_a_guessed_year_succeeds_and_flags_it(county, owner, item):
    result = case_raised(actor=owner, township=county.township_a, item=item, now=beijing(2027, 3, 1, 9))
    assert result.guessed_years == (2027,)
    assert result.assignments[0].guessed_years == "2027"


def test_profile_is_pure_arithmetic():
    dues = dues_compute(start=beijing(2026, 3, 2, 9), profile=DeadlineProfile(2, 2, 2, 2), calendar=WorkdayCalendar())
    assert dues.accept_due == dues.close_due == beijing(2026, 3, 4, 17, 30)


@pytest.fixture
def deputy(county):
    post = LeadershipPost.objects.create(
        county=county.county, rank=PostRank.DEPUTY, portfolio=Portfolio.AGRICULTURE, holder_name="王红梅"
    )
    PortfolioDepartment.objects.create(post=post, department=county.agriculture)
    return post


def test_sweep_marks_overdue_escalates_and_a_second_run_changes_nothing(county, owner, agri_officer, item, deputy):
    result = case_raised(
        actor=owner,
        township=county.township_a,
        item=item,
        co_sectors=["housing_construction"],
        now=beijing(2026, 3, 2, 9),
    )
    agri, housing = result.assignments
    assignment_accept(actor=agri_officer, assignment=agri, now=beijing(2026, 3, 2, 15))
    # 03-04 10:00: agriculture owes feedback by 03-05 (not late); housing owed acceptance by 03-03.
    first = assignments_sweep_overdue(now=beijing(2026, 3, 4, 10))
    assert (first.marked_overdue, first.escalated) == (1, 0)
    assert list(CaseAssignment.objects.filter(overdue=True)) == [housing]
    assert assignments_sweep_overdue(now=beijing(2026, 3, 4, 10)) == type(first)(0, 0)
    # After the resolve date (03-11 09:00) both are escalated; housing's deputy is unknown, agriculture's recorded.
    later = assignments_sweep_overdue(now=beijing(2026, 3, 12, 9))
    assert (later.marked_overdue, later.escalated) == (1, 2)
    agri.refresh_from_db()
    housing.refresh_from_db()
    assert agri.escalated_to == deputy and housing.escalated_to is None
    assert agri.escalated_at == beijing(2026, 3, 12, 9)
    rows_before = CaseTransition.objects.count()
    assert assignments_sweep_overdue(now=beijing(2026, 3, 12, 9)) == type(first)(0, 0)
    assert CaseTransition.objects.count() == rows_before
    assert CaseTransition.objects.filter(action=TransitionAction.ESCALATE, actor=None).count() == 2
    assert CaseTransition.objects.filter(action=TransitionAction.OVERDUE).count() == 2
    # Every step, the sweep's with the services', carries its case's township (cases migration 0024).
    assert set(CaseTransition.objects.values_list("township", flat=True)) == {county.township_a.pk}


def test_a_step_done_clears_the_overdue_mark(county, owner, agri_officer, item):
    agri = case_raised(actor=owner, township=county.township_a, item=item, now=beijing(2026, 3, 2, 9)).assignments[0]
    assignments_sweep_overdue(now=beijing(2026, 3, 4, 10))
    accepted = assignment_accept(actor=agri_officer, assignment=agri, now=beijing(2026, 3, 4, 11))
    assert accepted.state == AssignmentState.ACCEPTED and not accepted.overdue
    assert CaseTransition.objects.get(action=TransitionAction.ACCEPT).on_time is False


def test_sweep_command_prints_counts(county, owner, item, capsys):
    case_raised(actor=owner, township=county.township_a, item=item, now=beijing(2026, 3, 2, 9))
    call_command("sweep_overdue")  # now is long after March 2026: overdue, and past the resolve date
    assert capsys.readouterr().out.strip() == "marked overdue: 1; escalated: 1"
    call_command("sweep_overdue")
    assert capsys.readouterr().out.strip() == "marked overdue: 0; escalated: 0"
