"""What every endpoint shares: the call log, the body size limits, the capability it needs, and
for records the scoping (``ScopedViewSet``: the model's ``for_user`` with the client's service
user, so a record outside the client's units answers 404 exactly as a missing one)."""

import time

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.viewsets import GenericViewSet

from governance.api.calls import api_call_record
from governance.api.errors import PayloadTooLarge


class ApiViewMixin:
    # The capability each action needs; None: any registered client (the catalogues, the unit tree).
    capabilities: dict[str, str | None] = {}

    def capability_for(self, action: str) -> str | None:
        return self.capabilities.get(action)

    def dispatch(self, request, *args, **kwargs):
        started = time.monotonic()
        response = super().dispatch(request, *args, **kwargs)
        api_call_record(request=self.request, status_code=response.status_code, started=started)
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, capability, rate limit
        _body_size_check(request)


def _body_size_check(request) -> None:
    """Refused before the body is parsed: a JSON body of at most API_MAX_BODY_BYTES, a multipart
    one (with attachments) of at most API_MAX_UPLOAD_BYTES. The load balancer should refuse larger
    bodies before they reach us (docs/api.md)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    multipart = (request.content_type or "").startswith("multipart/")
    limit = settings.API_MAX_UPLOAD_BYTES if multipart else settings.API_MAX_BODY_BYTES
    if length > limit:
        raise PayloadTooLarge(limit)


class ApiViewSet(ApiViewMixin, GenericViewSet):
    pass


class ScopedViewSet(ApiViewSet):
    """Records of the client's units only: ``get_queryset`` reads them through the model's
    ``for_user`` with the client's service user (``governance.api.selectors``), so a record outside
    answers 404 as a missing one. The leak test (tests/test_leaks.py) finds every subclass's routes
    and tries them with records outside the client's units."""

    scope_model = None  # the model whose ``for_user`` decides what the routes reach

    def get_object(self):
        """A reference carrying NUL (PostgreSQL refuses it in a query) is simply not found."""
        if "\x00" in str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")):
            raise NotFound()
        return super().get_object()


QUERY_VALUE_BAD = _("“%(name)s” takes one of: %(choices)s.")
QUERY_TEXT_BAD = _("“%(name)s” is at most %(length)d characters of text.")


def query_choice(request, name: str, choices) -> str | None:
    value = request.query_params.get(name)
    if value is not None and value not in choices:
        raise ValidationError({name: [QUERY_VALUE_BAD % {"name": name, "choices": ", ".join(choices)}]})
    return value


def query_text(request, name: str, max_length: int) -> str | None:
    """Free text from the query string: NUL (which PostgreSQL refuses) and overlong values are refused."""
    value = request.query_params.get(name)
    if value is not None and (len(value) > max_length or "\x00" in value):
        raise ValidationError({name: [QUERY_TEXT_BAD % {"name": name, "length": max_length}]})
    return value
