"""JSON as the API reads it: what PostgreSQL could not store is refused as a malformed body."""

import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    """DRF's parser, plus two refusals it lets through as server errors: a lone surrogate written
    as an escape ("\\ud800", valid JSON, not valid UTF-8, so no database takes it) and nesting
    deep enough to exhaust Python's recursion limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except (RecursionError, UnicodeEncodeError) as error:
            raise ParseError(str(error)[:100]) from None
        return data
