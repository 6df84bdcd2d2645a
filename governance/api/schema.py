"""What the OpenAPI schema says beyond the serializers: the error body every refusal has, and
the headers of a create."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="What went wrong, for programs: invalid, not_found, token_expired, …")
    message = serializers.CharField(help_text="What went wrong, for people, in the request's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="The refused fields and why (nested fields as a.b).",
    )
    retry_after = serializers.IntegerField(required=False, help_text="Seconds to wait (code throttled).")


ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 415, 422, 429)
ERRORS = {status: ErrorSerializer for status in ERROR_STATUSES}

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description="Makes the create exactly-once: a retry with the same key gets the first answer again.",
)
