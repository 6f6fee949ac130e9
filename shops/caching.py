"""Cache keys of the catalog and their invalidation, in one place.

- the category tree (rebuilt when a category changes),
- the ids of stores that are not open (their products are hidden; tiny, read on every listing),
- a catalog version bumped by every catalog write in shops.services; rendered storefront fragments are keyed by
  it, so a merchant's edit shows at once;
- rendered storefront pages and fragments (shops.views.page_cache), in Redis and for LOCAL_PAGE_SECONDS in each
  web process. Orders move stock without bumping the catalog version: a product's page is dropped when its stock
  moves (forget_products, called by shops.stock after the commit), so the canonical product page can live for
  PRODUCT_PAGE_TTL; other pages (listings show sold-out badges) expire after FRAGMENT_TTL. Buying re-checks stock
  and purchasability on the server anyway.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import threading
import time
from collections.abc import Iterable

from cachetools import TTLCache
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

CATEGORY_TREE_KEY = "shops:category-tree:v1"
HIDDEN_STORES_KEY = "shops:store-directory:v2"
CATALOG_VERSION_KEY = "shops:catalog-version:v1"
FRAGMENT_TTL = 30
PRODUCT_PAGE_TTL = 600  # a backstop: product pages are dropped when their stock moves
LOCAL_PAGE_SECONDS = 10.0
LOCAL_PAGE_LIMIT = 512
# Each web process remembers the catalog version this long before asking Redis again: another process's write
# shows here within a second, and a page served from cache costs one Redis round trip instead of two.
LOCAL_VERSION_SECONDS = 1.0
_local_version: dict[str, tuple[float, str]] = {}


_afresh: contextvars.ContextVar[bool] = contextvars.ContextVar("shops_caching_afresh", default=False)


@contextlib.contextmanager
def rendered_afresh():
    """Inside, storefront pages and fragments are rendered instead of read from a cache (and still stored): a
    server's warm-up renders the main pages once so that what their rendering loads and compiles in the process is
    ready for the first shopper, even when Redis already holds the pages (marketplace.warmup)."""
    token = _afresh.set(True)
    try:
        yield
    finally:
        _afresh.reset(token)


def afresh() -> bool:
    return _afresh.get()


def forget_category_tree() -> None:
    _local_version.clear()
    cache.delete_many([CATEGORY_TREE_KEY, CATALOG_VERSION_KEY])


def forget_hidden_stores() -> None:
    _local_version.clear()
    cache.delete_many([HIDDEN_STORES_KEY, CATALOG_VERSION_KEY])


def bump_catalog() -> None:
    """Every cached storefront fragment becomes stale (they are keyed by the version)."""
    _local_version.clear()
    cache.delete(CATALOG_VERSION_KEY)


def catalog_version() -> str:
    remembered = _local_version.get(CATALOG_VERSION_KEY)
    if remembered and time.monotonic() - remembered[0] < LOCAL_VERSION_SECONDS:
        return remembered[1]
    version = cache.get(CATALOG_VERSION_KEY)
    if version is None:
        import uuid

        version = uuid.uuid4().hex[:12]
        if not cache.add(CATALOG_VERSION_KEY, version, None):
            version = cache.get(CATALOG_VERSION_KEY) or version
    _local_version[CATALOG_VERSION_KEY] = (time.monotonic(), version)
    return version


def fragment_key(kind: str, *parts) -> str:
    raw = "|".join(str(part) for part in parts)
    return f"shops:frag:{kind}:{catalog_version()}:{hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()}"


def page_key(language: str, full_path: str) -> str:
    return fragment_key("page", language, timezone.localdate(), full_path)


def product_key(language: str, product_id: int) -> str:
    return fragment_key("product", language, timezone.localdate(), product_id)


def forget_products(product_ids: Iterable[int]) -> None:
    """Drop the rendered pages of these products (every language): their stock moved. Other web processes may
    still serve their own copy for up to LOCAL_PAGE_SECONDS."""
    keys = [
        key
        for language, _name in settings.LANGUAGES
        for product_id in product_ids
        for key in (product_key(language, product_id), page_key(language, reverse("shops:product", args=[product_id])))
    ]
    if not keys:
        return
    for key in keys:
        local_pages.pop(key)
    cache.delete_many(keys)


class LocalCache:
    """A bounded, expiring, thread-safe map kept in this process (HTTP is served by a thread pool)."""

    def __init__(self, maxsize: int, ttl: float, timer=time.monotonic):
        self._entries = TTLCache(maxsize=maxsize, ttl=ttl, timer=timer)
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            return self._entries.get(key)

    def set(self, key, value) -> None:
        with self._lock:
            self._entries[key] = value

    def pop(self, key) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# Hot pages and fragments, saving the Redis round trip (keys carry the catalog version).
local_pages = LocalCache(LOCAL_PAGE_LIMIT, LOCAL_PAGE_SECONDS)
# The small directories every page reads (category tree, stores, today's closures, the promise catalogue, a store's
# outlets): kept apart from the pages so a run of never-seen pages cannot push them out.
local_directories = LocalCache(256, LOCAL_PAGE_SECONDS)


def per_version(name: str, build, *parts, shared: bool = True, ttl: int = FRAGMENT_TTL):
    """`build()` once per catalog version in this process (and, when `shared`, in Redis for the other processes).
    Every write that could change it bumps the version, so it is as fresh as the pages built from it. A None that
    `build` returns is remembered too (kept boxed)."""
    key = fragment_key(name, *parts)
    boxed = local_directories.get(key)
    if boxed is None:
        boxed = cache.get(key) if shared else None
        if boxed is None:
            boxed = (build(),)
            if shared:
                cache.set(key, boxed, ttl)
        local_directories.set(key, boxed)
    return boxed[0]


def all_keys() -> list[str]:
    return [CATEGORY_TREE_KEY, HIDDEN_STORES_KEY, CATALOG_VERSION_KEY]


def after_write(forget) -> None:
    """Invalidate now (this process sees its own write at once) and again after commit (so a concurrent reader
    that cached the old rows between the two is corrected)."""
    from django.db import transaction

    forget()
    transaction.on_commit(forget)


def reset() -> None:
    """Forget everything cached about the catalog (tests; after a bulk load)."""
    _local_version.clear()
    local_directories.clear()
    cache.delete_many(all_keys())
