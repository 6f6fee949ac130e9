"""Footprints (足迹): products a signed-in shopper viewed, kept 90 days.

The product page is served from a shared cache without loading the session, so a view is noted with one Redis
push of (session key, product, time) and nothing else (sent in the same round trip as insight's event of the view,
marketplace.redis_writes); it does not depend on the shopper's analytics opt-out, footprints being the shopper's own
list; a beat task flushes the list every few seconds: it resolves
session keys to users once per batch and upserts one row per (shopper, product). Views by visitors who are not
signed in are dropped at flush time. A view lost in a crash between pop and write only misses a footprint.
"""

from __future__ import annotations

import datetime
import time
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from customers.models import Footprint
from marketplace import redis_writes
from marketplace.redis_client import shared as client
from shops.models import Product

KEEP_DAYS = 90
BATCH = 5_000


def queue_key() -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "mkt")
    return f"{prefix}:customers:footprints"


def note_view(request, product_id: int) -> None:
    """Hot path: one LPUSH, never a database query, sent with the request's other Redis writes (the analytics
    event of the same view) in one round trip. Redis being down must not break the product page."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return
    redis_writes.push(queue_key(), f"{session_key}|{int(product_id)}|{time.time():.3f}", left=True)


def _users_of(session_keys: set[str]) -> dict[str, int]:
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    users = {}
    for key in session_keys:
        user_id = store_class(session_key=key).get("_auth_user_id")
        if user_id is not None:
            users[key] = int(user_id)
    return users


def flush(limit: int = BATCH) -> int:
    """Write queued views as footprints. Returns how many footprints were written."""
    raw = client().rpop(queue_key(), limit) or []
    views: list[tuple[str, int, float]] = []
    for item in raw:
        try:
            session_key, product_id, at = item.decode().split("|")
            views.append((session_key, int(product_id), float(at)))
        except ValueError:
            continue
    if not views:
        return 0
    users = _users_of({session_key for session_key, _, _ in views})
    latest: dict[tuple[int, int], float] = {}
    for session_key, product_id, at in views:
        if session_key in users:
            pair = (users[session_key], product_id)
            latest[pair] = max(at, latest.get(pair, 0.0))
    existing = set(Product.objects.filter(pk__in={product for _, product in latest}).values_list("pk", flat=True))
    rows = [
        Footprint(shopper_id=shopper, product_id=product, viewed_at=datetime.datetime.fromtimestamp(at, datetime.UTC))
        for (shopper, product), at in sorted(latest.items())
        if product in existing
    ]
    with transaction.atomic():
        Footprint.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["shopper", "product"], update_fields=["viewed_at"]
        )
    return len(rows)


def record(shopper, product_id: int, at: datetime.datetime | None = None) -> Footprint:
    """Write one footprint at once (the API's explicit "I viewed this", and tests)."""
    at = at or timezone.now()
    footprint, _created = Footprint.objects.update_or_create(
        shopper=shopper, product_id=product_id, defaults={"viewed_at": at}
    )
    return footprint


def delete(shopper, product_ids: list[int] | None = None) -> int:
    """Delete some of the shopper's footprints, or all of them (None)."""
    footprints = Footprint.objects.filter(shopper=shopper)
    if product_ids is not None:
        footprints = footprints.filter(product_id__in=product_ids)
    return footprints.delete()[0]


def purge(now: datetime.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - datetime.timedelta(days=KEEP_DAYS)
    return Footprint.objects.filter(viewed_at__lt=cutoff).delete()[0]
