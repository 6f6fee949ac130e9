import pytest

from shops import caching


@pytest.fixture(autouse=True)
def fresh_catalog_caches():
    """Each test starts with no cached category tree, hidden-store list or storefront fragments of another test
    (the test database is rolled back between tests, the Redis cache is not)."""
    caching.reset()
    yield
    caching.reset()
