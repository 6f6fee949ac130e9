"""Flash-sale admission through Redis (秒杀): an atomic Lua check-and-decrement in front of checkout.

When a SKU's flash sale is armed, Redis holds a counter of the units still on offer. A checkout first takes its
units from the counter in one atomic script; buyers who find it empty are refused at once (409) without touching
PostgreSQL, so thousands of losers do not queue on the SKU's hot stock row.

Redis can never cause an oversell: the database stays the source of truth. An admitted checkout still reserves
stock with the conditional UPDATE (and the CHECK constraint), and a checkout that fails after admission gives its
units back to the counter. The only possible disagreement is the safe one (Redis lower than the database: a crash
between admission and give-back), and ``reconcile`` proves and repairs it: at rest, counter == database delivery
stock. Cancellations and restocks of a gated SKU add their units back on commit.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from shops import stock

# KEYS[1] = counter. ARGV[1] = units. Returns -1 when no sale is armed, 0 when refused, 1 when admitted.
ADMIT = """
local left = redis.call('GET', KEYS[1])
if not left then return -1 end
local units = tonumber(ARGV[1])
if tonumber(left) >= units then
  redis.call('DECRBY', KEYS[1], units)
  return 1
end
return 0
"""
# Adds units back only while the sale is armed (a disarmed SKU has no counter to correct).
GIVE_BACK = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end
return -1
"""

_client: redis.Redis | None = None


def client() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    return _client


def key(sku_id: int) -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "mkt")
    return f"{prefix}:flash:stock:{sku_id}"


def arm(sku_id: int) -> int:
    """Start gating ``sku_id``: the counter starts at the database's delivery stock. Returns it."""
    units = stock.available(sku_id)
    client().set(key(sku_id), units)
    return units


def disarm(sku_id: int) -> None:
    client().delete(key(sku_id))


def is_armed(sku_id: int) -> bool:
    return bool(client().exists(key(sku_id)))


def admit(lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Take (sku id, units) from the armed counters; returns what was taken (to give back on failure).
    Refuses (409, sold out) if any armed SKU has too few units left, giving back what it already took."""
    taken: list[tuple[int, int]] = []
    for sku_id, units in sorted(lines):
        result = client().eval(ADMIT, 1, key(sku_id), units)
        if result == -1:
            continue
        if result == 0:
            give_back(taken)
            raise DomainError(_("Sold out. Everything on offer has been taken."), code="out_of_stock", status_code=409)
        taken.append((sku_id, units))
    return taken


def give_back(taken: list[tuple[int, int]]) -> None:
    for sku_id, units in taken:
        client().eval(GIVE_BACK, 1, key(sku_id), units)


def give_back_on_commit(sku_id: int, units: int) -> None:
    """Stock of ``sku_id`` went back to the database (cancel, refund): let the counter offer it again."""
    transaction.on_commit(lambda: give_back([(sku_id, units)]))


@dataclass(frozen=True)
class Reconciliation:
    sku_id: int
    redis_units: int | None
    database_units: int

    @property
    def agrees(self) -> bool:
        return self.redis_units is None or self.redis_units == self.database_units


def reconcile(sku_id: int, *, repair: bool = False) -> Reconciliation:
    """At rest (no checkout in flight), the counter must equal the database's delivery stock."""
    raw = client().get(key(sku_id))
    result = Reconciliation(sku_id, None if raw is None else int(raw), stock.available(sku_id))
    if repair and not result.agrees:
        client().set(key(sku_id), result.database_units)
    return result
