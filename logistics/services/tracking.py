"""Carrier tracking: the signed webhook carriers call, and the sandbox carrier that calls it on a schedule.

The webhook imitates the payment callback (payments.services.handle_callback): HMAC-SHA256 over
``"<timestamp>.<nonce>.<raw body>"`` with the shared secret; a timestamp older than
LOGISTICS_WEBHOOK_MAX_AGE_SECONDS or a nonce already accepted is a replay (400, nothing changes); the same
event id reported twice is acknowledged (200) and stored once. Every call is logged in CarrierCallback.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from logistics import carriers, signals, tracking_steps
from logistics.lock_objects import locked_parcel, try_lock_parcel
from logistics.models import CarrierCallback, SandboxParcel, TrackingEvent
from orders import services as orders
from orders.models import SubOrder

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Carrier-Signature"
TIMESTAMP_HEADER = "X-Carrier-Timestamp"
NONCE_HEADER = "X-Carrier-Nonce"


@dataclass(frozen=True)
class WebhookResult:
    status_code: int
    message: str


class Rejected(Exception):
    pass


def sign(timestamp: str, nonce: str, body: bytes) -> str:
    message = f"{timestamp}.{nonce}.".encode() + body
    return hmac.new(settings.LOGISTICS_WEBHOOK_SECRET.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(body: bytes, *, timestamp: int | None = None, nonce: str | None = None) -> dict[str, str]:
    timestamp_text = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or secrets.token_hex(16)
    return {TIMESTAMP_HEADER: timestamp_text, NONCE_HEADER: nonce, SIGNATURE_HEADER: sign(timestamp_text, nonce, body)}


def _text(value) -> str:
    return str(value or "").replace("\x00", "\ufffd")


def _verify(body: bytes, timestamp: str, nonce: str, signature: str) -> dict:
    if not signature or not timestamp or not nonce:
        raise Rejected("missing signature, timestamp or nonce")
    if len(nonce) > 80 or not timestamp.isdigit():
        raise Rejected("malformed timestamp or nonce")
    if not hmac.compare_digest(sign(timestamp, nonce, body), signature.strip().lower()):
        raise Rejected("bad signature")
    if abs(time.time() - int(timestamp)) > settings.LOGISTICS_WEBHOOK_MAX_AGE_SECONDS:
        raise Rejected("timestamp too old or in the future (replay?)")
    if CarrierCallback.objects.filter(nonce=nonce, accepted=True).exists():
        raise Rejected("nonce already used (replay)")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Rejected("body is not JSON") from None
    if not isinstance(payload, dict):
        raise Rejected("body is not a JSON object")
    return payload


def handle_webhook(body: bytes, *, timestamp: str, nonce: str, signature: str) -> WebhookResult:
    """Verify and apply one carrier notification; every call is recorded."""
    timestamp, nonce, signature = _text(timestamp)[:20], _text(nonce)[:80], _text(signature)[:256]
    try:
        payload = _verify(body, timestamp, nonce, signature)
        carrier = carriers.find(str(payload.get("carrier", "")))
        if carrier is None:
            raise Rejected("unknown carrier")
        status = payload.get("status")
        if status not in tracking_steps.STEPS:
            raise Rejected(f"unknown status {str(status)[:40]!r}")
        occurred_at = parse_datetime(str(payload.get("occurred_at", "")))
        if occurred_at is None or timezone.is_naive(occurred_at):
            raise Rejected("occurred_at is not an ISO 8601 time with a zone")
        event_id = _text(payload.get("event_id"))[:80]
        if not event_id:
            raise Rejected("missing event_id")
        tracking_number = _text(payload.get("tracking_number"))[:60]
        suborder = (
            SubOrder.objects.filter(carrier=carrier.code, tracking_number=tracking_number, shipped_at__isnull=False)
            .order_by("-shipped_at")
            .first()
        )
        if suborder is None:
            raise Rejected("unknown parcel")
    except Rejected as exc:
        return _record(body, carrier="", timestamp=timestamp, nonce=nonce, signature=signature, accepted=False,
                       status_code=400, outcome=f"rejected: {exc}")  # fmt: skip
    try:
        with transaction.atomic():
            _record(body, carrier=carrier.code, timestamp=timestamp, nonce=nonce, signature=signature,
                    accepted=True, status_code=200, outcome="accepted")  # fmt: skip
            outcome = _apply(suborder, carrier.code, tracking_number, event_id, status, occurred_at, payload)
            CarrierCallback.objects.filter(nonce=nonce, accepted=True).update(outcome=outcome)
    except IntegrityError:  # the same nonce accepted concurrently: this one is the replay
        return _record(body, carrier=carrier.code, timestamp=timestamp, nonce=nonce, signature=signature,
                       accepted=False, status_code=400, outcome="rejected: nonce already used (replay)")  # fmt: skip
    return WebhookResult(200, outcome)


def _record(body, *, carrier, timestamp, nonce, signature, accepted, status_code, outcome) -> WebhookResult:
    CarrierCallback.objects.create(
        carrier=carrier,
        nonce=nonce,
        timestamp=timestamp,
        body=_text(body.decode("utf-8", "replace"))[:10000],
        signature=signature,
        accepted=accepted,
        outcome=_text(outcome)[:200],
    )
    if not accepted:
        log.warning("carrier webhook %s", outcome)
    return WebhookResult(status_code, outcome)


def _apply(suborder, carrier, tracking_number, event_id, status, occurred_at, payload) -> str:
    if TrackingEvent.objects.filter(carrier=carrier, event_id=event_id).exists():
        return "duplicate event: already recorded"
    with transaction.atomic():  # savepoint: a concurrent duplicate loses the unique constraint, not the call
        try:
            TrackingEvent.objects.create(
                suborder=suborder,
                carrier=carrier,
                tracking_number=tracking_number,
                event_id=event_id,
                status=status,
                location=_text(payload.get("location"))[:120],
                occurred_at=occurred_at,
            )
        except IntegrityError:
            return "duplicate event: already recorded"
    delivered = status == tracking_steps.DELIVERED and orders.mark_delivered(
        suborder.pk, at=occurred_at, data={"carrier": carrier, "event": event_id}
    )
    if delivered:
        transaction.on_commit(lambda: signals.parcel_delivered.send(sender=SubOrder, suborder=suborder))
        return "delivered"
    return "recorded"


# --- the sandbox carrier --------------------------------------------------------------------------------------

SANDBOX_LOCATIONS = ("Hangzhou sorting centre", "Shanghai hub", "Local delivery station", "Courier", "Doorstep")


def start_sandbox_parcel(suborder: SubOrder) -> SandboxParcel:
    step = datetime.timedelta(minutes=settings.LOGISTICS_SANDBOX_STEP_MINUTES)
    parcel, _created = SandboxParcel.objects.get_or_create(
        suborder=suborder,
        defaults={
            "carrier": suborder.carrier,
            "tracking_number": suborder.tracking_number,
            "next_at": (suborder.shipped_at or timezone.now()) + step,
        },
    )
    return parcel


def sandbox_payload(parcel: SandboxParcel, step_index: int, occurred_at: datetime.datetime) -> bytes:
    return json.dumps(
        {
            "carrier": parcel.carrier,
            "tracking_number": parcel.tracking_number,
            "event_id": f"SBX-{parcel.pk}-{step_index}",
            "status": tracking_steps.STEPS[step_index],
            "location": SANDBOX_LOCATIONS[step_index],
            "occurred_at": occurred_at.isoformat(),
        },
        sort_keys=True,
    ).encode()


def sandbox_tick(now: datetime.datetime | None = None, limit: int = 200) -> int:
    """Beat: move every due sandbox parcel one step and report it through the signed webhook."""
    now = now or timezone.now()
    step = datetime.timedelta(minutes=settings.LOGISTICS_SANDBOX_STEP_MINUTES)
    sent = 0
    for parcel_id in list(
        SandboxParcel.objects.filter(finished=False, next_at__lte=now).values_list("pk", flat=True)[:limit]
    ):
        with transaction.atomic():
            parcel = try_lock_parcel(parcel_id)
            if parcel is None or parcel.finished or parcel.next_at > now:
                continue
            body = sandbox_payload(parcel, parcel.next_step, parcel.next_at)
            headers = signed_headers(body, timestamp=int(time.time()))
            parcel.next_step += 1
            parcel.finished = parcel.next_step >= len(tracking_steps.STEPS)
            parcel.next_at = parcel.next_at + step
            parcel.save(update_fields=["next_step", "finished", "next_at"])
        result = deliver(body, headers)
        if result.status_code != 200:
            log.warning("sandbox carrier: webhook refused parcel %s: %s", parcel_id, result.message)
        sent += 1
    return sent


def advance_now(parcel_id: int) -> WebhookResult | None:
    """The sandbox page's button: report the parcel's next step now (then the schedule continues from here)."""
    now = timezone.now()
    step = datetime.timedelta(minutes=settings.LOGISTICS_SANDBOX_STEP_MINUTES)
    with transaction.atomic():
        parcel = locked_parcel(parcel_id)
        if parcel.finished:
            return None
        body = sandbox_payload(parcel, parcel.next_step, now)
        parcel.next_step += 1
        parcel.finished = parcel.next_step >= len(tracking_steps.STEPS)
        parcel.next_at = now + step
        parcel.save(update_fields=["next_step", "finished", "next_at"])
    return deliver(body, signed_headers(body))


def deliver(body: bytes, headers: dict[str, str]) -> WebhookResult:
    """The sandbox posts to our own webhook in-process (the same verification path as an HTTP call)."""
    return handle_webhook(
        body, timestamp=headers[TIMESTAMP_HEADER], nonce=headers[NONCE_HEADER], signature=headers[SIGNATURE_HEADER]
    )
