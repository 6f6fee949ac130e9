"""Shoppers never see Django's debug 404: with DEBUG on (the dev server, the demo) a page that is not found still
gets the styled 404.html that production serves. API answers (JSON) and every other status are left alone."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string


class StyledNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not request.path.startswith("/api/")
            and response.get("Content-Type", "").startswith("text/html")
        ):
            response.content = render_to_string("404.html", request=request).encode()
        return response
