"""The working-day calendar screen: the city administrator enters a year; nobody else gets in."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from governance.checks import CALENDAR_YEAR_MISSING, CALENDAR_YEARS_TO_ENTER
from governance.models import CalendarDay, CalendarYear
from governance.models.calendar import CALENDAR_DAY_OUTSIDE_YEAR, CALENDAR_YEAR_IMPLAUSIBLE
from governance.roles import Role
from governance.workdays import add_working_days, workday_calendar
from tests.conftest import user_with_role
from tests.factories.catalogues import CalendarDayFactory, CalendarYearFactory

CHANGELIST = reverse("admin:governance_calendaryear_changelist")
ADD = reverse("admin:governance_calendaryear_add")


@pytest.fixture(autouse=True)
def late_2026(monkeypatch):
    """Today is 2026-11-25: the package covers 2026, nobody has entered 2027 yet."""
    monkeypatch.setattr("governance.checks.timezone.localdate", lambda: datetime.date(2026, 11, 25))


@pytest.fixture
def admin_client(client, city_admin):
    client.force_login(city_admin)
    return client


def year_form(year, days=(), *, initial=0, source="国办发明电〔2026〕X号"):
    """POST data for the calendar-year form with its days inline (prefix "days")."""
    data = {
        "year": year,
        "source": source,
        "days-TOTAL_FORMS": len(days),
        "days-INITIAL_FORMS": initial,
        "days-MIN_NUM_FORMS": 0,
        "days-MAX_NUM_FORMS": 1000,
    }
    for index, (day, is_workday, name) in enumerate(days):
        data[f"days-{index}-date"] = day
        data[f"days-{index}-name"] = name
        if is_workday:
            data[f"days-{index}-is_workday"] = "on"
    return data


def warnings(response):
    return [str(message) for message in get_messages(response.wsgi_request) if message.level_tag == "warning"]


def test_changelist_warns_about_the_year_without_a_schedule(admin_client):
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert warnings(response) == [CALENDAR_YEAR_MISSING % {"year": 2027}]


def test_no_warning_once_the_year_is_entered(admin_client):
    CalendarYearFactory(year=2027)
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert warnings(response) == []


def test_changelist_counts_holidays_and_make_up_days_in_constant_queries(admin_client, django_assert_max_num_queries):
    CalendarDayFactory(date=datetime.date(2027, 1, 1), is_workday=False)
    CalendarDayFactory(date=datetime.date(2027, 2, 20), is_workday=True, name="春节")
    for year in range(2030, 2040):
        CalendarYearFactory(year=year)
    with django_assert_max_num_queries(13):  # one is the session's sliding expiry (SESSION_SAVE_EVERY_REQUEST)
        response = admin_client.get(CHANGELIST)
    row = next(row for row in response.context["cl"].result_list if row.year == 2027)
    assert (row.holiday_total, row.make_up_total) == (1, 1)


def test_administrator_enters_2027_and_deadlines_follow(admin_client):
    response = admin_client.post(
        ADD,
        year_form(2027, [("2027-01-01", False, "元旦"), ("2027-02-20", True, "春节调休")]),
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    year = CalendarYear.objects.get(year=2027)
    assert set(year.days.values_list("date", "is_workday")) == {
        (datetime.date(2027, 1, 1), False),
        (datetime.date(2027, 2, 20), True),
    }
    calendar = workday_calendar()
    start = datetime.datetime(2026, 12, 31, 10, tzinfo=datetime.UTC)
    assert add_working_days(start, 1, calendar).date() == datetime.date(2027, 1, 4)
    assert calendar.guessed_years == set()


@pytest.mark.parametrize("initial", ["add", "change"])
def test_a_day_outside_its_year_is_refused_and_nothing_written(admin_client, initial):
    url = ADD
    if initial == "change":
        url = reverse("admin:governance_calendaryear_change", args=[CalendarYearFactory(year=2027).pk])
    response = admin_client.post(url, year_form(2027, [("2028-01-01", False, "元旦")]))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    expected = str(CALENDAR_DAY_OUTSIDE_YEAR % {"date": datetime.date(2028, 1, 1), "year": 2027})
    assert errors[0]["date"] == [expected]
    assert not CalendarDay.objects.exists()
    assert CalendarYear.objects.filter(year=2027).count() == (1 if initial == "change" else 0)


def test_the_same_date_twice_is_refused(admin_client):
    response = admin_client.post(ADD, year_form(2027, [("2027-01-01", False, "元旦"), ("2027-01-01", True, "")]))
    assert response.status_code == 200
    assert not CalendarYear.objects.exists()


def test_a_year_outside_the_plausible_range_is_refused(admin_client):
    response = admin_client.post(ADD, year_form(1999))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"year": [str(CALENDAR_YEAR_IMPLAUSIBLE)]}
    assert not CalendarYear.objects.exists()


def test_history_page_shows_the_change(admin_client):
    year = CalendarYearFactory(year=2027, source="初稿")
    year.source = "国办发明电〔2026〕X号"
    year.save()
    response = admin_client.get(reverse("admin:governance_calendaryear_history", args=[year.pk]))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 2


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        (Role.TOWNSHIP_CLERK, "township_a"),
        (Role.TOWNSHIP_SUPERVISOR, "township_a"),
        (Role.VILLAGE_CLERK, "village_a"),
        (Role.DEPARTMENT_OFFICER, "agriculture"),
        (Role.COUNTY_GOVERNANCE_CENTRE, "county"),
        (Role.COUNTY_ORGANISATION, "county"),
    ],
)
def test_no_other_role_reaches_the_calendar(client, county, role, unit):
    year = CalendarYearFactory(year=2027)
    client.force_login(user_with_role("someone", role, getattr(county, unit)))
    change = reverse("admin:governance_calendaryear_change", args=[year.pk])
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change).status_code == 403
    assert client.post(ADD, year_form(2028)).status_code == 403
    assert client.post(change, year_form(2027, [("2027-01-01", False, "元旦")])).status_code == 403
    assert client.get(reverse("admin:governance_calendaryear_history", args=[year.pk])).status_code == 403
    assert not CalendarDay.objects.exists()
    assert list(CalendarYear.objects.values_list("year", flat=True)) == [2027]


def home_todo(client):
    from governance.todo import todo_for

    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return [item for item in todo_for(response.wsgi_request) if item.label == str(CALENDAR_YEARS_TO_ENTER)]


def test_administrator_home_page_asks_for_the_missing_year(admin_client):
    [item] = home_todo(admin_client)
    assert (item.count, item.urgent) == (1, True)
    assert item.url == f"{ADD}?year=2027"
    assert admin_client.get(item.url).context["adminform"].form.initial["year"] == "2027"
    response = admin_client.get(reverse("admin:index"))
    assert str(CALENDAR_YEARS_TO_ENTER) in response.content.decode()


def test_home_page_stops_asking_once_the_year_is_entered(admin_client):
    CalendarYearFactory(year=2027)
    assert home_todo(admin_client) == []


def test_other_roles_are_not_asked_to_enter_the_calendar(client, owner):
    client.force_login(owner)
    assert home_todo(client) == []


def test_changelist_finds_a_year_by_number_or_source(admin_client):
    CalendarYearFactory(year=2027, source="国办发明电〔2026〕X号")
    CalendarYearFactory(year=2028, source="")
    for term in ("2027", "国办"):
        found = admin_client.get(CHANGELIST, {"q": term}).context["cl"].result_list
        assert [row.year for row in found] == [2027]
