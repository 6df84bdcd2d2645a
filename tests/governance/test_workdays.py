"""Working days on the Chinese official calendar (DESIGN.md §4, the "13710" system).

Dates from the State Council's 2026 schedule (国办发明电〔2025〕7号), as the chinese-calendar
package carries it: Spring Festival 02-15..02-23 off, Saturdays 02-14 and 02-28 worked;
Mid-autumn 09-25..09-27 and National Day 10-01..10-07 off, Sunday 09-20 and Saturday 10-10 worked.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from governance.models import THIRTEEN_SEVEN_TEN
from governance.workdays import WorkdayCalendar, add_working_days, workday_calendar, working_days_between
from tests.factories.catalogues import CalendarDayFactory, CalendarYearFactory

BEIJING = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC


def at(day: str, clock: str = "10:00") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=BEIJING)


def due(start: str, days: int, calendar: WorkdayCalendar | None = None) -> str:
    return add_working_days(at(start), days, calendar or WorkdayCalendar()).date().isoformat()


# --- Spring Festival 2026 ---


def test_friday_before_spring_festival_plus_one_is_the_make_up_saturday():
    assert add_working_days(at("2026-02-13"), 1, WorkdayCalendar()) == at("2026-02-14")


@pytest.mark.parametrize(
    ("days", "expected"),
    [(2, "2026-02-24"), (3, "2026-02-25")],
)
def test_counting_skips_the_spring_festival_holiday(days, expected):
    assert due("2026-02-13", days) == expected


def test_make_up_saturday_after_the_festival_is_a_working_day():
    assert due("2026-02-27", 1) == "2026-02-28"
    assert due("2026-02-26", 2) == "2026-02-28"
    assert due("2026-02-27", 2) == "2026-03-02"  # Sunday 03-01 is an ordinary day off


def test_thirteen_seven_ten_across_the_spring_festival():
    calendar = WorkdayCalendar()
    start = at("2026-02-13")
    steps = [
        THIRTEEN_SEVEN_TEN.accept_days,
        THIRTEEN_SEVEN_TEN.feedback_days,
        THIRTEEN_SEVEN_TEN.resolve_days,
        THIRTEEN_SEVEN_TEN.close_days,
    ]
    assert [add_working_days(start, days, calendar).date().isoformat() for days in steps] == [
        "2026-02-14",
        "2026-02-25",
        "2026-03-02",
        "2026-03-05",
    ]


def test_working_days_between_counts_across_the_festival():
    calendar = WorkdayCalendar()
    assert working_days_between(datetime.date(2026, 2, 13), datetime.date(2026, 2, 24), calendar) == 2
    assert working_days_between(datetime.date(2026, 2, 24), datetime.date(2026, 2, 13), calendar) == 0


# --- Mid-autumn and National Day 2026 ---


def test_make_up_sunday_before_mid_autumn():
    assert due("2026-09-18", 1) == "2026-09-20"  # Saturday 09-19 off, Sunday 09-20 worked


def test_mid_autumn_holiday_is_skipped():
    assert due("2026-09-24", 1) == "2026-09-28"  # 09-25..09-27 off


@pytest.mark.parametrize(
    ("days", "expected"),
    [(1, "2026-10-08"), (2, "2026-10-09"), (3, "2026-10-10"), (4, "2026-10-12")],
)
def test_national_day_holiday_and_make_up_saturday(days, expected):
    assert due("2026-09-30", days) == expected


def test_thirteen_seven_ten_across_national_day():
    calendar = WorkdayCalendar()
    start = at("2026-09-24")
    assert [add_working_days(start, days, calendar).date().isoformat() for days in (1, 3, 7, 10)] == [
        "2026-09-28",
        "2026-09-30",
        "2026-10-12",
        "2026-10-15",
    ]
    assert working_days_between(datetime.date(2026, 9, 24), datetime.date(2026, 10, 15), calendar) == 10
    assert calendar.guessed_years == set()


def test_zero_days_is_the_start_and_negative_days_are_refused():
    assert add_working_days(at("2026-02-15"), 0, WorkdayCalendar()) == at("2026-02-15")
    with pytest.raises(ValueError):
        add_working_days(at("2026-02-13"), -1, WorkdayCalendar())


# --- a year with no data: Monday to Friday, and say so ---


def test_year_end_into_2027_falls_back_to_weekdays_and_records_the_guess():
    calendar = WorkdayCalendar()
    assert due("2026-12-31", 1, calendar) == "2027-01-01"  # a Friday; no data says it is New Year's Day
    assert due("2026-12-31", 2, calendar) == "2027-01-04"  # the weekend is skipped
    assert calendar.guessed_years == {2027}
    assert not calendar.covers(2027)
    assert calendar.covers(2026)


def test_a_year_with_data_records_no_guess():
    calendar = WorkdayCalendar()
    due("2026-12-28", 3, calendar)
    assert calendar.guessed_years == set()


def test_a_year_far_outside_the_package_does_not_crash():
    calendar = WorkdayCalendar()
    assert due("2099-12-31", 1, calendar) == "2100-01-01"
    assert calendar.guessed_years == {2100}


# --- administrator entries (CalendarYear + CalendarDay) ---


def test_an_entered_2027_schedule_changes_the_answer_and_stops_the_guess(db):
    CalendarDayFactory(date=datetime.date(2027, 1, 1), is_workday=False, name="元旦")
    calendar = workday_calendar()
    assert due("2026-12-31", 1, calendar) == "2027-01-04"
    assert calendar.guessed_years == set()
    assert calendar.covers(2027)


def test_an_entered_make_up_day_in_2027_is_worked(db):
    CalendarYearFactory(year=2027)
    CalendarDayFactory(date=datetime.date(2027, 2, 20), is_workday=True, name="春节")
    assert due("2027-02-19", 1, workday_calendar()) == "2027-02-20"


def test_an_entered_year_without_days_is_plain_weekdays_and_not_a_guess(db):
    CalendarYearFactory(year=2027)
    calendar = workday_calendar()
    assert due("2027-01-08", 1, calendar) == "2027-01-11"
    assert calendar.guessed_years == set()


def test_an_entry_overrides_a_package_date_and_keeps_the_rest_of_the_package(db):
    # Suppose the schedule were amended to work Monday 02-16: only that date changes.
    CalendarDayFactory(date=datetime.date(2026, 2, 16), is_workday=True, name="调休")
    calendar = workday_calendar()
    assert due("2026-02-13", 2, calendar) == "2026-02-16"
    assert due("2026-02-13", 3, calendar) == "2026-02-24"  # 02-17..02-23 still off, from the package


def test_an_entry_can_turn_a_package_working_day_into_a_holiday(db):
    CalendarDayFactory(date=datetime.date(2026, 2, 14), is_workday=False, name="春节")
    assert due("2026-02-13", 1, workday_calendar()) == "2026-02-24"


def test_loading_the_calendar_is_one_query_for_years_and_one_for_days(db, django_assert_num_queries):
    CalendarDayFactory(date=datetime.date(2027, 1, 1))
    CalendarDayFactory(date=datetime.date(2027, 1, 2))
    with django_assert_num_queries(2):
        calendar = workday_calendar()
    assert calendar.overrides == {datetime.date(2027, 1, 1): False, datetime.date(2027, 1, 2): False}


# --- moments are counted on the Beijing date ---


def test_late_evening_in_beijing_counts_on_the_beijing_date():
    # 15:30 UTC on Friday 02-13 is 23:30 Friday in Beijing: due 23:30 Saturday 02-14.
    start = datetime.datetime(2026, 2, 13, 15, 30, tzinfo=UTC)
    result = add_working_days(start, 1, WorkdayCalendar())
    assert result == datetime.datetime(2026, 2, 14, 23, 30, tzinfo=BEIJING)
    assert result.utcoffset() == datetime.timedelta(hours=8)


def test_after_midnight_in_beijing_is_already_the_next_day():
    # 16:30 UTC on Friday 02-13 is 00:30 Saturday 02-14 in Beijing: the next working day is 02-24.
    start = datetime.datetime(2026, 2, 13, 16, 30, tzinfo=UTC)
    assert add_working_days(start, 1, WorkdayCalendar()) == datetime.datetime(2026, 2, 24, 0, 30, tzinfo=BEIJING)


def test_an_activated_time_zone_does_not_move_the_beijing_date():
    # Counted on the UTC date (Friday) this would be due Saturday 02-14; on the Beijing date
    # (already Saturday) it is due Tuesday 02-24.
    start = datetime.datetime(2026, 2, 13, 16, 30, tzinfo=UTC)
    with timezone.override("UTC"):
        assert add_working_days(start, 1, WorkdayCalendar()) == datetime.datetime(2026, 2, 24, 0, 30, tzinfo=BEIJING)
