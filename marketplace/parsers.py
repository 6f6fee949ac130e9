"""Request body parsers that bound what a client can make the server do: size and nesting depth."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

# No API input is nested deeper than a few levels; 32 leaves room and keeps every later walk over the data shallow.
DEFAULT_MAX_DEPTH = 32


def nesting_depth(value) -> int:
    """Depth of nested lists/dicts, walked without recursion so any input is safe to measure."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


class RequestTooLarge(APIException):
    status_code = status.HTTP_400_BAD_REQUEST  # a 400 like every other refused input (Django's own is a 400 too)
    default_code = "request_too_large"

    def __init__(self):
        # Shaped like a DomainError answer: {"detail", "code"}.
        super().__init__({"detail": _("The request body is too large."), "code": self.default_code})


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser reads the whole stream with no size limit and recurses once per nesting level (a body of
    100,000 ``[`` is a RecursionError). This one reads at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes and refuses
    nesting deeper than API_JSON_MAX_DEPTH with a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        read_size = -1 if limit is None else limit + 1
        raw = b"" if stream is None else stream.read(read_size)
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge()
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        max_depth = getattr(settings, "API_JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH)
        too_deep = ParseError(_("JSON is nested too deeply (at most %(depth)d levels).") % {"depth": max_depth})
        try:
            data = json.loads(raw.decode(encoding), parse_constant=json.strict_constant if self.strict else None)
        except RecursionError:
            raise too_deep from None
        except ValueError as exc:  # includes UnicodeDecodeError and JSONDecodeError
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        if nesting_depth(data) > max_depth:
            raise too_deep
        return data
