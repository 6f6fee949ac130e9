"""The product page's reviews section, rendered once per product, filter, page and language.

A product with a thousand reviews costs its counts, its average and a page of reviews with their photos on every
render; shoppers open the section far more often than reviews change. The rendered section is kept under a
per-product version that every change of a review of the product (posted, followed up, replied to, hidden or
shown) replaces after its commit, and under the catalog version, so a withdrawn product or closed store is not
served from here either. SECTION_SECONDS bounds what a change outside those (an account renamed) can leave.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction

from shops.caching import catalog_version

SECTION_SECONDS = 600
MAX_PAGE_DIGITS = 6


def _version_key(product_id: int) -> str:
    return f"reviews:section:version:{product_id}"


def section_key(product_id: int, show: str, page: str | None, language: str) -> str:
    version = cache.get(_version_key(product_id))
    if version is None:
        version = uuid.uuid4().hex[:12]
        if not cache.add(_version_key(product_id), version, None):
            version = cache.get(_version_key(product_id)) or version
    page = page if page and page.isdigit() and len(page) <= MAX_PAGE_DIGITS else "1"
    return f"reviews:section:{product_id}:{catalog_version()}:{version}:{show or 'all'}:{page}:{language}"


def product_reviews_changed(product_id: int) -> None:
    """After the current transaction commits (at once outside one), the product's sections are rendered again."""
    transaction.on_commit(lambda: cache.delete(_version_key(product_id)))
