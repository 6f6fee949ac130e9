"""Storefront pages: home, category listing, search, product page, store page. Reads only (shops.selectors).

The expensive parts (result grids, the product body, the home sections) are rendered once into the cache, keyed by
the catalog version (bumped by every catalog write) and the request's parameters, and expire after a few seconds;
per-user bits (CSRF token, account menu) are rendered around them on every request. See shops/caching.py.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

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


def cached_fragment(key: str, build, ttl: int = caching.FRAGMENT_TTL) -> str:
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, ttl)
    return html


def home(request):
    key = caching.fragment_key("home", get_language(), timezone.localdate())
    body = cached_fragment(key, lambda: render_to_string("storefront/_home_body.html", selectors.home_sections()))
    return render(request, "storefront/home.html", {"body": body})


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
    return render(request, template, {
        "filters": filters, "results": results, "sort_choices": sorts, "brands": Brand.choices,
        "verticals": selectors.verticals(), "category": category,
        "category_path": selectors.category_path(category["id"]) if category else [], "store": store,
        **(extra or {}),
    })  # fmt: skip


def category_page(request, slug: str):
    category = selectors.category_by_slug(slug)
    if category is None:
        raise Http404
    return _listing(request, "storefront/category.html", category=category)


def search_page(request):
    return _listing(request, "storefront/search.html")


def store_page(request, slug: str):
    store = selectors.store_by_slug(slug)
    if store is None:
        raise Http404
    return _listing(request, "storefront/store.html", store=store, extra={"closure": store.active_closure()})


def product_page(request, pk: int):
    key = caching.fragment_key("product", get_language(), timezone.localdate(), pk)
    cached = cache.get(key)
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
    return render(request, "storefront/product.html", cached)
