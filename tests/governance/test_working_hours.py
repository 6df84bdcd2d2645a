"""Dues that treat every hour the same (issue 14 item 5): counting starts at the next opening when a
case is raised outside office hours, and every due falls at a working day's close."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from governance.env import env_clock
from governance.workdays import WorkdayCalendar, WorkingHours, due_at_close

BEIJING = ZoneInfo("Asia/Shanghai")
HOURS = WorkingHours(datetime.time(8, 30), datetime.time(17, 30))


def at(*args):
    return datetime.datetime(*args, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("raised", "due"),
    [
        (at(2026, 3, 6, 10), at(2026, 3, 9, 17, 30)),  # Friday in hours: Monday's close
        (at(2026, 3, 6, 17, 29), at(2026, 3, 9, 17, 30)),
        (at(2026, 3, 6, 17, 30), at(2026, 3, 9, 17, 30)),  # Friday at closing: counting starts Monday
        (at(2026, 3, 7, 10), at(2026, 3, 9, 17, 30)),  # Saturday: no earlier than Friday evening
        (at(2026, 3, 9, 7), at(2026, 3, 9, 17, 30)),  # Monday before opening: Monday is the first day
        (at(2026, 3, 9, 8, 30), at(2026, 3, 10, 17, 30)),  # Monday in hours: Tuesday
        (at(2026, 2, 14, 20), at(2026, 2, 24, 17, 30)),  # make-up Saturday evening, then the Spring Festival
    ],
)
def test_one_working_day(raised, due):
    assert due_at_close(raised, 1, WorkdayCalendar(), HOURS) == due


def test_a_later_raise_is_never_due_earlier():
    calendar, start = WorkdayCalendar(), at(2026, 3, 5, 0)
    moments = [start + datetime.timedelta(minutes=37 * n) for n in range(400)]  # ten days, every hour
    dues = [due_at_close(moment, 3, calendar, HOURS) for moment in moments]
    assert dues == sorted(dues)
    assert all(due.time() == HOURS.closes for due in dues)


def test_the_hours_are_settings(settings):
    from cases.deadlines import dues_compute
    from governance.models.catalogues import THIRTEEN_SEVEN_TEN

    settings.WORKDAY_OPENS, settings.WORKDAY_CLOSES = datetime.time(9), datetime.time(18)
    dues = dues_compute(start=at(2026, 3, 9, 8, 45), profile=THIRTEEN_SEVEN_TEN, calendar=WorkdayCalendar())
    assert dues.accept_due == at(2026, 3, 9, 18)  # before 09:00: Monday is the first day counted


def test_a_bad_clock_setting_stops_the_start(monkeypatch):
    monkeypatch.setenv("WORKDAY_OPENS", "8.30")
    with pytest.raises(ImproperlyConfigured, match="HH:MM"):
        env_clock("WORKDAY_OPENS", "08:30")
    monkeypatch.setenv("WORKDAY_OPENS", "07:05")
    assert env_clock("WORKDAY_OPENS", "08:30") == datetime.time(7, 5)
