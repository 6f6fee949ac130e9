"""Scenario helpers for logistics tests: a paid delivery sub-order, shipping it, signed webhook calls."""

from __future__ import annotations

import json
import uuid

from logistics.services import tracking
from orders import services as order_services
from tests.refunds.helpers import simple_paid


def paid_suborder(price="100.00", quantity=1, store=None):
    """(shopper, suborder, line) of a paid one-line delivery order."""
    shopper, suborder, line = simple_paid(price=price, quantity=quantity, store=store)
    suborder.refresh_from_db()
    return shopper, suborder, line


def ship(suborder, carrier="顺丰", number=None):
    owner = suborder.store.merchant.owner
    return order_services.ship(suborder.pk, actor=owner, carrier=carrier, tracking_number=number or f"SF{suborder.pk}")


def event_body(suborder, status, occurred_at, event_id=None, **extra) -> bytes:
    return json.dumps({
        "carrier": suborder.carrier,
        "tracking_number": suborder.tracking_number,
        "event_id": event_id or uuid.uuid4().hex,
        "status": status,
        "location": "杭州",
        "occurred_at": occurred_at.isoformat(),
        **extra,
    }).encode()  # fmt: skip


def post_webhook(api_client, body: bytes, headers: dict | None = None):
    headers = tracking.signed_headers(body) if headers is None else headers
    return api_client.post(
        "/api/v1/logistics/webhook/",
        data=body,
        content_type="application/json",
        headers=headers,
    )
