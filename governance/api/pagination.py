"""Cursor pagination: a page's ``next`` link continues exactly where it stopped, however many
records change meanwhile (issue 17 §1: "list those changed since a timestamp")."""

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

CURSOR_INVALID = _("This cursor is not one the API gave out: follow the “next” link as it is.")


class SafeCursorPagination(CursorPagination):
    """A cursor is the caller's input: a broken one (or one carrying a NUL character, which
    PostgreSQL refuses) is a 400 naming the parameter, not DRF's 404."""

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor = None
            bad = True
        else:
            bad = cursor is not None and cursor.position is not None and not self.position_valid(cursor.position)
        if bad:
            raise ValidationError({self.cursor_query_param: [CURSOR_INVALID]})
        return cursor

    def position_valid(self, position: str) -> bool:
        return "\x00" not in position

    def get_paginated_response_schema(self, schema):
        """DRF's, in OpenAPI 3.1 terms (``nullable`` is 3.0's), with every key always present."""
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }


class ChangedCursorPagination(SafeCursorPagination):
    """Oldest change first, so a poller walks forward and keeps the last ``changed_at`` it saw."""

    ordering = ("changed_at", "pk")
    page_size = 50

    def position_valid(self, position: str) -> bool:
        try:
            return parse_datetime(position) is not None
        except ValueError:
            return False

    page_size_query_param = "page_size"
    max_page_size = 200


class CodeCursorPagination(SafeCursorPagination):
    ordering = ("code",)
    page_size = 200
    page_size_query_param = "page_size"
    max_page_size = 1000


class PathCursorPagination(CodeCursorPagination):
    """The unit tree from the top down (a unit's path is its ancestors' codes and its own)."""

    ordering = ("path",)
