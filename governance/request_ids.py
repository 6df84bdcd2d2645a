"""A request id on every log line and on the response (issue 11: with DEBUG off no server error
reached a log, and nothing tied a user's "it failed at 10:02" to a traceback).

The load balancer's ``X-Request-ID`` is kept when it looks like one, else a new id is made. It goes
back on the response (the balancer's access log and the browser can quote it) and onto every log
record written while the request is handled, with the client's address read as the login lockout
reads it (governance/client_address.py).
"""

import logging
import re
import uuid
from contextvars import ContextVar

from governance.client_address import client_address

HEADER = "X-Request-ID"
# Letters, digits and -_.: only: a header is client input, and a newline in it would forge log lines.
_SANE = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
_NONE = ("-", "-")
_current: ContextVar[tuple[str, str]] = ContextVar("request_id", default=_NONE)


class RequestIdMiddleware:
    """First in MIDDLEWARE, so even a redirect to HTTPS carries an id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request.request_id = incoming if _SANE.fullmatch(incoming) else uuid.uuid4().hex
        token = _current.set((request.request_id, client_address(request)))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` and ``client`` on each record ("-" outside a request).

    django.request logs a 4xx after the middleware has returned, so a record that names its request
    (``extra={"request": …}``, as Django's own do) is read from that request.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if hasattr(request, "request_id"):
            record.request_id, record.client = request.request_id, client_address(request)
        else:
            record.request_id, record.client = _current.get()
        return True
