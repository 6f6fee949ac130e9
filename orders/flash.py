"""Flash-sale admission through Redis (秒杀): an atomic Lua check-and-decrement in front of the orders.

When a SKU's flash sale is armed, Redis holds a counter of the units still on offer. A buyer first takes units
from the counter in one atomic script, either inside checkout (``admit``) or as a queued ticket whose order a
worker writes later (``admit_ticket``, see the write-behind section and orders.flash_orders); buyers who find it
empty are refused at once (409) without touching PostgreSQL, so thousands of losers do not queue on the SKU's hot
stock row.

Redis can never cause an oversell: the database stays the source of truth. An admitted checkout still reserves
stock with the conditional UPDATE (and the CHECK constraint), and a checkout that fails after admission gives its
units back to the counter. The only possible disagreement is the safe one (Redis lower than the database: a crash
between admission and give-back), and ``reconcile`` proves and repairs it: at rest, counter + units of tickets not
yet written == database delivery stock. Cancellations and restocks of a gated SKU add their units back on commit.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from marketplace.redis_client import shared as client
from shops import stock

# KEYS = the counters of an order's SKUs, ARGV = the units of each. All or nothing: returns -1 (nothing taken) when
# an armed SKU has too few units left, else the positions (1-based) of the armed SKUs whose units were taken.
ADMIT = """
for i, counter in ipairs(KEYS) do
  local left = redis.call('GET', counter)
  if left and tonumber(left) < tonumber(ARGV[i]) then return -1 end
end
local taken = {}
for i, counter in ipairs(KEYS) do
  if redis.call('EXISTS', counter) == 1 then
    redis.call('DECRBY', counter, ARGV[i])
    taken[#taken + 1] = i
  end
end
return taken
"""
# KEYS = counters, ARGV = units: adds units back only while the sale is armed (a disarmed SKU has no counter).
GIVE_BACK = """
for i, counter in ipairs(KEYS) do
  if redis.call('EXISTS', counter) == 1 then redis.call('INCRBY', counter, ARGV[i]) end
end
return 0
"""

logger = logging.getLogger(__name__)


def key(sku_id: int, part: str = "stock") -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "mkt")
    return f"{prefix}:flash:{part}:{sku_id}"


def ticket_key(ticket_id: str) -> str:
    return key(0, f"ticket:{ticket_id}")


def arm(sku_id: int) -> int:
    """Start gating ``sku_id``: the counter starts at the database's delivery stock, less the units of tickets of
    an earlier arming that are not written yet. Returns the units on offer."""
    redis_client = client()
    try:
        redis_client.xgroup_create(key(sku_id, "tickets"), WRITERS, id="0", mkstream=True)
    except redis.ResponseError as exc:  # the group exists: tickets of an earlier arming may still be owed
        if "BUSYGROUP" not in str(exc):
            raise
    pending = int(redis_client.get(key(sku_id, "pending")) or 0) if queued_tickets(sku_id) else 0
    units = max(0, stock.available(sku_id) - pending)
    redis_client.mset({key(sku_id): units, key(sku_id, "pending"): pending})
    redis_client.sadd(key(0, "armed"), sku_id)
    return units


def disarm(sku_id: int) -> None:
    """Stop gating ``sku_id``. Tickets still queued stay in their stream until a writer has placed them (the
    sweep calls this again to tidy up once they are)."""
    redis_client = client()
    redis_client.delete(key(sku_id))
    if not queued_tickets(sku_id):
        redis_client.delete(key(sku_id, "tickets"), key(sku_id, "pending"), key(sku_id, "seen"))
        redis_client.srem(key(0, "armed"), sku_id)


def units_on_offer(sku_ids: list[int]) -> dict[int, int]:
    """Units each armed SKU still offers (SKUs not armed are left out)."""
    if not sku_ids:
        return {}
    counters = client().mget([key(sku_id) for sku_id in sku_ids])
    return {sku_id: int(units) for sku_id, units in zip(sku_ids, counters, strict=True) if units is not None}


def is_armed(sku_id: int) -> bool:
    return bool(client().exists(key(sku_id)))


def admit(lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Take (sku id, units) from the armed counters, in one round trip; returns what was taken (to give back on
    failure). Refuses (409, sold out), taking nothing, if any armed SKU has too few units left."""
    units: dict[int, int] = {}
    for sku_id, quantity in lines:
        units[sku_id] = units.get(sku_id, 0) + quantity
    if not units:
        return []
    sku_ids = sorted(units)
    taken = _script("admit", ADMIT)(keys=[key(sku_id) for sku_id in sku_ids], args=[units[i] for i in sku_ids])
    if taken == -1:
        raise DomainError(_("Sold out. Everything on offer has been taken."), code="out_of_stock", status_code=409)
    return [(sku_ids[position - 1], units[sku_ids[position - 1]]) for position in taken]


def give_back(taken: list[tuple[int, int]]) -> None:
    if taken:
        _script("give_back", GIVE_BACK)(keys=[key(sku_id) for sku_id, _units in taken], args=[n for _s, n in taken])


_scripts: dict[str, object] = {}


def _script(name: str, text: str):
    """The script registered once (EVALSHA: its text is sent once per connection pool, not per call)."""
    script = _scripts.get(name)
    if script is None:
        script = _scripts[name] = client().register_script(text)
    return script


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
    """At rest (no checkout in flight), the counter plus the units of tickets not yet written must equal the
    database's delivery stock."""
    counter, pending = client().mget(key(sku_id), key(sku_id, "pending"))
    redis_units = None if counter is None else int(counter) + int(pending or 0)
    result = Reconciliation(sku_id, redis_units, stock.available(sku_id))
    if repair and not result.agrees:
        client().set(key(sku_id), result.database_units - int(pending or 0))
    return result


# --- write-behind: tickets -----------------------------------------------------------------------------------
# A buyer admitted through ``admit_ticket`` holds a ticket: its units are taken from the counter and the ticket
# joins a Redis stream in the same atomic script, and the buyer is answered at once (202). Workers read the stream
# in batches (consumer group WRITERS), write the orders to PostgreSQL (orders.flash_orders) and only then
# acknowledge the tickets, so a worker that dies leaves its tickets pending for another (``next_tickets`` reclaims
# them). A ticket that cannot become an order gives its units back.

WRITERS = "writers"
TICKET_SECONDS = 24 * 3600
RECLAIM_IDLE_MS = 30_000

# KEYS: counter, stream, seen, pending, ticket, scheduled, the shopper's addresses. ARGV: units, dedupe field,
# ticket id, payload, ttl, queued status, address id, the ticket-status key around a ticket id (prefix, suffix).
# Returns {1, ticket, schedule} admitted (schedule = 1: no writer is scheduled, start one), {2, ticket, its status
# JSON} the same submission again, {0, "", ""} sold out, {-1, "", ""} not armed, {-2, "", ""} the address is not
# among the shopper's known addresses (or they are not known yet: the caller asks the database and tries again),
# {-3, "", ""} the optional KEYS[8] (the cache entry that vouches for the buyer's API token) is gone.
ADMIT_TICKET = """
if KEYS[8] and redis.call('EXISTS', KEYS[8]) == 0 then return {-3, '', ''} end
local prior = redis.call('HGET', KEYS[3], ARGV[2])
if prior then return {2, prior, redis.call('GET', ARGV[8] .. prior .. ARGV[9]) or ''} end
local left = redis.call('GET', KEYS[1])
if not left then return {-1, '', ''} end
if redis.call('SISMEMBER', KEYS[7], ARGV[7]) == 0 then return {-2, '', ''} end
local units = tonumber(ARGV[1])
if tonumber(left) < units then return {0, '', ''} end
redis.call('DECRBY', KEYS[1], units)
redis.call('INCRBY', KEYS[4], units)
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[3], ARGV[5])
redis.call('XADD', KEYS[2], '*', 'ticket', ARGV[3], 'payload', ARGV[4])
redis.call('SET', KEYS[5], ARGV[6], 'EX', ARGV[5])
local schedule = 0
if redis.call('SET', KEYS[6], 1, 'NX', 'EX', 60) then schedule = 1 end
return {1, ARGV[3], schedule}
"""
# KEYS: stream, pending, counter. ARGV: group, then (entry id, units, failed 0/1) per ticket. A ticket already
# acknowledged (a writer that reclaimed it finished first) moves nothing, so units are never counted twice.
FINISH = """
local settled = 0
local give_back = 0
for i = 2, #ARGV, 3 do
  if redis.call('XACK', KEYS[1], ARGV[1], ARGV[i]) == 1 then
    redis.call('XDEL', KEYS[1], ARGV[i])
    settled = settled + tonumber(ARGV[i + 1])
    if ARGV[i + 2] == '1' then give_back = give_back + tonumber(ARGV[i + 1]) end
  end
end
if settled > 0 then redis.call('DECRBY', KEYS[2], settled) end
if give_back > 0 and redis.call('EXISTS', KEYS[3]) == 1 then redis.call('INCRBY', KEYS[3], give_back) end
return settled
"""


@dataclass(frozen=True)
class Ticket:
    entry_id: str
    ticket_id: str
    shopper_id: int
    address_id: int
    units: int
    idempotency_key: str
    source: str = ""


@dataclass(frozen=True)
class Outcome:
    ticket: Ticket
    order_number: str | None = None  # placed
    reason: str = ""  # failed: why (the units go back on offer)


@dataclass(frozen=True)
class Admission:
    ticket_id: str
    new: bool  # False: the same (shopper, key) was admitted before; this is its ticket
    schedule_writer: bool  # True: no writer is scheduled for the SKU yet, the caller starts one
    status: dict | None  # the ticket's status (see ticket_status); None if it expired


class CredentialsGone(Exception):
    """The cache entry that vouched for the buyer's token is gone (logout, a changed user, expiry): nothing was
    taken; authenticate the usual way and try again."""


class AddressUnknown(Exception):
    """The address is not among the shopper's addresses Redis knows (maybe not known yet): ask the database."""


_async_admit_scripts: dict[int, object] = {}


@dataclass(frozen=True)
class _AdmissionCall:
    ticket_id: str
    queued: dict
    keys: list
    args: list


def _admission_call(*, sku_id: int, shopper_id: int, address_id: int, units: int, idempotency_key: str,
                    source: str = "", credentials_key: str = "") -> _AdmissionCall:  # fmt: skip
    ticket_id = uuid.uuid4().hex
    payload = json.dumps({"shopper": shopper_id, "address": address_id, "units": units, "key": idempotency_key,
                          "source": source})  # fmt: skip
    queued = {"status": "queued", "shopper": shopper_id, "sku": sku_id, "units": units}
    keys = [key(sku_id), key(sku_id, "tickets"), key(sku_id, "seen"), key(sku_id, "pending"), ticket_key(ticket_id),
            key(sku_id, "scheduled"), addresses_key(shopper_id)] + ([credentials_key] if credentials_key else [])  # fmt: skip
    prefix, suffix = ticket_key("\n").split("\n")
    args = [units, f"{shopper_id}:{idempotency_key}", ticket_id, payload, TICKET_SECONDS, json.dumps(queued),
            address_id, prefix, suffix]  # fmt: skip
    return _AdmissionCall(ticket_id, queued, keys, args)


def _admission(call: _AdmissionCall, reply: list) -> Admission:
    outcome, ticket, extra = reply
    if outcome == 1:
        return Admission(call.ticket_id, True, bool(extra), call.queued)
    if outcome == 2:
        return Admission(ticket.decode(), False, False, json.loads(extra) if extra else None)
    if outcome == -1:
        raise DomainError(_("This product has no flash sale on now."), code="no_flash_sale")
    if outcome == -2:
        raise AddressUnknown
    if outcome == -3:
        raise CredentialsGone
    raise DomainError(_("Sold out. Everything on offer has been taken."), code="out_of_stock", status_code=409)


def admit_ticket(**arguments) -> Admission:
    """Admit one buy-now of an armed flash sale in one Redis round trip: the same (shopper, key) returns the first
    ticket, an address must be one of the shopper's (``remember_addresses``), units are taken, the ticket queued.
    Raises DomainError 409 when sold out, 400 when the SKU has no armed sale, AddressUnknown, CredentialsGone
    (see there; ``credentials_key``: a Redis key that must exist for the buyer to be admitted). Arguments:
    sku_id, shopper_id, address_id, units, idempotency_key, source="", credentials_key=""."""
    call = _admission_call(**arguments)
    return _admission(call, _script("admit_ticket", ADMIT_TICKET)(keys=call.keys, args=call.args))


async def admit_ticket_async(async_client, **arguments) -> Admission:
    """``admit_ticket`` on an asyncio Redis client (the flash-sale lane, orders.flash_lane): the same script and
    answers, without a thread."""
    call = _admission_call(**arguments)
    script = _async_admit_scripts.get(id(async_client))
    if script is None:
        script = _async_admit_scripts[id(async_client)] = async_client.register_script(ADMIT_TICKET)
    return _admission(call, await script(keys=call.keys, args=call.args))


# The shopper's address ids, a plain Redis set the admission script reads (a sentinel member 0 makes an empty
# address book a known one). Dropped whenever an address is saved or deleted (orders.receivers); an address
# missing from the set is looked up in the database before a buyer is refused, and the writer checks the address
# again before it writes an order, so a stale set can delay a buyer but never order to a foreign address.
ADDRESS_SECONDS = 3600


def addresses_key(shopper_id: int) -> str:
    return key(shopper_id, "addresses")


def remember_addresses(shopper_id: int, address_ids) -> None:
    pipe = client().pipeline(transaction=True)
    pipe.delete(addresses_key(shopper_id))
    pipe.sadd(addresses_key(shopper_id), 0, *address_ids)
    pipe.expire(addresses_key(shopper_id), ADDRESS_SECONDS)
    pipe.execute()


def forget_addresses(shopper_id: int) -> None:
    try:
        client().delete(addresses_key(shopper_id))
    except redis.RedisError:  # an address book must stay editable; the writer checks addresses again anyway
        logger.warning("could not drop the flash-sale address set of shopper %s", shopper_id, exc_info=True)


def ticket_status(ticket_id: str) -> dict | None:
    """{"status": "queued" | "placed" | "failed", "shopper", "sku", "units", and "order" or "reason"}."""
    raw = client().get(ticket_key(ticket_id))
    return None if raw is None else json.loads(raw)


def queued_tickets(sku_id: int) -> int:
    """Tickets of ``sku_id`` not settled yet (waiting, or being written)."""
    return client().xlen(key(sku_id, "tickets"))


def next_tickets(sku_id: int, consumer: str, count: int) -> list[Ticket]:
    """Up to ``count`` tickets for this writer: first any a dead writer left unacknowledged, then new ones."""
    stream = key(sku_id, "tickets")
    redis_client = client()
    _cursor, entries, *_deleted = redis_client.xautoclaim(stream, WRITERS, consumer, RECLAIM_IDLE_MS, "0-0", count)
    if not entries:
        found = redis_client.xreadgroup(WRITERS, consumer, {stream: ">"}, count=count)
        entries = found[0][1] if found else []
    return [_ticket(entry_id, fields) for entry_id, fields in entries if fields]


def _ticket(entry_id: bytes, fields: dict) -> Ticket:
    payload = json.loads(fields[b"payload"])
    return Ticket(entry_id.decode(), fields[b"ticket"].decode(), int(payload["shopper"]), int(payload["address"]),
                  int(payload["units"]), str(payload["key"]), str(payload.get("source", "")))  # fmt: skip


def finish_tickets(sku_id: int, outcomes: list[Outcome]) -> None:
    """After the orders are committed: publish each result, acknowledge the tickets and put the units of failed
    tickets back on offer, the counter and the pending units moving together in one script."""
    if not outcomes:
        return
    pipe = client().pipeline(transaction=True)
    for outcome in outcomes:
        ticket = outcome.ticket
        result = {"status": "placed", "order": outcome.order_number} if outcome.order_number else {
            "status": "failed", "reason": outcome.reason}  # fmt: skip
        status = {"shopper": ticket.shopper_id, "sku": sku_id, "units": ticket.units, **result}
        pipe.set(ticket_key(ticket.ticket_id), json.dumps(status), ex=TICKET_SECONDS)
    settle = [WRITERS]
    for outcome in outcomes:
        settle += [outcome.ticket.entry_id, outcome.ticket.units, 0 if outcome.order_number else 1]
    pipe.eval(FINISH, 3, key(sku_id, "tickets"), key(sku_id, "pending"), key(sku_id), *settle)
    pipe.execute()


def armed_skus() -> list[int]:
    """SKUs armed now or with tickets still owed from an earlier arming."""
    return sorted(int(member) for member in client().smembers(key(0, "armed")))


def claim_writer(sku_id: int, seconds: int = 60) -> bool:
    """Only one writer drains a SKU's tickets at a time (so batches stay large); True if this caller is it."""
    return bool(client().set(key(sku_id, "writer"), 1, nx=True, ex=seconds))


def release_writer(sku_id: int) -> None:
    """The writer is done: the next admitted ticket schedules a new one."""
    client().delete(key(sku_id, "writer"), key(sku_id, "scheduled"))
