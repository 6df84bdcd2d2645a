"""Webhooks: a signed event to the client that created the case when it changes (closing included),
retried with exponential backoff on failure, never twice for one attempt, never to another client."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock

import pytest
from celery.app.task import Task
from django.core.management import call_command
from django.utils import timezone

from cases.assignments import assignment_accept, assignment_feedback, assignment_respond
from cases.models import Case
from cases.ratings import assignment_rate
from governance.api import webhooks
from governance.api.models import ApiClient, DeliveryStatus, WebhookDelivery
from governance.api.tasks import webhook_deliver
from governance.celery import app
from governance.roles import Role
from tests.api.conftest import caller, case_body
from tests.conftest import user_with_role
from tests.factories.cases import case_raised

pytestmark = pytest.mark.django_db


class Receiver:
    """A local HTTP server that answers with the next status of ``answers`` and keeps what it got."""

    def __init__(self, answers=(200,)):
        self.answers = list(answers)
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.answers.pop(0) if receiver.answers else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def in_process():
    """As on the embedded default (no broker), even when the run has CELERY_BROKER_URL set."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


def _hotline_with(receiver, county, city_admin):
    return caller(actor=city_admin, name="12345热线", units=[county.city], webhook_url=receiver.url)


def _close(case: Case, county):
    officer = user_with_role("agri", Role.DEPARTMENT_OFFICER, county.agriculture)
    supervisor = user_with_role("boss", Role.TOWNSHIP_SUPERVISOR, county.township_a)
    assignment = case.assignments.get()
    assignment_accept(actor=officer, assignment=assignment)
    assignment_feedback(actor=officer, assignment=assignment, feedback="已到现场")
    assignment_respond(actor=officer, assignment=assignment, response="已清淤")
    assignment_rate(actor=supervisor, assignment=assignment, rating="satisfied")


def test_the_hotline_gets_a_signed_event_for_each_step_and_when_the_case_closes(
    county, city_admin, item, receiver, in_process, django_capture_on_commit_callbacks
):
    hotline = _hotline_with(receiver, county, city_admin)
    with django_capture_on_commit_callbacks(execute=True):
        reference = hotline.post(
            "/api/v1/cases/", case_body(county, co_sectors=[], left_out_reason="只涉及农业部门")
        ).json()["reference"]
    assert receiver.received == []  # its own raise: it has the answer already
    with django_capture_on_commit_callbacks(execute=True):
        _close(Case.objects.get(reference=reference), county)

    events = [json.loads(body) for _headers, body in receiver.received]
    assert [event["type"] for event in events] == [
        "case.accept",
        "case.feedback",
        "case.respond",
        "case.rate",
        "case.close",
    ]
    closing = events[-1]
    assert (
        closing["data"] | {"reference": reference, "ticket": "12345-20261201-0001", "to_state": "closed"}
        == closing["data"]
    )
    for headers, body in receiver.received:
        expected = hmac.new(
            hotline.webhook_secret.encode(), headers["X-Signature-Timestamp"].encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        assert headers["X-Signature"] == f"sha256={expected}"
        assert headers["X-Event-Id"] == json.loads(body)["id"]
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}


def test_no_event_for_a_case_the_client_did_not_create(county, owner, city_admin, item, receiver):
    _hotline_with(receiver, county, city_admin)
    case = case_raised(actor=owner, township=county.township_a, item=item, co_sectors=[]).case
    _close(case, county)
    assert not WebhookDelivery.objects.exists()


def test_no_event_for_a_revoked_client(county, city_admin, item, receiver):
    from governance.api.clients import api_client_revoke

    hotline = _hotline_with(receiver, county, city_admin)
    reference = hotline.post(
        "/api/v1/cases/", case_body(county, co_sectors=[], left_out_reason="只涉及农业部门")
    ).json()["reference"]
    api_client_revoke(actor=city_admin, client=hotline.client)
    _close(Case.objects.get(reference=reference), county)
    assert not WebhookDelivery.objects.exists()


def test_service_request_steps_are_events_too(county, city_admin, township_item, receiver):
    from cases.models import ServiceRequest
    from cases.service_requests import service_request_accept
    from tests.api.conftest import request_body

    hotline = _hotline_with(receiver, county, city_admin)
    created = hotline.post("/api/v1/service-requests/", request_body(county)).json()
    clerk = user_with_role("clerk", Role.TOWNSHIP_CLERK, county.township_a)
    service_request_accept(actor=clerk, request=ServiceRequest.objects.get(pk=created["id"]))
    delivery = WebhookDelivery.objects.get()
    assert delivery.event_type == "service_request.accept"
    assert delivery.payload | {"id": created["id"], "to_state": "accepted"} == delivery.payload


def _pending(hotline):
    return webhooks.event_queue(client=hotline.client, event_type="case.close", data={"reference": "R"})


def test_a_failed_attempt_waits_twice_as_long_each_time_then_gives_up(county, city_admin, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    failing = Receiver(answers=[500, 503, 502])
    try:
        hotline = _hotline_with(failing, county, city_admin)
        delivery = _pending(hotline)
        waits = []
        for made in range(3):
            attempt = webhooks.webhook_attempt(delivery_id=delivery.pk, attempts_made=made)
            waits.append(attempt.retry_in)
    finally:
        failing.close()
    delivery.refresh_from_db()
    assert waits == [30, 60, None]
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.FAILED, 3, 502)


def test_an_attempt_is_made_once_however_many_try_it(county, city_admin, receiver):
    hotline = _hotline_with(receiver, county, city_admin)
    delivery = _pending(hotline)
    assert webhooks.webhook_attempt(delivery_id=delivery.pk, attempts_made=0).ok
    assert webhooks.webhook_attempt(delivery_id=delivery.pk, attempts_made=0) is None  # a duplicate task
    assert len(receiver.received) == 1


def test_the_worker_retries_with_the_backoff(county, city_admin):
    """On a worker (not eager) a failed attempt asks Celery for a retry after the backoff."""
    failing = Receiver(answers=[500])
    try:
        delivery = _pending(_hotline_with(failing, county, city_admin))
        with mock.patch.object(Task, "retry", side_effect=RuntimeError("retry")) as retry:
            with pytest.raises(RuntimeError):
                webhook_deliver.run(delivery.pk, 0)
    finally:
        failing.close()
    assert retry.call_args.kwargs == {"args": (delivery.pk, 1), "countdown": 30}


def test_without_a_broker_the_retries_are_sent_by_the_command(county, city_admin, in_process, settings):
    failing = Receiver(answers=[500])
    try:
        delivery = _pending(_hotline_with(failing, county, city_admin))
        webhook_deliver.delay(delivery.pk, 0)  # eager: one attempt, no retry held in the request
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
        call_command("deliver_webhooks", stdout=open("/dev/null", "w"))  # not due yet
        assert len(failing.received) == 1
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        call_command("deliver_webhooks", stdout=open("/dev/null", "w"))
    finally:
        failing.close()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(failing.received)) == (DeliveryStatus.DELIVERED, 2, 2)


def test_a_broker_that_is_down_does_not_fail_the_step(county, city_admin, item, django_capture_on_commit_callbacks):
    hotline = caller(actor=city_admin, name="热线", units=[county.city], webhook_url="http://127.0.0.1:9/hook")
    reference = hotline.post(
        "/api/v1/cases/", case_body(county, co_sectors=[], left_out_reason="只涉及农业部门")
    ).json()["reference"]
    with mock.patch.object(webhook_deliver, "delay", side_effect=ConnectionError("broker down")):
        with django_capture_on_commit_callbacks(execute=True):
            officer = user_with_role("agri", Role.DEPARTMENT_OFFICER, county.agriculture)
            assignment_accept(actor=officer, assignment=Case.objects.get(reference=reference).assignments.get())
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING


def test_a_redirect_is_not_followed(county, city_admin):
    moved = Receiver(answers=[302])
    try:
        delivery = _pending(_hotline_with(moved, county, city_admin))
        attempt = webhooks.webhook_attempt(delivery_id=delivery.pk, attempts_made=0)
    finally:
        moved.close()
    assert not attempt.ok and attempt.delivery.last_status_code == 302 and len(moved.received) == 1
    assert ApiClient.objects.count() == 1
