"""Reads of lists go to the read replica, everything else to the primary (issue 12).

The replica is a second database alias (``DATABASE_REPLICA_URL``); in tests it mirrors the primary,
so the rows are the same and the test sees which connection each query took. CI's PostgreSQL run
sets it; elsewhere these tests skip and say why."""

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.replica import ReplicaRouter, _reading

pytestmark = [
    # Skipped before the database mark asks for an alias that is not there.
    pytest.mark.skipif(
        "replica" not in settings.DATABASES,
        reason="no read replica configured: DATABASE_REPLICA_URL=postgres://… (CI sets it)",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


def _on(alias, client, method, url, data=None):
    with CaptureQueriesContext(connections[alias]) as captured:
        response = getattr(client, method)(url, data or {})
    return response, [query["sql"] for query in captured.captured_queries]


def test_a_list_reads_the_replica_and_a_record_page_the_primary(client, county, owner, city_admin):
    from tests.factories.cases import CoordinationItemFactory, case_raised

    case = case_raised(actor=owner, township=county.township_a, item=CoordinationItemFactory()).case
    client.force_login(city_admin)
    response, replica_reads = _on("replica", client, "get", reverse("admin:cases_case_changelist"))
    assert response.status_code == 200 and case in response.context["cl"].result_list
    assert any('FROM "cases_case"' in sql for sql in replica_reads)
    response, replica_reads = _on("replica", client, "get", reverse("admin:cases_case_change", args=[case.pk]))
    assert response.status_code == 200 and replica_reads == []


def test_writes_never_go_to_the_replica():
    assert ReplicaRouter().db_for_write(None) == "default"
    token = _reading.set(True)
    try:
        assert ReplicaRouter().db_for_read(None) == "replica"
        assert ReplicaRouter().db_for_write(None) == "default"
    finally:
        _reading.reset(token)
    assert ReplicaRouter().db_for_read(None) is None


def test_the_replica_can_be_switched_off_without_removing_it(settings):
    settings.DATABASE_REPLICA_READS = False
    token = _reading.set(True)
    try:
        assert ReplicaRouter().db_for_read(None) is None  # the primary
    finally:
        _reading.reset(token)
