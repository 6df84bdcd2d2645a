"""/healthz for the load balancer (issue 11): 200 when the database (and the broker, when one is
configured) answers, 503 naming the part that failed, without saying where anything lives; over
plain HTTP, by any host name, with no session."""

import time
from unittest import mock

import pytest
from django.core import mail
from django.db import OperationalError
from django.test import Client
from kombu.exceptions import OperationalError as BrokerError

from governance import health

BROKER = "redis://:broker-password@redis.internal:6379/0"


@pytest.fixture
def balancer(db, settings):
    """Probes by the node's own address, over plain HTTP, with HTTPS redirect on."""
    settings.CELERY_BROKER_URL = ""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["gov.example.cn"]
    return Client(headers={"host": "10.0.3.17:8000"})


def test_healthy_is_200_with_a_small_body_and_no_session(balancer, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = balancer.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_a_database_that_does_not_answer_is_503(balancer, settings, caplog):
    settings.ADMINS = [("张三", "zhang@example.cn")]
    with mock.patch.object(health.connection, "cursor", side_effect=OperationalError("connection refused")):
        response = balancer.get("/healthz", headers={"x-request-id": "lb-probe-1"})
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "failed"}
    (warning,) = [record for record in caplog.records if record.name == "governance.health"]
    assert warning.levelname == "WARNING" and warning.request_id == "lb-probe-1"
    assert not [record for record in caplog.records if record.name == "django.request"]
    assert mail.outbox == []  # a probe every few seconds must not mail every few seconds


def test_a_configured_broker_that_answers_is_checked(balancer, settings):
    settings.CELERY_BROKER_URL = BROKER
    with mock.patch.object(health.celery_app, "connection_for_write") as connect:
        response = balancer.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    connect.assert_called_once_with(connect_timeout=health.BROKER_TIMEOUT_SECONDS)
    connect.return_value.__enter__.return_value.ensure_connection.assert_called_once_with(max_retries=0)


def test_a_broker_that_does_not_answer_is_503_without_saying_where_it_is(balancer, settings):
    settings.CELERY_BROKER_URL = BROKER
    with mock.patch.object(health.celery_app, "connection_for_write", side_effect=BrokerError(f"refused: {BROKER}")):
        response = balancer.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "failed"}
    assert b"redis" not in response.content and b"password" not in response.content


def test_the_real_broker_check_gives_up_at_once_on_a_closed_port(db, settings, monkeypatch):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    monkeypatch.setenv("CELERY_BROKER_WRITE_URL", settings.CELERY_BROKER_URL)  # Celery reads it first
    started = time.monotonic()
    response = Client().get("/healthz")
    assert response.status_code == 503 and response.json()["broker"] == "failed"
    assert time.monotonic() - started < health.BROKER_TIMEOUT_SECONDS


def test_other_pages_still_need_the_host_and_https(balancer):
    assert Client(headers={"host": "gov.example.cn"}).get("/admin/login/").status_code == 301
    assert balancer.get("/admin/login/").status_code == 400  # DisallowedHost
