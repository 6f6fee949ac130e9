"""Request guards that run before any view, so no app has to repeat them."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.utils.translation import gettext as _

from marketplace.errors import api_error_for_status, is_api, json_error

# No URL of ours contains a control character, and PostgreSQL refuses NUL in any text it is asked to compare.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class RequestGuardMiddleware:
    """A path with a control character is a 404 before it reaches a view (``/api/v1/payments/ab%00cd/`` would
    otherwise be a ValueError in the database driver), and a query string with a NUL is a 400. An API request
    announcing a body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused with a JSON 400 before anything reads it; bodies
    without a length are bounded by the parsers.

    And an API error is always JSON: an error page Django made on an API path (with DEBUG on, the handlers in
    marketplace.errors are skipped for its technical 404 / 400 / 500 pages) is replaced by the JSON answer for its
    status. The traceback of a 500 is still logged (django.request). DRF's own answers are left as negotiated."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL_CHARACTERS.search(request.path):
            if is_api(request):
                return api_error_for_status(404)
            raise Http404(_("Not found."))
        if self._query_has_nul(request):
            if is_api(request):
                return json_error(_("The address contains a NUL character."), "invalid_query", 400)
            raise SuspiciousOperation("NUL in the query string")  # Django answers 400
        if is_api(request) and self._body_over_limit(request):
            return json_error(_("The request body is too large."), "request_too_large", 400)
        response = self.get_response(request)
        if is_api(request) and response.status_code >= 400 and self._is_django_page(response):
            return api_error_for_status(response.status_code)
        return response

    @staticmethod
    def _is_django_page(response) -> bool:
        # DRF responses carry the renderer they were negotiated for (the browsable API answers HTML when asked).
        return not hasattr(response, "accepted_renderer") and response.get("Content-Type", "").startswith("text/html")

    @staticmethod
    def _query_has_nul(request) -> bool:
        # Views read query parameters straight into filters; a NUL there reaches PostgreSQL, which refuses it (500).
        # In a URL it can only come percent-encoded (form and JSON fields are checked by their serializers and forms).
        query = request.META.get("QUERY_STRING", "")
        return "%00" in query or "\x00" in query

    @staticmethod
    def _body_over_limit(request) -> bool:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # File uploads have their own limits (FILE_UPLOAD_MAX_MEMORY_SIZE spills them to disk).
        if limit is None or request.content_type == "multipart/form-data":
            return False
        try:
            return int(request.META.get("CONTENT_LENGTH") or 0) > limit
        except ValueError:
            return False
