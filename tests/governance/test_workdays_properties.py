"""Working-day arithmetic for any start, any count and any calendar an administrator could enter
(issue 11: property-based, so no input crashes a deadline or bends the rule)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from governance.workdays import WorkdayCalendar, add_working_days, working_days_between

BEIJING = ZoneInfo("Asia/Shanghai")

starts = st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2100, 12, 31), timezones=st.just(BEIJING))
# An administrator's entries around the start: any day may be marked working or not.
overrides = st.dictionaries(
    st.dates(min_value=date(1995, 1, 1), max_value=date(2101, 3, 31)), st.booleans(), max_size=40
)


@given(start=starts, days=st.integers(min_value=0, max_value=40), entries=overrides)
def test_the_due_is_the_nth_working_day_at_the_same_clock_time(start, days, entries):
    calendar = WorkdayCalendar(overrides=entries)
    due = add_working_days(start, days, calendar)
    local = due.astimezone(BEIJING)
    assert local.time() == start.time()
    assert working_days_between(start.date(), local.date(), calendar) == days
    if days:
        assert calendar.is_workday(local.date())
    else:
        assert local == start


@given(start=starts, first=st.integers(min_value=0, max_value=20), more=st.integers(min_value=1, max_value=20))
def test_more_working_days_fall_later(start, first, more):
    calendar = WorkdayCalendar()
    assert add_working_days(start, first, calendar) < add_working_days(start, first + more, calendar)


@given(start=st.dates(min_value=date(2027, 1, 1), max_value=date(2090, 12, 31)))
def test_a_year_without_data_is_counted_monday_to_friday_and_said(start):
    calendar = WorkdayCalendar()
    due = add_working_days(datetime.combine(start, datetime.min.time(), BEIJING), 5, calendar)
    assert due.date() - start <= timedelta(days=9)
    assert calendar.guessed_years and min(calendar.guessed_years) >= 2027
