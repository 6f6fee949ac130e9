"""Cache keys of the catalog and their invalidation, in one place.

- the category tree (rebuilt when a category changes),
- the ids of stores that are not open (their products are hidden; tiny, read on every listing),
- a catalog version bumped by every catalog write in shops.services; rendered storefront fragments are keyed by
  it, so a merchant's edit shows at once. Stock decrements by orders do not bump it: fragments also expire after
  FRAGMENT_TTL seconds, and buying re-checks stock and purchasability on the server anyway.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

CATEGORY_TREE_KEY = "shops:category-tree:v1"
HIDDEN_STORES_KEY = "shops:store-directory:v2"
CATALOG_VERSION_KEY = "shops:catalog-version:v1"
FRAGMENT_TTL = 30
# Each web process remembers the catalog version this long before asking Redis again: another process's write
# shows here within a second, and a page served from cache costs one Redis round trip instead of two.
LOCAL_VERSION_SECONDS = 1.0
_local_version: dict[str, tuple[float, str]] = {}


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
    cache.delete_many(all_keys())
