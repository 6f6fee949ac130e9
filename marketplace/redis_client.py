"""One Redis client (and connection pool) per process and URL for the project's own Redis commands: flash-sale
admission, footprints, analytics events, deferred writes, worker heartbeats. The cache and the channel layer keep
their own pools; the live room's client decodes replies and keeps its own too.

Short timeouts: every caller treats Redis being slow or down as a failure it can answer (refuse, skip, report),
not as a reason to hang a request.
"""

import asyncio

import redis
import redis.asyncio
from django.conf import settings

_clients: dict[str, redis.Redis] = {}
_async_clients: dict[tuple[str, int], redis.asyncio.Redis] = {}


def shared(url: str | None = None) -> redis.Redis:
    url = url or settings.REDIS_URL
    client = _clients.get(url)
    if client is None:
        client = _clients[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return client


def shared_async(url: str | None = None) -> redis.asyncio.Redis:
    """The asyncio client of the running event loop (a server process has one; its connections belong to it)."""
    url = url or settings.REDIS_URL
    loop_key = (url, id(asyncio.get_running_loop()))
    client = _async_clients.get(loop_key)
    if client is None:
        client = _async_clients[loop_key] = redis.asyncio.Redis.from_url(
            url, socket_timeout=2, socket_connect_timeout=2
        )
    return client
