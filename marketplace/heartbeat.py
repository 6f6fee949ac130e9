"""Workers say they are alive themselves, so /healthz answers from one Redis read instead of asking them.

Asking (``inspect().active_queues()``) waits out its whole timeout for replies that may never come, a second or
more per health check. Instead each worker stamps the time into a sorted set per queue it consumes, every
``INTERVAL_SECONDS``; a worker whose stamp is older than ``FRESH_SECONDS`` is taken for dead (killed, hung, cut
off), and one that shuts down cleanly removes its stamp at once.
"""

import contextlib
import time

import redis
from celery import bootsteps

from marketplace.redis_client import shared as client

INTERVAL_SECONDS = 2.0
FRESH_SECONDS = 3 * INTERVAL_SECONDS
KEY_TTL_SECONDS = 60


def key(queue: str) -> str:
    return f"workers-alive:{queue}"


def stamp(hostname: str, queues: list[str]) -> None:
    now = time.time()
    with client().pipeline(transaction=False) as pipe:
        for queue in queues:
            pipe.zadd(key(queue), {hostname: now})
            pipe.zremrangebyscore(key(queue), "-inf", now - KEY_TTL_SECONDS)
            pipe.expire(key(queue), KEY_TTL_SECONDS)
        pipe.execute()


def forget(hostname: str, queues: list[str], redis_url: str | None = None) -> None:
    with client(redis_url).pipeline(transaction=False) as pipe:
        for queue in queues:
            pipe.zrem(key(queue), hostname)
        pipe.execute()


def forget_exited(hostname_pattern: str, queue: str, redis_url: str) -> None:
    """A supervisor saw its worker die (``make run``): the stamp goes now, not FRESH_SECONDS later, so /healthz says
    down until the restarted worker stamps again. Best effort: Redis being down is what /healthz reports anyway."""
    from celery.utils.nodenames import host_format

    with contextlib.suppress(redis.RedisError):
        forget(host_format(hostname_pattern), [queue], redis_url)


def live_workers(queue: str) -> list[str]:
    """Hostnames of the workers consuming ``queue`` that stamped within FRESH_SECONDS (raises if Redis is down)."""
    names = client().zrangebyscore(key(queue), time.time() - FRESH_SECONDS, "+inf")
    return sorted(name.decode() for name in names)


class Heartbeat(bootsteps.StartStopStep):
    """Runs in the worker's main process on its timer, whatever the pool is doing."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.timer_entry = None

    def start(self, worker):
        queues = self._queues(worker)
        stamp(worker.hostname, queues)
        self.timer_entry = worker.timer.call_repeatedly(INTERVAL_SECONDS, stamp, (worker.hostname, queues))

    def stop(self, worker):
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None
        forget(worker.hostname, self._queues(worker))

    @staticmethod
    def _queues(worker) -> list[str]:
        queues = worker.app.amqp.queues
        return sorted(queues.consume_from or queues)
