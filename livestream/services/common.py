"""Shared by the livestream services: limits, id checks, broadcasting to a room."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from livestream import realtime

MAX_FEATURED = 50
MAX_DROP_QUANTITY = 100_000
# Like and viewer-count updates reach viewers at most this often (batched), however many taps or joins there are.
LIKE_FLUSH_MS = 500
VIEWERS_FLUSH_MS = 1000
HEARTBEAT_SECONDS = 15
HEARTBEAT_CREDIT_CAP = 30
MAX_ID = 2**63 - 1


def is_id(value) -> bool:
    """A plausible primary key: an int in the bigint range (an absurd number would overflow the query)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


# -- broadcasting -------------------------------------------------------------------------------------------------


def broadcast(stream_id: int, event: dict) -> None:
    """Send one event to every viewer of the stream, once the current transaction (if any) has committed."""

    def send():
        async_to_sync(get_channel_layer().group_send)(realtime.group_name(stream_id), realtime.room_message(event))

    transaction.on_commit(send)
