"""Storefront pages: home, category listing, search, product page, store page. Reads only (shops.selectors)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from shops import selectors
from shops.models import Brand

PAGE_SIZE = 24
SORT_CHOICES = [
    ("recommended", _("Recommended")),
    ("price_asc", _("Price: low to high")),
    ("price_desc", _("Price: high to low")),
    ("newest", _("Newest")),
    ("sales", _("Best selling")),
]


def home(request):
    return render(request, "storefront/home.html", selectors.home_sections())


def _listing(request, template: str, *, category: dict | None = None, store=None, extra: dict | None = None):
    filters = selectors.CatalogFilters.from_params(
        request.GET, category=category["id"] if category else None, store=store.pk if store else None
    )
    paginator = Paginator(selectors.catalog(filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.annotate_closures(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    sorts = ([("relevance", _("Relevance"))] if filters.q else []) + SORT_CHOICES
    context = {
        "filters": filters,
        "page": page,
        "products": page.object_list,
        "query_string": query.urlencode(),
        "sort_choices": sorts,
        "brands": Brand.choices,
        "verticals": selectors.verticals(),
        "category": category,
        "category_path": selectors.category_path(category["id"]) if category else [],
        "store": store,
        **(extra or {}),
    }
    if request.htmx and request.GET.get("partial") == "results":
        return render(request, "storefront/_results.html", context)
    return render(request, template, context)


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
    closure = store.active_closure()
    return _listing(request, "storefront/store.html", store=store, extra={"closure": closure})


def product_page(request, pk: int):
    detail = selectors.product_detail(pk)
    if detail is None:
        raise Http404
    return render(
        request,
        "storefront/product.html",
        {
            "detail": detail,
            "product": detail.product,
            "store": detail.product.store,
            "category_path": selectors.category_path(detail.product.category_id),
        },
    )
