"""The hot path's Redis list pushes of one request, sent together: one round trip per request, however many apps
note something (a product page is both an analytics event for insight and a footprint for customers).

Recorders call ``push``. Inside ``collected()`` (insight's EventMiddleware wraps every request in it) pushes wait
and leave in one pipeline when the block ends; outside it (workers, shells, services called directly) each push is
sent at once. Never raises: a page must not break because Redis is down (the writes are then lost, as before).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

import redis

from marketplace.redis_client import shared as client

# (key, value, left): LPUSH when left, else RPUSH.
Write = tuple[str, str, bool]

_pending: contextvars.ContextVar[list[Write] | None] = contextvars.ContextVar("redis_writes_pending", default=None)


def push(key: str, value: str, *, left: bool = False) -> None:
    pending = _pending.get()
    if pending is not None:
        pending.append((key, value, left))
    else:
        send([(key, value, left)])


@contextlib.contextmanager
def collected() -> Iterator[list[Write]]:
    pending: list[Write] = []
    token = _pending.set(pending)
    try:
        yield pending
    finally:
        _pending.reset(token)
        send(pending)


def send(writes: list[Write]) -> None:
    if not writes:
        return
    with contextlib.suppress(redis.RedisError):
        if len(writes) == 1:
            key, value, left = writes[0]
            (client().lpush if left else client().rpush)(key, value)
            return
        pipe = client().pipeline(transaction=False)
        for key, value, left in writes:
            (pipe.lpush if left else pipe.rpush)(key, value)
        pipe.execute()
