"""Error pages: an API path always answers JSON, whatever failed (a view, a middleware, Django itself); every other
path gets the project's styled pages (templates 400/403/404/500, and 403_csrf for a form whose CSRF token no longer
matches, e.g. one opened before logging in). Shoppers never see Django's debug 404: with DEBUG on a page that is not
found still gets the styled 404.html (StyledNotFoundMiddleware)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseForbidden, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

from marketplace.http import local_url

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(message: str, code: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": message, "code": code}, status=status)


def api_error_for_status(status: int) -> JsonResponse:
    """The JSON answer for an API error by its status: the handlers below, and the pages Django itself makes on API
    paths (with DEBUG on: the technical 404, 400 and 500 pages; a 405 from a plain view)."""
    if status == 403:
        return json_error(_("You do not have permission to do this."), "permission_denied", 403)
    if status == 404:
        return json_error(_("Not found."), "not_found", 404)
    if status >= 500:
        return json_error(_("Something went wrong on our side; please try again."), "server_error", status)
    return json_error(_("The request could not be understood."), "bad_request", status)


def bad_request(request, exception=None):
    if is_api(request):
        return api_error_for_status(400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api(request):
        return api_error_for_status(403)
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form posted with a missing or stale token (Django's own page is a bare 403)."""
    if is_api(request):
        return json_error(_("The form expired; reload the page and try again."), "csrf_failed", 403)
    back = local_url(request, request.headers.get("Referer", ""))
    return HttpResponseForbidden(render_to_string("403_csrf.html", {"back": back}, request=request))


def page_not_found(request, exception=None):
    if is_api(request):
        return api_error_for_status(404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return api_error_for_status(500)
    return defaults.server_error(request)


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
