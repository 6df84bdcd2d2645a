"""The staffing side of the home page (issue 13): a township's headcount and assessment progress,
the organisation department's seconded cadres, progress and excellent cap, and the outsider's."""

from governance.dashboard import panels_for
from tests.factories.staffing import SecondmentFactory
from tests.staffing.conftest import open_cycle


def _panels(client, user) -> dict:
    client.force_login(user)
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return {panel.key: panel for panel in panels_for(response.wsgi_request)}


def _column(panel, column: int) -> dict:
    return {str(row[0].value): row[column].value for row in panel.rows}


def test_the_township_sees_its_headcount_gauge_and_its_cycle(client, county, colleague, secondment):
    county.township_a.staff_quota = 100
    county.township_a.save()
    open_cycle(colleague, county.township_a)
    panels = _panels(client, colleague)
    headcount = panels["headcount"]
    assert headcount.chart == "gauge" and _column(headcount, 2) == {county.township_a.name: 1}
    progress = panels["assessment-progress"]
    assert _column(progress, 1) == {county.township_a.name: 1}  # one draft, the seconded cadre's
    assert progress.rows[0][1].url  # the township's own clerks open every state


def test_the_organisation_department_sees_each_township(client, county, organiser, colleague, secondment):
    SecondmentFactory(sending_unit=county.housing, host_unit=county.township_b)
    SecondmentFactory(sending_unit=county.agriculture, host_unit=county.township_b)
    open_cycle(colleague, county.township_a)
    panels = _panels(client, organiser)
    assert _column(panels["seconded-by-host_unit"], 1) == {county.township_b.name: 2, county.township_a.name: 1}
    assert _column(panels["seconded-by-sending_unit"], 1) == {county.agriculture.name: 2, county.housing.name: 1}
    progress = panels["assessment-progress"]
    assert _column(progress, 1) == {county.township_a.name: 1}
    assert not progress.rows[0][1].url  # a draft is the township's: the county sees the count only
    excellent = panels["excellent-share"]
    assert _column(excellent, 1) == {county.township_a.name: 1}
    assert _column(excellent, 5) == {county.township_a.name: 0}  # 20 % of one, rounded down
    assert "headcount" not in panels


def test_the_neighbouring_township_sees_none_of_a(client, county, outsider, secondment):
    panels = _panels(client, outsider)
    assert county.township_a.name not in _column(panels["headcount"], 1)
    assert panels["assessment-progress"].rows == ()
