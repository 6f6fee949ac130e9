"""Load at server start what Django and the libraries otherwise load on the first request that needs it, so the
first search, product page and API call of a server process answer like the hundredth (docs/PERFORMANCE.md,
"First requests").

Called by the server entry points (marketplace.asgi, marketplace.wsgi) in every server process, never from an
AppConfig.ready(): tests and manage.py commands do not pay for it. WARM_UP=0 turns it off.

Nothing here touches the database or the cache: a server may start before PostgreSQL or Redis answer.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import logging
import os
import time

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


def warm() -> float:
    """Warm this process; returns the seconds it took. Every step is best effort: a failure is logged, never
    raised (a server that starts a little colder is better than one that does not start)."""
    if os.environ.get("WARM_UP", "1") == "0":
        return 0.0
    started = time.perf_counter()
    for step in (_search_tokenizer, _modules, _urls, _translations, _templates, _api_settings, _freeze_heap):
        try:
            step()
        except Exception:
            log.exception("warm-up step %s failed", step.__name__)
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
