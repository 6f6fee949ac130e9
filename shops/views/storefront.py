"""Storefront pages: home, category listing, search, product page, store page. Reads only (shops.selectors); pages
and their expensive fragments are cached (shops.views.page_cache)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from shops import caching, selectors, signals
from shops.models import Brand, Product
from shops.views import page_cache
from shops.views.page_cache import render_page, shared_page_cache

PAGE_SIZE = 24
SORT_CHOICES = [
    ("recommended", _("Recommended")),
    ("price_asc", _("Price: low to high")),
    ("price_desc", _("Price: high to low")),
    ("newest", _("Newest")),
    ("sales", _("Best selling")),
]


@require_safe
@shared_page_cache
def home(request):
    key = caching.fragment_key("home", get_language(), timezone.localdate())
    body = page_cache.cached(key, lambda: render_to_string("storefront/_home_body.html", selectors.home_sections()))
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
    results = page_cache.cached(key, build_results)
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
def product_page(request, pk: int):
    response = _product_page(request, pk)
    if response.status_code == 200 and settings.SESSION_COOKIE_NAME in request.COOKIES:
        # Only a visitor with a session can be signed in; listeners keep it cheap (customers: one Redis push).
        signals.product_viewed.send(sender=Product, request=request, product_id=pk)
    return response


@shared_page_cache(ttl=caching.PRODUCT_PAGE_TTL)
def _product_page(request, pk: int):
    def build() -> dict:
        detail = selectors.product_detail(pk)
        if detail is None:
            raise Http404
        store = detail.product.store
        return {
            "title": detail.product.title,
            "body": render_to_string("storefront/_product_body.html", {
                "detail": detail, "product": detail.product, "store": store,
                "category_path": selectors.category_path(detail.product.category_id),
                "store_promises": _store_promises(store, detail.service),
                "store_card": _store_card(store).replace(PK_TOKEN, str(pk)),
            }),
        }  # fmt: skip

    if getattr(request, "render_shared_page", False) and not request.META.get("QUERY_STRING"):
        # The canonical page is cached whole, as long as its body would be: caching the body apart would cost two
        # more round trips to Redis on a never-seen product for nothing.
        content = build()
        return HttpResponse(_product_frame(request).fill(pk, content["title"], content["body"]))
    key = caching.product_key(get_language(), pk)
    content = page_cache.cached(key, build, caching.PRODUCT_PAGE_TTL)
    return render_page(request, "storefront/product.html", {**content, "product_pk": pk})


def _store_promises(store, service: dict | None) -> str:
    """The store's service card as a product page shows it, rendered once per store, card and language for every
    product that shows the same (per catalog version, like the store header it is read from). The DSR is in the
    store card of the product body."""
    return caching.per_version(
        "store-service",
        lambda: render_to_string("storefront/_store_promises.html", {"store": store, "service": service}),
        get_language(), store.pk, sorted((service or {}).items()),
    )  # fmt: skip


def _store_card(store) -> str:
    """The store card under the product (name, DSR, contact, follow), the same on every product page of the store
    but for the product's id (PK_TOKEN): rendered once per store and language, per catalog version."""
    return caching.per_version(
        "store-card",
        lambda: render_to_string("storefront/_store_card.html", {"store": store, "product": SimpleNamespace(pk=PK_TOKEN)}),
        get_language(), store.pk,
    )  # fmt: skip


PK_TOKEN = "__shops_product_pk__"
TITLE_TOKEN = "__shops_product_title__"
BODY_TOKEN = "__shops_product_body__"


@dataclass(frozen=True)
class ProductFrame:
    """The product page around its body (top bar, navigation, footer, favourite form), rendered once per language and
    catalog version for every product: a never-seen product renders only its body. Holds the page's shared
    placeholders (CSRF token, account menu) for shared_page_cache to fill per visitor."""

    parts: tuple[str, ...]  # the page cut at PK_TOKEN, TITLE_TOKEN and BODY_TOKEN
    tokens: tuple[str, ...]  # which token sat between parts[n] and parts[n + 1]

    @classmethod
    def cut(cls, html: str) -> ProductFrame:
        pieces = re.split(f"({PK_TOKEN}|{TITLE_TOKEN}|{BODY_TOKEN})", html)
        return cls(tuple(pieces[0::2]), tuple(pieces[1::2]))

    def fill(self, pk: int, title: str, body: str) -> str:
        values = {PK_TOKEN: str(pk), TITLE_TOKEN: conditional_escape(title), BODY_TOKEN: body}
        out = [self.parts[0]]
        for token, part in zip(self.tokens, self.parts[1:], strict=True):
            out += (values[token], part)
        return "".join(out)


def _product_frame(request) -> ProductFrame:
    def build() -> ProductFrame:
        # The frame's only per-product parts are the product's path and id, its title and its body: render it for a
        # stand-in product whose path and id are tokens (a product path needs no escaping).
        frame_request = copy.copy(request)
        frame_request.path = frame_request.path_info = f"/p/{PK_TOKEN}/"
        response = render_page(frame_request, "storefront/product.html", {
            "title": TITLE_TOKEN, "body": BODY_TOKEN, "product_pk": PK_TOKEN,
        })  # fmt: skip
        return ProductFrame.cut(response.content.decode())

    return caching.per_version("product-frame", build, get_language(), shared=False)
