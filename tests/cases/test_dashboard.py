"""The home page's picture of each role's area (issue 13): the figures, their scope, the links
behind them, the cache, and a query count that does not grow with the rows."""

import re
from datetime import date
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.assignments import assignment_accept, assignment_decline, assignment_escalate
from cases.scorecards import department_scorecards
from governance.dashboard import panels_for
from governance.models import Sector
from tests.factories.cases import case_raised

HOME = "/admin/"


def _home(client, user):
    client.force_login(user)
    response = client.get(HOME, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response


def _panels(response) -> dict:
    return {panel.key: panel for panel in panels_for(response.wsgi_request)}


def _figure(panel, label: str, column: int):
    """The cell of the row named ``label`` in the given column."""
    for row in panel.rows:
        if str(row[0].value) == label:
            return row[column]
    raise AssertionError(f"no row {label!r} in {panel.key}: {[str(row[0].value) for row in panel.rows]}")


def _links(response) -> set[str]:
    section = response.content.decode().split('id="dashboard"', 1)[1].split('id="content-related"', 1)[0]
    return {unescape(href) for href in re.findall(r'href="([^"]+)"', section)}


@pytest.fixture
def raised(county, owner, outsider, item):
    """Township A: two cases (agriculture and housing on the first); township B: one."""
    first = case_raised(actor=owner, township=county.township_a, item=item, co_sectors=[Sector.HOUSING_CONSTRUCTION])
    second = case_raised(actor=owner, township=county.township_a, item=item)
    other = case_raised(actor=outsider, township=county.township_b, item=item)
    return first, second, other


def test_a_township_sees_its_departments_and_only_its_own_cases(client, county, owner, raised, agri_officer):
    first, _second, _other = raised
    assignment_accept(actor=agri_officer, assignment=first.assignments[0])
    response = _home(client, owner)
    panels = _panels(response)
    assert list(panels)[:3] == ["township-scorecard", "pending-by-department", "cases-by-week"]
    scorecard = panels["township-scorecard"]
    # Agriculture had three cases (two of A's, one of B's): A's scorecard counts its own two.
    assert _figure(scorecard, county.agriculture.name, 1).value == 2
    assert _figure(scorecard, county.housing.name, 1).value == 1
    pending = panels["pending-by-department"]
    assert _figure(pending, county.agriculture.name, 1).value == 2
    weeks = panels["cases-by-week"]
    assert weeks.rows[-1][1].value == 2 and weeks.chart_data()["series"][0]["data"][-1] == 2
    page = response.content.decode()
    assert "为本乡镇办理案件的部门" in page and "计算于" in page
    assert 'id="panel-pending-by-department-data"' in page and "echarts.min.js" in page


def test_the_neighbouring_township_does_not_see_the_departments_of_a(client, county, outsider, raised):
    scorecard = _panels(_home(client, outsider))["township-scorecard"]
    assert [str(row[0].value) for row in scorecard.rows] == [county.agriculture.name]
    assert _figure(scorecard, county.agriculture.name, 1).value == 1


def test_every_link_of_every_role_opens_a_filtered_list(
    client, county, owner, colleague, agri_officer, centre, city_admin, raised
):
    first, _second, _other = raised
    assignment_escalate(actor=centre, assignment=first.assignments[1], reason="逾期未办")
    assignment_decline(actor=agri_officer, assignment=first.assignments[0], reason="不属本局")
    for user in (owner, colleague, agri_officer, centre, city_admin):
        links = _links(_home(client, user))
        assert links, user
        for url in links:
            response = client.get(url)
            assert response.status_code == 200, (user, url)
            assert "e=1" not in response.request["QUERY_STRING"], (user, url)  # the admin's "invalid filter"


def test_a_link_shows_the_rows_its_figure_counts(client, county, owner, centre, raised):
    pending = _panels(_home(client, centre))["pending-by-township"]
    cell = _figure(pending, county.township_a.name, 1)
    response = client.get(cell.url)
    assert response.context["cl"].result_count == cell.value == 3


def test_the_department_sees_its_scorecard_beside_the_county_median(client, county, agri_officer, raised):
    panels = _panels(_home(client, agri_officer))
    states = panels["assignments-by-state"]
    assert str(states.rows[0][0].value) == "当前已逾期"  # overdue first
    assert _figure(states, "待报到", 1).value == 3
    scorecard = panels["department-scorecard"]
    assert scorecard.columns[1] == county.agriculture.name and scorecard.columns[2] == "全县部门中位数"
    assert "township-scorecard" not in panels  # a department rates nobody


def test_the_centre_and_the_city(client, county, centre, city_admin, raised, agri_officer):
    first, _second, _other = raised
    assignment_escalate(actor=centre, assignment=first.assignments[0], reason="逾期未办")
    centre_panels = _panels(_home(client, centre))
    assert set(centre_panels) >= {"pending-by-department", "pending-by-township", "escalations-by-deputy"}
    escalations = centre_panels["escalations-by-deputy"]
    assert sum(row[1].value for row in escalations.rows) == 1
    city_panels = _panels(_home(client, city_admin))
    assert _figure(city_panels["pending-by-county"], county.county.name, 1).value == 4
    assert "calendar" in city_panels


def test_figures_come_from_the_cache_and_say_when(client, county, owner, item, raised, settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    first = _panels(_home(client, owner))["pending-by-department"]
    case_raised(actor=owner, township=county.township_a, item=item)
    with CaptureQueriesContext(connection) as cached:
        again = _panels(_home(client, owner))["pending-by-department"]
    assert again.computed_at == first.computed_at
    assert _figure(again, county.agriculture.name, 1).value == 2  # as computed, a moment ago
    settings.DASHBOARD_CACHE_SECONDS = 0
    fresh = _panels(_home(client, owner))["pending-by-department"]
    assert _figure(fresh, county.agriculture.name, 1).value == 3
    assert not any("cases_casetransition" in query["sql"] for query in cached.captured_queries)


@pytest.mark.parametrize("role", ["owner", "colleague", "agri_officer", "centre", "city_admin"])
def test_home_queries_do_not_grow_with_rows(client, county, item, owner, role, request, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0  # every figure counted on every visit: the worst case
    user = request.getfixturevalue(role)
    case_raised(actor=owner, township=county.township_a, item=item, co_sectors=[Sector.HOUSING_CONSTRUCTION])
    _home(client, user)
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    for _ in range(3):
        case_raised(actor=owner, township=county.township_a, item=item, co_sectors=[Sector.HOUSING_CONSTRUCTION])
    with CaptureQueriesContext(connection) as many:
        client.get(HOME)
    # One query per panel and per queue line's table, whatever the rows (the session's save included);
    # 22 since two tables joined the queues, each counted in one query of its own: the monthly and
    # quarterly records (issue 14 item 8) and the task forces' milestones (issue 16).
    assert len(many) == len(few) <= 22, [query["sql"][:80] for query in many.captured_queries]


def test_scorecards_page_for_the_rating_township_and_its_csv(client, county, colleague, raised):
    client.force_login(colleague)
    url = reverse("admin:cases_caseassignment_scorecards")
    today = date.today().isoformat()
    page = client.get(url, {"start": today[:8] + "01", "end": today}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert [card.department for card in page.context["scorecards"]] == [county.agriculture, county.housing]
    csv = client.get(url, {"start": today[:8] + "01", "end": today, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8").splitlines()
    assert lines[0].startswith("\ufeff部门,县区,交办数")
    assert lines[1].startswith(f"{county.agriculture.name},{county.county.name},2,")
    bad = client.get(url, {"start": "2026-03-31", "end": "2026-03-01", "format": "csv"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 200 and bad["Content-Type"].startswith("text/html")
    assert "开始日期晚于结束日期" in bad.content.decode() or bad.context["form"].errors


def test_a_township_card_counts_only_its_own_cases(county, owner, outsider, raised):
    today = date.today()
    period = {"start": today.replace(day=1), "end": today}
    mine = {card.department: card.assigned for card in department_scorecards(user=owner, **period)}
    theirs = {card.department: card.assigned for card in department_scorecards(user=outsider, **period)}
    assert mine == {county.agriculture: 2, county.housing: 1}
    assert theirs == {county.agriculture: 1}
