"""Storefront pages: home, category listing, search, product page, store page. Reads only (shops.selectors).

Two cache layers, both keyed by the catalog version (bumped by every catalog write) and short-lived (shops/caching.py):
- fragments: the expensive parts (result grids, the product body, the home sections) are rendered once;
- whole pages, shared by every visitor: nothing on a storefront page depends on the visitor except the CSRF token
  and the account menu in the top bar, so the page is cached with placeholders for both and each request puts in
  its own (a small template). A visitor with a flash message pending gets a fully rendered page.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from marketplace import navigation
from shops import caching, selectors
from shops.models import Brand

PAGE_SIZE = 24
SORT_CHOICES = [
    ("recommended", _("Recommended")),
    ("price_asc", _("Price: low to high")),
    ("price_desc", _("Price: high to low")),
    ("newest", _("Newest")),
    ("sales", _("Best selling")),
]


CSRF_PLACEHOLDER = "__shops_csrf_placeholder__"
ACCOUNT_PLACEHOLDER = "__shops_account_placeholder__"
# Hot pages and fragments are also kept in this process for a few seconds, saving the Redis round trip. Keys carry
# the catalog version, so a catalog write still shows within caching.LOCAL_VERSION_SECONDS.
LOCAL_PAGE_SECONDS = 10.0
LOCAL_PAGE_LIMIT = 512
_local_pages: OrderedDict[str, tuple[float, object]] = OrderedDict()


def _local_page(key: str):
    found = _local_pages.get(key)
    if found is None or found[0] < time.monotonic():
        return None
    return found[1]


def _remember_page(key: str, html) -> None:
    _local_pages[key] = (time.monotonic() + LOCAL_PAGE_SECONDS, html)
    _local_pages.move_to_end(key)
    while len(_local_pages) > LOCAL_PAGE_LIMIT:
        _local_pages.popitem(last=False)


def _has_pending_messages(request) -> bool:
    # The default (fallback) message storage always leaves a cookie, even when the messages overflow to the session.
    return "messages" in request.COOKIES


def _account_menu(request, csrf_token: str) -> str:
    user = request.user
    return render_to_string("_account.html", {
        "user": user, "request": request, "csrf_token": csrf_token,
        "ops_menu": navigation.menu("ops") if user.is_authenticated and user.is_staff else [],
    })  # fmt: skip


def shared_page_cache(view):
    """Serve GET pages from one cache shared by every visitor, signed in or not, punching in each visitor's own
    parts: the CSRF token and the account menu. A visitor with a message to show gets a fully rendered page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "GET" or request.htmx or _has_pending_messages(request):
            return view(request, *args, **kwargs)
        key = caching.fragment_key("page", get_language(), timezone.localdate(), request.get_full_path())
        html = _local_page(key) or cache.get(key)
        if html is None:
            request.render_shared_page = True
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
                return response  # an error, or the view started something visitor-specific: never share it
            html = response.content.decode()
            cache.set(key, html, caching.FRAGMENT_TTL)
        _remember_page(key, html)
        token = get_token(request)
        personal = html.replace(ACCOUNT_PLACEHOLDER, _account_menu(request, token), 1)
        response = HttpResponse(personal.replace(CSRF_PLACEHOLDER, token))
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped


def render_page(request, template: str, context: dict):
    if getattr(request, "render_shared_page", False):
        context = {**context, "csrf_token": CSRF_PLACEHOLDER, "account_placeholder": ACCOUNT_PLACEHOLDER}
    return render(request, template, context)


def cached_fragment(key: str, build, ttl: int = caching.FRAGMENT_TTL) -> str:
    html = _local_page(key) or cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, ttl)
    _remember_page(key, html)
    return html


@require_safe
@shared_page_cache
def home(request):
    key = caching.fragment_key("home", get_language(), timezone.localdate())
    body = cached_fragment(key, lambda: render_to_string("storefront/_home_body.html", selectors.home_sections()))
    return render_page(request, "storefront/home.html", {"body": body})


def _listing(request, template: str, *, category: dict | None = None, store=None, extra: dict | None = None):
    filters = selectors.CatalogFilters.from_params(
        request.GET, category=category["id"] if category else None, store=store.pk if store else None
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("partial", None)
    query_string = query.urlencode()

    def build_results() -> str:
        page = selectors.catalog_page(filters, selectors.page_number(request.GET.get("page")), PAGE_SIZE)
        return render_to_string("storefront/_results.html", {
            "page": page, "products": page.object_list, "query_string": query_string, "count_capped": page.capped,
        })  # fmt: skip

    key = caching.fragment_key(
        "list", get_language(), timezone.localdate(), template, category and category["id"], store and store.pk,
        query_string, request.GET.get("page", ""),
    )  # fmt: skip
    results = cached_fragment(key, build_results)
    if request.htmx and request.GET.get("partial") == "results":
        return HttpResponse(results)
    sorts = ([("relevance", _("Relevance"))] if filters.q else []) + SORT_CHOICES
    return render_page(request, template, {
        "filters": filters, "results": results, "sort_choices": sorts, "brands": Brand.choices,
        "verticals": selectors.verticals(), "category": category,
        "category_path": selectors.category_path(category["id"]) if category else [], "store": store,
        **(extra or {}),
    })  # fmt: skip


@require_safe
@shared_page_cache
def category_page(request, slug: str):
    category = selectors.category_by_slug(slug)
    if category is None:
        raise Http404
    return _listing(request, "storefront/category.html", category=category)


@require_safe
@shared_page_cache
def search_page(request):
    return _listing(request, "storefront/search.html")


@require_safe
@shared_page_cache
def store_page(request, slug: str):
    store = selectors.store_by_slug(slug)
    if store is None:
        raise Http404
    return _listing(request, "storefront/store.html", store=store, extra={"closure": store.active_closure()})


@require_safe
@shared_page_cache
def product_page(request, pk: int):
    key = caching.fragment_key("product", get_language(), timezone.localdate(), pk)
    cached = _local_page(key) or cache.get(key)
    if cached is None:
        detail = selectors.product_detail(pk)
        if detail is None:
            raise Http404
        cached = {
            "title": detail.product.title,
            "body": render_to_string("storefront/_product_body.html", {
                "detail": detail, "product": detail.product, "store": detail.product.store,
                "category_path": selectors.category_path(detail.product.category_id),
            }),
        }  # fmt: skip
        cache.set(key, cached, caching.FRAGMENT_TTL)
    _remember_page(key, cached)
    return render_page(request, "storefront/product.html", cached)
