"""Load at server start what Django and the libraries otherwise load on the first request that needs it, so the
first search, product page and API call of a server process answer like the hundredth (docs/PERFORMANCE.md,
"First requests").

Called by the server entry points (marketplace.asgi, marketplace.wsgi) in every server process, never from an
AppConfig.ready(): tests and manage.py commands do not pay for it. WARM_UP=0 turns it off, WARM_UP_REQUESTS=0 only
its first requests (the test suite does).

The steps load code and data that need no service. The last one (``first_requests``) then serves a search, a
product page and their API calls to the process itself, in both languages, so what the first real ones would load
(the product frame, store headers and promises, the category tree, compiled reads, the menus, a serving thread's
database connection and its PostgreSQL backend's catalogue caches) is ready before a shopper comes. It runs on a
serving thread, with a deadline, and is skipped when PostgreSQL or Redis do not answer: a server may start before
they do. The requests carry the tracking opt-out cookie, so no shopper analytics are recorded.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import gc
import importlib
import io
import logging
import os
import sys
import threading
import time
from urllib.parse import quote

from django.conf import settings
from django.urls import Resolver404

log = logging.getLogger(__name__)

# The templates of the storefront's main pages and the pieces they include (compiled once by the cached loader).
TEMPLATES = [
    "base.html",
    "_account.html",
    "storefront/home.html",
    "storefront/_home_body.html",
    "storefront/category.html",
    "storefront/search.html",
    "storefront/store.html",
    "storefront/_results.html",
    "storefront/_card.html",
    "storefront/_filters.html",
    "storefront/product.html",
    "storefront/_product_body.html",
    "storefront/_dsr.html",
    "storefront/_service_card.html",
    "insight/_recs_slot.html",
    "404.html",
]
# Paths whose views, URL patterns and converters the resolver imports and compiles on first use.
PATHS = ["/", "/search/", "/p/1/", "/api/v1/products/", "/api/v1/products/1/", "/seller/", "/healthz"]
# Modules imported lazily inside functions on the hot paths.
MODULES = [
    "shops.selectors.promises",
    "rest_framework.renderers",
    "rest_framework.parsers",
    "rest_framework.negotiation",
    "rest_framework.pagination",
    "rest_framework.authentication",
    "rest_framework.permissions",
    "drf_spectacular.openapi",
]
# What first_requests asks for, per language: {product} is a product any visitor may see.
FIRST_REQUESTS = [
    "/search/?q=" + quote("连衣裙"),
    "/search/?q=dress",
    "/p/{product}/",
    "/api/v1/products/?q=" + quote("手机"),
    "/api/v1/products/{product}/",
]
FIRST_REQUESTS_DEADLINE_S = 20.0


def warm(handler=None, executor=None) -> float:
    """Warm this process; returns the seconds it took. ``handler``: the process's WSGI handler, which then serves
    the first requests to itself (on ``executor``'s threads when it runs on a pool). Every step is best effort: a
    failure is logged, never raised (a server that starts a little colder is better than one that does not
    start)."""
    if os.environ.get("WARM_UP", "1") == "0":
        return 0.0
    started = time.perf_counter()
    steps = [_search_tokenizer, _modules, _urls, _translations, _templates, _api_settings]
    if handler is not None and os.environ.get("WARM_UP_REQUESTS", "1") != "0":
        steps.append(lambda: _first_requests_on(handler, executor))
    for step in [*steps, _freeze_heap]:
        try:
            step()
        except Exception:
            log.exception("warm-up step %s failed", getattr(step, "__name__", step))
    seconds = time.perf_counter() - started
    log.info("warmed up in %.2fs", seconds)
    return seconds


def _freeze_heap() -> None:
    """Last: everything loaded so far lives as long as the process. Moved out of the collector's generations, it
    is no longer scanned by every full collection, whose pauses were the tail of a live room's chat fan-out (1,000
    viewers: p95 211-317 ms and max 300-456 ms before, 113-143 ms and 153-262 ms after; docs/PERFORMANCE.md)."""
    gc.collect()
    gc.freeze()


def _search_tokenizer() -> None:
    """jieba's dictionary: 1-4 s on the first search otherwise."""
    from shops import search

    search.query_terms("夏季连衣裙 dress")


def _modules() -> None:
    for name in MODULES:
        importlib.import_module(name)


def _urls() -> None:
    from django.urls import URLResolver, get_resolver, resolve
    from django.utils import translation

    def populate(resolver: URLResolver) -> None:
        # Reversing ({% url %}, redirects) builds each namespace's lookup tables per language on first use: about
        # a second of regex work that the first page rendering links would otherwise pay.
        resolver.reverse_dict  # noqa: B018
        resolver.namespace_dict  # noqa: B018
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                populate(pattern)

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            populate(get_resolver())
    for path in PATHS:
        with contextlib.suppress(Resolver404):
            resolve(path)


def _translations() -> None:
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")


def _templates() -> None:
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.utils import translation

    for name in TEMPLATES:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            log.warning("warm-up: no template %s", name)
    # Date and number formats are loaded per language on first use.
    from django.utils import formats

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            formats.get_format("DATE_FORMAT")
            formats.number_format(1.5, 2)


def _api_settings() -> None:
    from rest_framework.settings import api_settings

    for name in (
        "DEFAULT_RENDERER_CLASSES",
        "DEFAULT_PARSER_CLASSES",
        "DEFAULT_AUTHENTICATION_CLASSES",
        "DEFAULT_PERMISSION_CLASSES",
        "DEFAULT_CONTENT_NEGOTIATION_CLASS",
        "DEFAULT_PAGINATION_CLASS",
        "DEFAULT_SCHEMA_CLASS",
        "DEFAULT_THROTTLE_CLASSES",
    ):
        getattr(api_settings, name)


def _first_requests_on(handler, executor=None) -> None:
    """On a serving thread of ``executor`` (a2wsgi's pool): that thread keeps the database connection it opened, on
    a PostgreSQL backend that has planned the storefront's queries once. Without a pool, on a thread of its own that
    closes its connection at the end. Either way a database that hangs instead of refusing delays the start by
    FIRST_REQUESTS_DEADLINE_S at most."""
    if executor is not None:
        future = executor.submit(_logged_first_requests, handler)
        finished = bool(concurrent.futures.wait([future], timeout=FIRST_REQUESTS_DEADLINE_S).done)
    else:
        thread = threading.Thread(target=_logged_first_requests, args=(handler, True), name="warm-up", daemon=True)
        thread.start()
        thread.join(FIRST_REQUESTS_DEADLINE_S)
        finished = not thread.is_alive()
    if not finished:
        log.warning("warm-up: first requests still running after %.0fs; serving anyway", FIRST_REQUESTS_DEADLINE_S)


def _logged_first_requests(handler, close_connections: bool = False) -> None:
    from django.db import connections

    try:
        first_requests(handler)
    except Exception:
        log.exception("warm-up: first requests failed")
    finally:
        if close_connections:
            connections.close_all()


def first_requests(handler) -> dict[str, int]:
    """Serve FIRST_REQUESTS in every language through ``handler``; path -> status of the last language.
    Nothing when the database or Redis does not answer, or no product is visible yet."""
    from django.utils import translation

    from shops.caching import rendered_afresh

    product = _any_visible_product()
    if product is None:
        return {}
    statuses = {}
    # Each request activates its language on this thread: the thread is left speaking the one it spoke before.
    with rendered_afresh(), translation.override(translation.get_language()):
        # rendered_afresh: another process may have cached these pages; they are rendered here all the same.
        for code, _name in settings.LANGUAGES:
            for template in FIRST_REQUESTS:
                path = template.format(product=product)
                statuses[path] = _serve(handler, path, code)
    return statuses


def _any_visible_product() -> int | None:
    from django.db import DatabaseError
    from redis.exceptions import RedisError

    from marketplace.redis_client import shared
    from shops.selectors.directory import visible_products

    try:
        shared().ping()
        return visible_products().order_by("pk").values_list("pk", flat=True).first()
    except (DatabaseError, RedisError, OSError) as error:
        log.warning("warm-up: first requests skipped (%s)", error.__class__.__name__)
        return None


def _serve(handler, path: str, language: str) -> int:
    from insight.events import OPT_OUT_COOKIE

    route, _sep, query = path.partition("?")
    secure, host = settings.SECURE_SSL_REDIRECT, _host()
    environ = {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": route, "QUERY_STRING": query,
        "SERVER_NAME": host, "SERVER_PORT": "443" if secure else "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": host, "HTTP_ACCEPT_LANGUAGE": language,
        "HTTP_COOKIE": f"{OPT_OUT_COOKIE}=1",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "https" if secure else "http", "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }  # fmt: skip
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split(" ", 1)[0])

    body = handler(environ, start_response)
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    if answer.get("status") != 200:
        log.warning("warm-up: %s answered %s", path, answer.get("status"))
    return answer.get("status", 0)


def _host() -> str:
    """A name this server answers to (ALLOWED_HOSTS), as a request to it would carry."""
    for host in settings.ALLOWED_HOSTS:
        if host != "*":
            return host.lstrip(".") or "localhost"
    return "localhost"
