import pytest
from django.core.cache import cache

from shops import caching


@pytest.fixture(autouse=True)
def fresh_catalog_caches():
    """Each test starts with no cached category tree, hidden-store list or storefront fragments of another test
    (the test database is rolled back between tests, the Redis cache is not)."""
    cache.delete_many(caching.all_keys())
    yield
    cache.delete_many(caching.all_keys())
