"""The home pages' figures counted ahead of their people under Celery beat (issue 12,
``governance.dashboard_refresh``): a person signed in lately finds their area's figures counted
again, the page asking only its live queue; someone long gone is not counted for."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.dashboard import figures_cached, figures_refreshing, panels_for
from governance.dashboard_refresh import dashboards_refresh
from governance.roles import Role
from tests.cases.test_dashboard import HOME, _home, _panels
from tests.conftest import user_with_role
from tests.factories.cases import case_raised

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def figures_kept(settings):
    settings.DASHBOARD_CACHE_SECONDS = 300


def _signed_in_lately(*users):
    for user in users:
        user.last_login = timezone.now() - timedelta(minutes=5)
        user.save(update_fields=["last_login"])


def test_a_refresh_counts_again_what_the_page_then_reads_without_counting(client, county, owner, item):
    case_raised(actor=owner, township=county.township_a, item=item)
    first = _panels(_home(client, owner))["cases-by-week"]  # signs in: last_login is now
    assert first.rows[-1][1].value == 1
    case_raised(actor=owner, township=county.township_a, item=item)
    result = dashboards_refresh()
    assert result.people >= 1 and result.figures >= 3
    client.force_login(owner)
    with CaptureQueriesContext(connection) as visit:
        response = client.get(HOME)
    weeks = {panel.key: panel for panel in panels_for(response.wsgi_request)}["cases-by-week"]
    assert weeks.rows[-1][1].value == 2  # counted again by the refresh, not when the page was read
    assert weeks.computed_at > first.computed_at
    assert not any('"raised0"' in query["sql"] for query in visit.captured_queries), "the page counted"


def test_people_sharing_a_picture_are_counted_once_and_the_long_gone_not_at_all(county, owner, colleague, outsider):
    second_clerk = user_with_role("second_clerk", Role.TOWNSHIP_CLERK, county.township_a)
    _signed_in_lately(owner, second_clerk, colleague)
    outsider.last_login = timezone.now() - timedelta(days=3)  # longer than a session lives
    outsider.save(update_fields=["last_login"])
    result = dashboards_refresh()
    assert (result.people, result.pictures) == (3, 2)  # the two clerks of township A share one


def test_within_a_refresh_each_figure_is_counted_again_once():
    counted = []

    def count():
        counted.append(1)
        return len(counted)

    assert figures_cached("test", "scope", count)[0] == 1
    with figures_refreshing() as keys:
        assert figures_cached("test", "scope", count)[0] == 2  # counted again despite the cache
        assert figures_cached("test", "scope", count)[0] == 2  # a second picture sharing it: once
    assert len(keys) == 1
    assert figures_cached("test", "scope", count)[0] == 2  # and kept for the pages


def test_the_command_reports_and_beat_runs_it_when_figures_are_kept(county, owner, settings, capsys):
    from governance.celery import app, schedule

    _signed_in_lately(owner)
    call_command("refresh_dashboards")
    assert "home pages counted: 1" in capsys.readouterr().out
    before = app.conf.beat_schedule
    try:
        settings.DASHBOARD_REFRESH_SECONDS = 240
        schedule(sender=app)
        assert app.conf.beat_schedule["refresh dashboards"]["schedule"] == 240
        settings.DASHBOARD_REFRESH_SECONDS = 0
        schedule(sender=app)
        assert "refresh dashboards" not in app.conf.beat_schedule
    finally:
        app.conf.beat_schedule = before


@pytest.mark.parametrize(
    ("refresh", "cache", "warned"),
    [(240, 300, False), (300, 300, True), (600, 300, True), (0, 300, False), (240, 0, False)],
)
def test_a_refresh_not_before_the_figures_expire_is_warned_of(settings, refresh, cache, warned):
    from django.core.checks.registry import registry

    from governance.dashboard_refresh import refresh_interval_check

    settings.DASHBOARD_REFRESH_SECONDS, settings.DASHBOARD_CACHE_SECONDS = refresh, cache
    found = refresh_interval_check()
    assert [message.id for message in found] == (["governance.W002"] if warned else [])
    if warned:
        assert "DASHBOARD_REFRESH_SECONDS" in found[0].msg and f"{refresh}" in found[0].msg
    assert refresh_interval_check in registry.get_checks()
