"""Request guards that run before any view, so no app has to repeat them."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _

from marketplace.errors import is_api, json_error

# No URL of ours contains a control character, and PostgreSQL refuses NUL in any text it is asked to compare.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class RequestGuardMiddleware:
    """A path with a control character is a 404 before it reaches a view (``/api/v1/payments/ab%00cd/`` would
    otherwise be a ValueError in the database driver). An API request announcing a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE is refused with a JSON 413 before anything reads it; bodies without a length are
    bounded by the parsers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL_CHARACTERS.search(request.path):
            if is_api(request):
                return json_error(_("Not found."), "not_found", 404)
            raise Http404(_("Not found."))
        if is_api(request) and self._body_over_limit(request):
            return json_error(_("The request body is too large."), "request_too_large", 413)
        return self.get_response(request)

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
