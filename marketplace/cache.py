"""Django's Redis cache backend, with its connection pools and clients shared by the whole process.

Django keeps cache objects in a context-local, and under the WSGI thread pool (marketplace.asgi) each request
runs in a fresh context: every request built a new cache object, a new connection pool and so a new TCP
connection to Redis (several milliseconds per signed-in request). Django also builds a new ``redis.Redis`` for
every operation, copying the library's ~170 response callbacks each time. Pools and clients are thread-safe and
fork-aware (a pool re-creates its connections in a child process), so one of each per server is kept instead.
"""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_shared: dict[tuple[str, str], tuple[object, object]] = {}
_lock = threading.Lock()


class SharedPoolRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        server = self._servers[self._get_connection_pool_index(write)]
        shared_key = (server, repr(sorted(self._pool_options.items(), key=lambda item: item[0])))
        shared = _shared.get(shared_key)
        if shared is None:
            with _lock:
                shared = _shared.get(shared_key)
                if shared is None:
                    pool = self._pool_class.from_url(server, **self._pool_options)
                    shared = _shared[shared_key] = (pool, self._client(connection_pool=pool))
        return shared[1]


class SharedPoolRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient
