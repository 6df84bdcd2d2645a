import datetime

import pytest
from django.core import checks
from django.db import ProgrammingError

from governance.checks import CALENDAR_YEAR_MISSING, calendar_years_check, calendar_years_missing
from governance.models import CalendarYear
from tests.factories.catalogues import CalendarYearFactory


@pytest.fixture
def today_is(monkeypatch):
    def set_today(day: datetime.date):
        monkeypatch.setattr("governance.checks.timezone.localdate", lambda: day)

    return set_today


def test_next_year_without_data_is_missing(db):
    assert calendar_years_missing(today=datetime.date(2026, 11, 25)) == [2027]


def test_years_the_package_covers_need_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert calendar_years_missing(today=datetime.date(2025, 6, 1)) == []


def test_an_entered_year_is_not_missing(db):
    CalendarYearFactory(year=2027)
    assert calendar_years_missing(today=datetime.date(2026, 11, 25)) == []
    assert calendar_years_missing(today=datetime.date(2027, 3, 1)) == [2028]


def test_check_warns_for_each_missing_year_with_a_hint(db, today_is):
    today_is(datetime.date(2027, 3, 1))
    messages = calendar_years_check()
    assert [message.id for message in messages] == ["governance.W001", "governance.W001"]
    assert all(isinstance(message, checks.Warning) for message in messages)
    assert messages[0].msg == CALENDAR_YEAR_MISSING % {"year": 2027}
    assert "2028" in messages[1].msg
    assert "2028" in messages[1].hint


def test_check_is_silent_once_the_year_is_entered(db, today_is):
    today_is(datetime.date(2026, 11, 25))
    CalendarYearFactory(year=2027)
    assert calendar_years_check() == []


def test_check_is_registered_with_django(db, today_is):
    today_is(datetime.date(2026, 11, 25))
    assert "governance.W001" in {message.id for message in checks.run_checks()}


def test_check_skips_when_the_database_is_not_migrated(db, today_is, monkeypatch):
    today_is(datetime.date(2026, 11, 25))

    def no_table(*args, **kwargs):
        raise ProgrammingError('relation "governance_calendaryear" does not exist')

    monkeypatch.setattr(CalendarYear.objects, "filter", no_table)
    assert calendar_years_check() == []
