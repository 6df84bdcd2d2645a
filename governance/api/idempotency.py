"""Exactly-once creates: ``Idempotency-Key`` (issue 17 §3).

The first request with a key inserts the (client, key) row and creates the record in the same
transaction; its answer, a success or a refusal, is stored on that row. A retry with the same key
gets the stored answer again (``Idempotent-Replayed: true``). A retry that arrives while the first
is still running waits at the insert (the unique constraint holds it until the first commits) and
then answers the stored response, so two concurrent requests never create twice. A retry of a
request that failed unexpectedly (a server error) finds no row: the rollback took it, and the
create runs again. The same key with a different request is refused (422).
"""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from governance.api.errors import Unprocessable, error_response
from governance.api.models import ApiClient, IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX_LENGTH = 100

KEY_FORMAT = _("An Idempotency-Key has 1 to 100 visible ASCII characters (a UUID is a good choice).")
KEY_REUSED = _("This Idempotency-Key was used for a different request; use a new key for a new request.")


def _key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not (1 <= len(key) <= KEY_MAX_LENGTH and key.isascii() and key.isprintable() and key.strip() == key):
        raise Unprocessable(KEY_FORMAT, code="idempotency_key_invalid")
    return key


def request_fingerprint(request) -> str:
    """The method, path, fields and attachments (name, size, SHA-256) of a request, hashed."""
    data = request.data
    if hasattr(data, "getlist"):  # a multipart form: every value of every field, files apart
        fields = {name: [v for v in data.getlist(name) if not hasattr(v, "read")] for name in data}
    else:
        fields = data
    files = []
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            files.append([name, upload.name, upload.size, digest.hexdigest()])
    text = json.dumps([request.method, request.path, fields, files], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _stored(response: Response) -> object:
    """The body as the client received it (dates as strings), for the JSON column."""
    return json.loads(JSONRenderer().render(response.data) or b"null")


def _replay(record: IdempotencyRecord, fingerprint: str) -> Response:
    if record.fingerprint != fingerprint:
        raise Unprocessable(KEY_REUSED, code="idempotency_key_reused")
    return Response(record.body, status=record.status_code, headers={REPLAYED_HEADER: "true"})


def respond_once(*, request, client: ApiClient, create: Callable[[], Response]) -> Response:
    """``create()`` in a transaction, at most once per (client, Idempotency-Key)."""
    key = _key(request)
    if key is None:
        with transaction.atomic():
            return create()
    fingerprint = request_fingerprint(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    client=client, key=key, fingerprint=fingerprint, status_code=0, body={}
                )
        except IntegrityError:
            return _replay(IdempotencyRecord.objects.get(client=client, key=key), fingerprint)
        try:
            with transaction.atomic():
                response = create()
        except Exception as error:
            response = error_response(error, request)
            if response is None:
                raise  # unexpected: the rollback takes the key's row too, so a retry runs again
        record.status_code, record.body = response.status_code, _stored(response)
        record.save(update_fields=["status_code", "body"])
        return response
