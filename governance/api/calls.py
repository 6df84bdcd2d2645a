"""Every call is logged with its client (issue 17): method, path, answer, time taken, the
request id the logs carry and the caller's address. Calls whose token was refused are logged
without a client. ``purge_api_records`` deletes rows older than ``API_CALLS_KEPT_DAYS``."""

import time

from django.utils import timezone

from governance.api.models import ApiCall, ApiClient
from governance.client_address import client_address


def api_call_record(*, request, status_code: int, started: float) -> None:
    client = getattr(request, "_auth", None)
    ApiCall.objects.create(
        client=client if isinstance(client, ApiClient) else None,
        method=request.method[:10],
        path=request.path.replace("\x00", "")[:200],  # the address is the caller's text; PostgreSQL refuses NUL
        status_code=status_code,
        duration_ms=round((time.monotonic() - started) * 1000),
        request_id=getattr(request, "request_id", "")[:128],
        address=client_address(request)[:45],
        at=timezone.now(),
    )
