"""Webhooks (issue 17 §3): each step of a case or service request an API client created becomes an
event for that client's webhook, signed with its secret and retried with backoff.

The event is written in the step's own transaction (an outbox row, ``WebhookDelivery``), so it
exists exactly when the step does; after the commit a Celery task posts it. Every step of either
workflow writes one transition row, whatever path took it (admin, API, the overdue sweep), so the
transition rows' ``post_save`` is where events are made: a side effect, no rule lives there.

A delivery is claimed by its attempt count (``filter(attempts=n).update(attempts=n + 1)``), so a
Celery retry and ``manage.py deliver_webhooks`` never post the same attempt twice.

Signature: ``X-Signature: sha256=<hex HMAC-SHA256(secret, "<X-Signature-Timestamp>.<body>")>``.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from governance.api.models import ApiClient, ApiTicket, DeliveryStatus, WebhookDelivery

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Signature"
TIMESTAMP_HEADER = "X-Signature-Timestamp"
EVENT_HEADER = "X-Event-Id"
MAX_BACKOFF_SECONDS = 6 * 3600


# --- events ---------------------------------------------------------------------------------


def connect() -> None:
    from cases.models import CaseTransition, ServiceRequestTransition

    post_save.connect(_case_step, sender=CaseTransition, dispatch_uid="api.webhooks.case_step")
    post_save.connect(_request_step, sender=ServiceRequestTransition, dispatch_uid="api.webhooks.request_step")


def _client_to_tell(link: ApiTicket | None) -> ApiClient | None:
    if link is None or not link.client.webhook_url or link.client.revoked_at is not None:
        return None
    return link.client


def _case_step(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    link = ApiTicket.objects.select_related("client", "case").filter(case_id=instance.case_id).first()
    client = _client_to_tell(link)
    if client is None:
        return  # raised by a person, or by a client without a webhook (its own raise links afterwards)
    department = instance.department
    event_queue(
        client=client,
        event_type=f"case.{instance.action}",
        data={
            "reference": link.case.reference,
            "ticket": link.ticket,
            "action": instance.action,
            "from_state": instance.from_state,
            "to_state": instance.to_state,
            "department": None if department is None else {"code": department.code, "name": department.name},
            "at": instance.at.isoformat(),
        },
    )


def _request_step(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    link = ApiTicket.objects.select_related("client").filter(service_request_id=instance.request_id).first()
    client = _client_to_tell(link)
    if client is None:
        return
    event_queue(
        client=client,
        event_type=f"service_request.{instance.action}",
        data={
            "id": instance.request_id,
            "ticket": link.ticket,
            "action": instance.action,
            "from_state": instance.from_state,
            "to_state": instance.to_state,
            "desk": instance.to_desk,
            "at": instance.at.isoformat(),
        },
    )


def event_queue(*, client: ApiClient, event_type: str, data: dict) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.create(
        client=client, event_type=event_type, payload=data, next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: _task_send(delivery.pk))
    return delivery


def _task_send(delivery_id: int) -> None:
    """Hand the delivery to Celery (in-process when no broker is configured). A broker that is
    down must not fail the step that already committed: the row waits for ``deliver_webhooks``."""
    from governance.api.tasks import webhook_deliver

    try:
        webhook_deliver.delay(delivery_id, 0)
    except Exception as error:  # kombu's connection errors, a misconfigured broker
        logger.warning("webhook delivery %s not queued (%s); deliver_webhooks will send it", delivery_id, error)


# --- delivery -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    delivery: WebhookDelivery
    ok: bool
    retry_in: int | None  # seconds until the next attempt; None when delivered or given up


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def backoff_seconds(attempts_made: int) -> int:
    """30 s, 1 min, 2 min, … doubling after each failed attempt, at most six hours."""
    return min(settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempts_made - 1), MAX_BACKOFF_SECONDS)


def envelope(delivery: WebhookDelivery) -> bytes:
    event = {
        "id": str(delivery.event_id),
        "type": delivery.event_type,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a place to post the event (urllib would re-send it as a GET)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(url: str, body: bytes, headers: dict) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, str(getattr(error, "reason", error))[:300]


def webhook_attempt(*, delivery_id: int, attempts_made: int, now: datetime | None = None) -> Attempt | None:
    """Post the event once, if it is still pending after ``attempts_made`` attempts (else someone
    else took this attempt: None). A 2xx answer delivers it; anything else schedules the next
    attempt after the backoff, until ``WEBHOOK_MAX_ATTEMPTS``."""
    now = now or timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, attempts=attempts_made
    ).update(attempts=attempts_made + 1, next_attempt_at=now + timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 2))
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("client").get(pk=delivery_id)
    client = delivery.client
    if client.revoked_at is not None or not client.webhook_url:
        return _finish(delivery, ok=False, status_code=None, error="client revoked or webhook removed", now=now)
    body = envelope(delivery)
    timestamp = str(int(time.time()))
    status_code, error = _post(
        client.webhook_url,
        body,
        {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "governance-webhooks/1",
            EVENT_HEADER: str(delivery.event_id),
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(client.webhook_secret, timestamp, body),
        },
    )
    ok = status_code is not None and 200 <= status_code < 300
    return _finish(delivery, ok=ok, status_code=status_code, error=error, now=now)


def _finish(delivery: WebhookDelivery, *, ok: bool, status_code, error: str, now: datetime) -> Attempt:
    changes = {"last_status_code": status_code, "last_error": error}
    retry_in = None
    if ok:
        changes.update(status=DeliveryStatus.DELIVERED, delivered_at=timezone.now())
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS or _client_to_tell_gone(delivery.client):
        changes.update(status=DeliveryStatus.FAILED)
    else:
        retry_in = backoff_seconds(delivery.attempts)
        changes.update(next_attempt_at=now + timedelta(seconds=retry_in))
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**changes)
    delivery.refresh_from_db()
    if not ok:
        logger.warning(
            "webhook %s to %s failed (attempt %d): %s", delivery.event_id, delivery.client, delivery.attempts, error
        )
    return Attempt(delivery=delivery, ok=ok, retry_in=retry_in)


def _client_to_tell_gone(client: ApiClient) -> bool:
    return client.revoked_at is not None or not client.webhook_url


def deliveries_due(*, now: datetime | None = None, limit: int = 500) -> list[tuple[int, int]]:
    """(id, attempts made) of the pending deliveries whose next attempt is due."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    return list(due.order_by("next_attempt_at").values_list("pk", "attempts")[:limit])
