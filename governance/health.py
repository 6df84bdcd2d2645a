"""``/healthz`` for the load balancer (issue 11): can this process serve? The database answers
``SELECT 1`` and, when ``CELERY_BROKER_URL`` is set, the broker accepts a connection.

A middleware answers it ahead of the rest: no session, login or language, no host check (the
balancer probes each node by its own address, which ALLOWED_HOSTS rightly leaves out) and no
redirect to HTTPS (the balancer probes over plain HTTP). The body says which part failed, never
why or where it lives; the reason goes to the log, as a warning: a balancer probing a dead
database every few seconds must not mail ADMINS every few seconds.
"""

import logging

from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connection
from django.http import JsonResponse

from governance.celery import app as celery_app

PATH = "/healthz"
BROKER_TIMEOUT_SECONDS = 2
log = logging.getLogger(__name__)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.warning("health check: the database did not answer", exc_info=True)
        return False
    return True


def _broker_answers() -> bool:
    try:
        with celery_app.connection_for_write(connect_timeout=BROKER_TIMEOUT_SECONDS) as broker:
            broker.ensure_connection(max_retries=0)
    except Exception:  # whatever the transport raises, tasks cannot be queued
        log.warning("health check: the broker did not answer", exc_info=True)
        return False
    return True


def health(request) -> JsonResponse:
    parts = {"database": _database_answers()}
    if settings.CELERY_BROKER_URL:
        parts["broker"] = _broker_answers()
    healthy = all(parts.values())
    body = {"status": "ok" if healthy else "unavailable"} | {
        part: "ok" if answered else "failed" for part, answered in parts.items()
    }
    response = JsonResponse(body, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == PATH:
            return health(request)
        return self.get_response(request)


class NotAHealthProbe(logging.Filter):
    """Keeps django.request from logging a failed probe's 503 as an error (and mailing it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(getattr(record, "request", None), "path", None) != PATH
