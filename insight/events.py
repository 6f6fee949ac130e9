"""Visitor events without a database write on the request.

A request appends one JSON line to a Redis list (in the request's single round trip to Redis, see
marketplace.redis_writes); the worker (tasks.flush_events, every few
seconds) takes batches off the list and bulk-inserts them, resolving product -> store on the way. Delivery is at
most once: a worker that dies between taking a batch and inserting it loses that batch, acceptable for analytics.

Who: signed-in shoppers are "u<id>", everyone else "a<id>" from a first-party cookie (VISITOR_COOKIE). Resolving
the user costs a session + user lookup, which cached storefront pages avoid (shops.views.page_cache); so the
user id is taken only when the view already resolved the user, and kept in a cookie signed with the session key
(USER_COOKIE, the same trick as the page cache's menu cookie) for the cached pages that follow.

Opt-out: a shopper's choice is stored (EventOptOut) and mirrored in OPT_OUT_COOKIE so the request skips the push;
the worker drops any event of an opted-out user anyway.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import secrets

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, empty

from marketplace import redis_writes
from marketplace.redis_client import shared as client

VISITOR_COOKIE = "vid"
USER_COOKIE = "vuid"
OPT_OUT_COOKIE = "no_track"
VISITOR_COOKIE_MAX_AGE = 2 * 365 * 24 * 3600
BATCH_SIZE = 2_000
RETENTION_DAYS = 180
SOURCES = {"search", "live", "campaign", "recommendation"}
SOURCE_ALIASES = {"rec": "recommendation", "recs": "recommendation", "s": "search", "promo": "campaign"}

current_request: contextvars.ContextVar = contextvars.ContextVar("insight_request", default=None)


def queue_key() -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "mkt")
    return f"{prefix}:insight:events"


def new_visitor_id() -> str:
    return secrets.token_hex(12)


def _user_salt(session_key: str) -> str:
    return f"insight.events.user:{session_key}"


def resolved_user(request):
    """The user object if something already looked it up (Django's lazy user, or DRF's authentication)."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    return user if user is not None else getattr(request, "_cached_user", None)


def user_id_of(request) -> int | None:
    """The signed-in user's id if known without a lookup: resolved by the view, or from the signed cookie."""
    user = resolved_user(request)
    if user is not None:
        return user.pk if user.is_authenticated else None
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    raw = request.COOKIES.get(USER_COOKIE)
    if not session_key or not raw:
        return None
    try:
        return int(signing.loads(raw, salt=_user_salt(session_key), max_age=VISITOR_COOKIE_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def user_cookie(request, user_id: int) -> str | None:
    """The signed cookie value to set when the view resolved a user the cookie does not name yet."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME) or getattr(
        getattr(request, "session", None), "session_key", None
    )
    if not session_key:
        return None
    raw = request.COOKIES.get(USER_COOKIE)
    if raw:
        try:
            if int(signing.loads(raw, salt=_user_salt(session_key))) == user_id:
                return None
        except (signing.BadSignature, TypeError, ValueError):
            pass
    return signing.dumps(user_id, salt=_user_salt(session_key))


def source_of(request) -> str:
    """Where the visitor came from: an explicit ?src=, else the referring page of this site, else direct."""
    raw = request.GET.get("src", "")
    raw = SOURCE_ALIASES.get(raw, raw)
    if raw in SOURCES:
        return raw
    referer = request.META.get("HTTP_REFERER", "")
    host = request.get_host() if referer else ""
    if host and f"//{host}/" in referer:
        path = referer.split(f"//{host}", 1)[1]
        if path.startswith("/search"):
            return "search"
        if path.startswith("/live"):
            return "live"
        if path.startswith(("/promotions", "/campaign", "/flash")):
            return "campaign"
    return "direct"


def tracking_allowed(request) -> bool:
    return request.COOKIES.get(OPT_OUT_COOKIE) != "1"


def visitor_of(request) -> tuple[str, int | None]:
    user_id = user_id_of(request)
    if user_id:
        return f"u{user_id}", user_id
    return f"a{getattr(request, 'insight_visitor', '') or request.COOKIES.get(VISITOR_COOKIE, '')}", None


def push(kind: str, request=None, *, user_id: int | None = None, visitor: str = "", after_commit: bool = False,
         **fields) -> None:  # fmt: skip
    """Queue one event (with after_commit, once the surrounding transaction commits: a cart write that rolls back
    records nothing). Never raises: analytics must not break a page."""
    if request is not None:
        if not tracking_allowed(request):
            return
        visitor, user_id = visitor_of(request)
        fields.setdefault("source", source_of(request))
    if not visitor or visitor == "a":
        return
    line = json.dumps({"k": kind, "t": timezone.now().timestamp(), "v": visitor, "u": user_id, **fields})

    def send():
        redis_writes.push(queue_key(), line)  # with the request's other Redis writes: one round trip

    if after_commit and transaction.get_connection().in_atomic_block:
        transaction.on_commit(send)
    else:
        send()


def take_batch(size: int = BATCH_SIZE) -> list[dict]:
    pipe = client().pipeline(transaction=True)
    pipe.lrange(queue_key(), 0, size - 1)
    pipe.ltrim(queue_key(), size, -1)
    lines, _ = pipe.execute()
    batch = []
    for line in lines:
        try:
            batch.append(json.loads(line))
        except ValueError:
            continue
    return batch


def pending() -> int:
    return client().llen(queue_key())


def write_batch(batch: list[dict]) -> int:
    """Insert one batch: resolve products/SKUs/streams/stores to store ids, drop opted-out users' events."""
    from insight.models import Event, EventOptOut
    from livestream.models import Stream
    from shops.models import SKU, Product, Store

    if not batch:
        return 0
    user_ids = {item["u"] for item in batch if item.get("u")}
    opted_out = set(EventOptOut.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    skus = dict(
        SKU.objects.filter(pk__in={item["sku"] for item in batch if item.get("sku")}).values_list("pk", "product_id")
    )
    product_ids = {item["p"] for item in batch if item.get("p")} | set(skus.values())
    products = dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "store_id"))
    stores = dict(
        Store.objects.filter(slug__in={item["slug"] for item in batch if item.get("slug")}).values_list("slug", "pk")
    )
    streams = dict(
        Stream.objects.filter(pk__in={item["live"] for item in batch if item.get("live")}).values_list("pk", "store_id")
    )
    existing_users = set(_user_model().objects.filter(pk__in=user_ids).values_list("pk", flat=True))
    tz = timezone.get_default_timezone()
    rows = []
    for item in batch:
        user_id = item.get("u")
        if user_id in opted_out:
            continue
        product_id = item.get("p") or skus.get(item.get("sku"))
        if product_id is not None and product_id not in products:
            continue  # a deleted product, or a made-up id
        store_id = products.get(product_id) or stores.get(item.get("slug")) or streams.get(item.get("live"))
        at = datetime.datetime.fromtimestamp(item["t"], tz=datetime.UTC)
        rows.append(
            Event(
                kind=item["k"],
                at=at,
                day=at.astimezone(tz).date(),
                visitor=str(item["v"])[:64],
                user_id=user_id if user_id in existing_users else None,
                store_id=store_id,
                product_id=product_id,
                source=item.get("source", "direct"),
                query=str(item.get("q", ""))[:100],
            )
        )
    Event.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()


def flush(max_batches: int = 50) -> int:
    """Write queued events now (the worker task, and readers that want today's figures current)."""
    written = 0
    for _ in range(max_batches):
        batch = take_batch()
        if not batch:
            break
        written += write_batch(batch)
    return written


def purge(now: datetime.datetime | None = None, chunk: int = 10_000) -> int:
    """Delete events older than RETENTION_DAYS, in chunks so no long lock is held."""
    from insight.models import Event

    cutoff = (now or timezone.now()) - datetime.timedelta(days=RETENTION_DAYS)
    deleted = 0
    while True:
        ids = list(Event.objects.filter(at__lt=cutoff).values_list("pk", flat=True)[:chunk])
        if not ids:
            return deleted
        deleted += Event.objects.filter(pk__in=ids).delete()[0]
