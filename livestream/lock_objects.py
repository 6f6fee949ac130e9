"""Row locks on livestream's tables (the project's lock order: orders/lock_objects.py). A stream row is locked on its
own while its lifecycle, featured products, live prices or coupon drops change (promotions' rows it then writes
come after it). Heartbeats credit viewer sessions with one upsert each batch (services.room.record_heartbeats)."""

from __future__ import annotations

from livestream.models import Stream


def locked_stream(stream: Stream) -> Stream:
    """The stream, locked (its store and creator are read with it, not locked)."""
    return Stream.objects.select_for_update(of=("self",)).select_related("store", "creator").get(pk=stream.pk)
