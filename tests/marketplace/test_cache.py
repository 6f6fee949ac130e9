"""The Redis cache backend shares one pool and client per server across cache objects (requests)."""

from django.conf import settings
from django.core.cache import caches

from marketplace.cache import SharedPoolRedisCache


def test_cache_objects_share_their_redis_client_and_still_work():
    params = {**settings.CACHES["default"]}
    first = SharedPoolRedisCache(params["LOCATION"], params)
    second = SharedPoolRedisCache(params["LOCATION"], params)
    assert first._cache.get_client() is second._cache.get_client()
    first.set("shared-pool-check", {"n": 1}, 30)
    assert second.get("shared-pool-check") == {"n": 1}
    second.delete("shared-pool-check")
    assert caches["default"].get("shared-pool-check") is None
