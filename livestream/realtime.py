"""The room's fast-changing state in Redis, shared by every web process: presence, likes, chat history, rate limits,
throttles for batched broadcasts. Keys live under the cache prefix (tests get their own) and expire on their own.
"""

from __future__ import annotations

import json
import time
from functools import cache

import redis
from django.conf import settings

from livestream import chat_rules

# A connection that has not sent a heartbeat for this long no longer counts as watching.
PRESENCE_STALE_SECONDS = 45
KEY_TTL_SECONDS = 3 * 24 * 3600
CHAT_HISTORY = 50


@cache
def client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, decode_responses=True)


def key(stream_id: int, *parts) -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "mkt")
    return ":".join([prefix, "live", str(stream_id), *map(str, parts)])


def group_name(stream_id: int) -> str:
    """The channel-layer group every viewer of the stream is in."""
    return f"live_{stream_id}"


def room_message(event: dict) -> dict:
    """The channel-layer message that carries ``event`` to every viewer, JSON-encoded once by the sender."""
    return {"type": "room.event", "kind": event["type"], "text": json.dumps(event)}


# -- stream state and mutes (read on every chat message and like, so they must not cost a database query) ----------


def cached_state(stream_id: int) -> str | None:
    return client().get(key(stream_id, "state"))


def cache_state(stream_id: int, state: str) -> None:
    client().set(key(stream_id, "state"), state, ex=KEY_TTL_SECONDS)


def mutes_loaded(stream_id: int) -> bool:
    return bool(client().exists(key(stream_id, "mutes-loaded")))


def load_mutes(stream_id: int, user_ids) -> None:
    pipe = client().pipeline()
    pipe.delete(key(stream_id, "mutes"))
    for user_id in user_ids:
        pipe.sadd(key(stream_id, "mutes"), user_id)
    pipe.expire(key(stream_id, "mutes"), KEY_TTL_SECONDS)
    pipe.set(key(stream_id, "mutes-loaded"), "1", ex=KEY_TTL_SECONDS)
    pipe.execute()


def set_muted(stream_id: int, user_id: int, muted: bool) -> None:
    if muted:
        client().sadd(key(stream_id, "mutes"), user_id)
    else:
        client().srem(key(stream_id, "mutes"), user_id)


def is_muted(stream_id: int, user_id: int) -> bool:
    return bool(client().sismember(key(stream_id, "mutes"), user_id))


# -- presence -----------------------------------------------------------------------------------------------------


def touch(stream_id: int, connection: str) -> int:
    """Mark one connection as watching now; returns how many connections are watching."""
    return touch_many(stream_id, [connection])


def touch_many(stream_id: int, connections) -> int:
    """Mark a batch of connections as watching now (one round trip); returns how many connections are watching."""
    now = time.time()
    viewers = key(stream_id, "viewers")
    pipe = client().pipeline()
    pipe.zadd(viewers, dict.fromkeys(connections, now))
    pipe.zremrangebyscore(viewers, "-inf", now - PRESENCE_STALE_SECONDS)
    pipe.zcard(viewers)
    pipe.expire(viewers, KEY_TTL_SECONDS)
    return int(pipe.execute()[2])


def leave(stream_id: int, connection: str) -> int:
    viewers = key(stream_id, "viewers")
    pipe = client().pipeline()
    pipe.zrem(viewers, connection)
    pipe.zremrangebyscore(viewers, "-inf", time.time() - PRESENCE_STALE_SECONDS)
    pipe.zcard(viewers)
    return int(pipe.execute()[2])


def watching(stream_id: int) -> int:
    return int(client().zcount(key(stream_id, "viewers"), time.time() - PRESENCE_STALE_SECONDS, "+inf"))


def raise_peak(stream_id: int, count: int) -> int:
    """Remember the highest concurrent count seen; returns the peak."""
    script = "local p = tonumber(redis.call('GET', KEYS[1]) or '0') if tonumber(ARGV[1]) > p then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) return tonumber(ARGV[1]) end return p"
    return int(client().eval(script, 1, key(stream_id, "peak"), count, KEY_TTL_SECONDS))


def peak(stream_id: int) -> int:
    return int(client().get(key(stream_id, "peak")) or 0)


# -- likes --------------------------------------------------------------------------------------------------------


def add_likes(stream_id: int, count: int) -> int:
    pipe = client().pipeline()
    pipe.incrby(key(stream_id, "likes"), count)
    pipe.expire(key(stream_id, "likes"), KEY_TTL_SECONDS)
    return int(pipe.execute()[0])


def likes(stream_id: int) -> int:
    return int(client().get(key(stream_id, "likes")) or 0)


def seed_likes(stream_id: int, total: int) -> None:
    """Start the counter from the stored total (a stream re-opened by a restarted Redis keeps its likes)."""
    client().set(key(stream_id, "likes"), total, nx=True, ex=KEY_TTL_SECONDS)


# -- batching -----------------------------------------------------------------------------------------------------


def claim_flush(stream_id: int, topic: str, window_ms: int) -> bool:
    """True for exactly one caller per window: that caller broadcasts the topic's latest value for everyone."""
    return bool(client().set(key(stream_id, "flush", topic), "1", nx=True, px=window_ms))


# -- chat ---------------------------------------------------------------------------------------------------------


def rate_check(stream_id: int, user_id: int) -> chat_rules.Verdict:
    """Apply the chat rate rules with Redis counters (one decision for all of a user's connections)."""
    now_ms = int(time.time() * 1000)
    last_key = key(stream_id, "chat-last", user_id)
    window_key = key(stream_id, "chat-window", user_id, now_ms // (chat_rules.WINDOW_SECONDS * 1000))
    pipe = client().pipeline()
    pipe.get(last_key)
    pipe.get(window_key)
    last, sent = pipe.execute()
    verdict = chat_rules.rate_decision(
        since_last_ms=None if last is None else now_ms - int(last), sent_in_window=int(sent or 0)
    )
    if verdict.ok:
        pipe = client().pipeline()
        pipe.set(last_key, now_ms, px=chat_rules.MIN_INTERVAL_MS * 2)
        pipe.incr(window_key)
        pipe.expire(window_key, chat_rules.WINDOW_SECONDS * 2)
        pipe.execute()
    return verdict


def remember_message(stream_id: int, message: dict) -> None:
    history = key(stream_id, "chat")
    pipe = client().pipeline()
    pipe.rpush(history, json.dumps(message, ensure_ascii=False))
    pipe.ltrim(history, -CHAT_HISTORY, -1)
    pipe.expire(history, KEY_TTL_SECONDS)
    pipe.incr(key(stream_id, "messages"))
    pipe.execute()


def recent_messages(stream_id: int) -> list[dict]:
    return [json.loads(item) for item in client().lrange(key(stream_id, "chat"), 0, -1)]


def message_count(stream_id: int) -> int:
    return int(client().get(key(stream_id, "messages")) or 0)


def forget_user_messages(stream_id: int, user_id: int) -> None:
    """Drop a muted viewer's lines from the history new viewers receive."""
    history = key(stream_id, "chat")
    for item in client().lrange(history, 0, -1):
        if json.loads(item).get("user_id") == user_id:
            client().lrem(history, 0, item)
