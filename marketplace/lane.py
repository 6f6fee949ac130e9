"""A fast lane: an ASGI app that answers one hot API request in the event loop, before Django, or hands it on.

A flash sale's buyers all arrive in the same second and most are refused; through the usual path each pays the
WSGI thread pool's hops and the whole middleware stack, as much again as the work itself. A lane
(orders.flash_lane) answers what it can from Redis alone and hands anything else, with its body replayed and
nothing taken, to the Django application, which gives the same answers. What Django's middleware would have
done for such an answer is done here with Django's own code: the request is a ``WSGIRequest`` (host validation,
HTTPS, cookies, content type, language from the cookie or Accept-Language), and the security headers are the
ones the security, clickjacking and CSP middlewares set, computed by them once per process.
"""

from __future__ import annotations

import io
import sys

from a2wsgi.wsgi import build_environ
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse, JsonResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

Scope = dict


async def read_body(receive, limit: int) -> tuple[list[dict], bool]:
    """The request's body messages, and whether the whole body is among them (False: over ``limit`` bytes, or the
    client went away; the lane hands such a request on)."""
    messages, size = [], 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, False
        size += len(message.get("body", b""))
        if size > limit:
            return messages, False
        if not message.get("more_body", False):
            return messages, True


def replaying(messages: list[dict], receive):
    """A ``receive`` that gives the messages already read, then the client's own."""
    pending = list(messages)

    async def replay() -> dict:
        return pending.pop(0) if pending else await receive()

    return replay


def body_of(messages: list[dict]) -> bytes:
    return b"".join(message.get("body", b"") for message in messages)


def django_request(scope: Scope, body: bytes) -> WSGIRequest | None:
    """The request as Django's WSGI handler would see it; None when Django would refuse its host (a 400)."""
    request = WSGIRequest(build_environ(scope, io.BytesIO(body)) | {"wsgi.errors": sys.stderr})
    try:
        request.get_host()
    except DisallowedHost:
        return None
    return request


def needs_https_redirect(request: WSGIRequest) -> bool:
    return settings.SECURE_SSL_REDIRECT and not request.is_secure()


def language_of(request: WSGIRequest) -> str:
    """The answer's language as LocaleMiddleware picks it for a path without a language prefix."""
    return translation.get_language_from_request(request)


_security_headers: dict[bool, list[tuple[str, str]]] = {}


def security_headers(request: WSGIRequest) -> list[tuple[str, str]]:
    """The headers the security, clickjacking and CSP middlewares put on a JSON answer (HSTS only over HTTPS)."""
    secure = request.is_secure()
    headers = _security_headers.get(secure)
    if headers is None:
        probe = HttpResponse(content_type="application/json")
        for middleware in (SecurityMiddleware, XFrameOptionsMiddleware, CSPMiddleware):
            probe = middleware(HttpResponse).process_response(request, probe)  # get_response is never called
        headers = _security_headers[secure] = [item for item in probe.items() if item[0] != "Content-Type"]
    return headers


async def send_json(send, request: WSGIRequest, language: str, body: dict, status: int) -> None:
    """Answer as Django would have: DRF's JSON, the language's Vary and Content-Language, the security headers."""
    response = JsonResponse(body, status=status)
    patch_vary_headers(response, ("Accept-Language",))
    response.headers.setdefault("Content-Language", language)
    response["Content-Length"] = str(len(response.content))
    headers = list(response.items()) + security_headers(request)
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers],
    })  # fmt: skip
    await send({"type": "http.response.body", "body": response.content})
