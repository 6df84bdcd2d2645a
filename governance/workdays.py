"""Working-day arithmetic on the Chinese official calendar (DESIGN.md §4, the "13710" system).

``add_working_days`` is pure: it takes the calendar as an argument. ``WorkdayCalendar`` answers
"is this a working day" from, in order: an administrator's entry for the date, the
``chinese-calendar`` package, and for a year that neither covers, Monday to Friday. It records
each year it had to guess so the caller can say so (a deadline must never crash for want of
data; it must not hide the guess either).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import chinese_calendar
from django.conf import settings
from django.utils import timezone

_SATURDAY = 5


@dataclass
class WorkdayCalendar:
    overrides: Mapping[date, bool] = field(default_factory=dict)  # date -> is a working day
    entered_years: frozenset[int] = frozenset()  # years an administrator has entered in full
    guessed_years: set[int] = field(default_factory=set)

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        # The package first even in an entered year: an administrator's CalendarYear for a year
        # the package covers only overrides the dates it lists, it does not replace the package.
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if day.year not in self.entered_years:
                self.guessed_years.add(day.year)
        return day.weekday() < _SATURDAY

    def covers(self, year: int) -> bool:
        return year in self.entered_years or package_covers(year)


def package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def add_working_days(start: datetime, days: int, calendar: WorkdayCalendar) -> datetime:
    """The same clock time on the ``days``-th working day after ``start``'s date.

    Raised on Friday 2026-02-13 with one working day: due Saturday 2026-02-14, a make-up
    working day, not Monday 2026-02-16 inside the Spring Festival holiday.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    # Count in Beijing dates (settings.TIME_ZONE), whatever time zone a request has activated;
    # China keeps no daylight saving, so adding days is exact.
    moment = timezone.localtime(start, timezone.get_default_timezone()) if timezone.is_aware(start) else start
    remaining = days
    while remaining:
        moment += timedelta(days=1)
        if calendar.is_workday(moment.date()):
            remaining -= 1
    return moment


@dataclass(frozen=True)
class WorkingHours:
    opens: time = time(8, 30)
    closes: time = time(17, 30)


def working_hours() -> WorkingHours:
    """The office hours of the settings (``WORKDAY_OPENS``, ``WORKDAY_CLOSES``; Beijing time)."""
    return WorkingHours(settings.WORKDAY_OPENS, settings.WORKDAY_CLOSES)


def counting_starts(start: datetime, calendar: WorkdayCalendar, hours: WorkingHours) -> tuple[date, bool]:
    """The working day counting starts from, and whether that day itself is the first counted.

    Raised within office hours of a working day: counting starts now, and the first day counted is
    the next working day (the rest of today is a bonus). Raised outside them (before opening, at or
    after closing, on a rest day or holiday): counting starts at the next opening, and that working
    day is the first counted (issue 14: every hour treated the same).
    """
    local = timezone.localtime(start, timezone.get_default_timezone()) if timezone.is_aware(start) else start
    day, clock = local.date(), local.time()
    if calendar.is_workday(day):
        if hours.opens <= clock < hours.closes:
            return day, False
        if clock < hours.opens:
            return day, True
    day += timedelta(days=1)
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day, True


def due_at_close(start: datetime, days: int, calendar: WorkdayCalendar, hours: WorkingHours) -> datetime:
    """The close of the ``days``-th working day counted from ``start`` (see ``counting_starts``).

    With one day, 08:30–17:30: raised Friday 10:00, Friday 17:30 or Saturday 10:00, all are due
    Monday 17:30 (a working Monday); raised Monday 07:00 also Monday 17:30; Monday 09:00, Tuesday 17:30.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day, counted = counting_starts(start, calendar, hours)
    remaining = days - 1 if counted else days
    while remaining > 0:
        day += timedelta(days=1)
        if calendar.is_workday(day):
            remaining -= 1
    return datetime.combine(day, hours.closes, timezone.get_default_timezone())


def working_days_between(start: date, end: date, calendar: WorkdayCalendar) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if ``end`` is not later)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        count += calendar.is_workday(day)
    return count


def workday_calendar() -> WorkdayCalendar:
    """The calendar as the administrators have entered it (one query each for years and days)."""
    from governance.models import CalendarDay, CalendarYear

    return WorkdayCalendar(
        overrides=dict(CalendarDay.objects.values_list("date", "is_workday")),
        entered_years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
    )
