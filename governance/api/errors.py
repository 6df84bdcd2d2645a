"""Every error of the API is JSON: ``{"code": …, "message": …, "fields": {…}}``, the message in the
request's language (Chinese unless ``Accept-Language`` asks for English), never a 500 for bad input.

A service's refusal (Django's ``ValidationError``) keeps the service's own message, the one the
admin shows, and its fields; DRF's errors keep DRF's code and get a message of ours.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from governance.api.clients import TOKEN_MISSING

INVALID = _("The request has errors: see the fields.")
MALFORMED = _("The request body could not be read as JSON or as a multipart form.")
NOT_FOUND = _("This record does not exist, or it is outside the units this client acts for.")
FORBIDDEN = _("This client may not do this.")
METHOD_NOT_ALLOWED = _("This address does not accept the method %(method)s.")
NOT_ACCEPTABLE = _("The API answers in JSON only.")
UNSUPPORTED_MEDIA_TYPE = _("Send the body as application/json, or as multipart/form-data with attachments.")
THROTTLED = _("Too many calls from this client: wait %(seconds)d seconds and try again.")
TOO_LARGE = _("The request is too large: a body may be at most %(limit)s.")
BAD_REQUEST = _("The request could not be understood.")

_MESSAGES = {
    exceptions.NotAuthenticated: ("not_authenticated", TOKEN_MISSING),
    exceptions.ParseError: ("malformed", MALFORMED),
    exceptions.NotFound: ("not_found", NOT_FOUND),
    exceptions.NotAcceptable: ("not_acceptable", NOT_ACCEPTABLE),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", UNSUPPORTED_MEDIA_TYPE),
}


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self, limit_bytes: int):
        super().__init__(TOO_LARGE % {"limit": _size(limit_bytes)})


class Conflict(exceptions.APIException):
    """The request clashes with what is already there (a ticket number used before)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "unprocessable"


def _size(limit_bytes: int) -> str:
    if limit_bytes >= 1024 * 1024:
        return f"{limit_bytes / (1024 * 1024):g} MB"
    return f"{limit_bytes / 1024:g} KB"


def error_body(code: str, message, fields: dict | None = None, **extra) -> dict:
    return {"code": code, "message": str(message), "fields": fields or {}, **extra}


def _flat(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"field": [messages]}``, nested names joined by dots."""
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flat(value, name))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            flat.update(_flat(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = [str(item) for item in detail] if isinstance(detail, list) else [str(detail)]
    return {prefix or "non_field_errors": messages} if messages else {}


def _from_drf(exc: exceptions.APIException, request) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        fields = _flat(exc.detail)
        general = fields.pop(serializers.api_settings.NON_FIELD_ERRORS_KEY, None)
        if general:
            message = general[0]
        elif len(fields) == 1 and len(next(iter(fields.values()))) == 1:
            message = next(iter(fields.values()))[0]  # one reason: say it, not "see the fields"
        else:
            message = INVALID
        return error_body("invalid", message, fields)
    if isinstance(exc, exceptions.Throttled):
        return error_body("throttled", THROTTLED % {"seconds": int(exc.wait or 1)}, retry_after=int(exc.wait or 1))
    if isinstance(exc, exceptions.MethodNotAllowed):
        return error_body("method_not_allowed", METHOD_NOT_ALLOWED % {"method": request.method if request else ""})
    for exception_class, (code, message) in _MESSAGES.items():
        if isinstance(exc, exception_class):
            return error_body(code, message)
    # Authentication, permission, conflicts, limits: our own messages, raised with their codes.
    detail = exc.detail
    codes = exc.get_codes()
    return error_body(codes if isinstance(codes, str) else exc.default_code, detail)


def service_refusal(error: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ``ValidationError`` as DRF's, with the service's messages and fields."""
    if hasattr(error, "error_dict"):
        detail = {
            (serializers.api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): [
                str(message) for message in DjangoValidationError(errors).messages
            ]
            for field, errors in error.error_dict.items()
        }
    else:
        detail = {serializers.api_settings.NON_FIELD_ERRORS_KEY: [str(message) for message in error.messages]}
    return exceptions.ValidationError(detail)


def api_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: any refusal as our JSON; anything else stays a server error."""
    request = context.get("request")
    if isinstance(exc, DjangoValidationError):
        exc = service_refusal(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(FORBIDDEN)
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    elif isinstance(exc, SuspiciousOperation):  # too many fields or files, a broken multipart body
        exc = exceptions.ParseError(BAD_REQUEST)
    response = exception_handler(exc, context)
    if response is None:
        return None
    response.data = _from_drf(exc, request)
    return response


def error_response(exc, request) -> Response | None:
    """The answer ``api_exception_handler`` gives (for answers built outside DRF's own handling)."""
    return api_exception_handler(exc, {"request": request})
