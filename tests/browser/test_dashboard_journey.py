"""Issue 13: each demo role's home page draws its charts (ECharts from our own static files, as
SVG with data) above their numbers, and a figure's link opens the list it counts."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# (user, a panel whose first linked figure is followed)
ROLES = [
    ("cg_secretary", "pending-by-department"),
    ("qh_agri", "assignments-by-state"),
    ("qh_centre", "pending-by-township"),
    ("qh_org", "assessment-progress"),
    ("city_admin", "pending-by-county"),
]


@pytest.mark.parametrize(("username", "panel"), ROLES)
def test_home_draws_its_charts_and_its_figures_open_their_lists(open_as, demo_city, username, panel):
    desk = open_as(username)
    page = desk.page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.reload()
    charts = page.locator(".dashboard-chart")
    assert charts.count() >= 1
    for index in range(charts.count()):
        chart = charts.nth(index)
        expect(chart).to_have_attribute("data-drawn", "true")
        # SVG drawn with the figures: bars, lines or the gauge's pointer are paths.
        assert chart.locator("svg path").count() > 3
    assert not [url for url in requested if not url.startswith(desk.base_url)], "no CDN: every file is ours"
    assert any("echarts.min.js" in url for url in requested)
    page.screenshot(path=desk.album.path(username, "home"), full_page=True)

    link = page.locator(f"#panel-{panel} td a").first
    href = link.get_attribute("href")
    figure = int(link.inner_text())
    link.click()
    expect(page.locator("#changelist")).to_be_visible()
    opened = urlsplit(page.url)
    assert opened.path == urlsplit(href).path
    assert dict(parse_qsl(opened.query)) == dict(parse_qsl(urlsplit(href).query))  # no "?e=1": a filter it knows
    shown = page.locator(".paginator").inner_text()
    assert int(re.search(r"\d+", shown).group()) == figure
