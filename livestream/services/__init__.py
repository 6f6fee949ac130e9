"""Every write of the livestream app: hosts, streams and their lifecycle, featured products and live prices, coupon
drops, moderation, and what the room's consumer asks (chat, likes, presence, claims). Views, API and the consumer
call these and stay thin. Events for the room are broadcast after the transaction commits.
"""

from livestream.lock_objects import locked_stream
from livestream.services.common import (
    HEARTBEAT_CREDIT_CAP,
    HEARTBEAT_SECONDS,
    LIKE_FLUSH_MS,
    MAX_DROP_QUANTITY,
    MAX_FEATURED,
    MAX_ID,
    VIEWERS_FLUSH_MS,
    broadcast,
    is_id,
)
from livestream.services.drops import claim_drop, drop_coupon
from livestream.services.featured import feature_product, pin, remove_featured, reorder_featured, set_live_price
from livestream.services.hosts import (
    creator_for,
    managed_stream,
    managed_streams,
    policy_for,
    save_creator_profile,
    set_creator_policy,
)
from livestream.services.room import (
    add_likes,
    check_like,
    flush_figures,
    is_host,
    is_muted,
    like,
    mute,
    post_chat,
    record_heartbeats,
    record_leave,
    record_presence,
    room_state,
    room_stream,
    unmute,
    viewer_key,
)
from livestream.services.streams import create_stream, delete_stream, end_stream, go_live, update_stream
from marketplace.api import DomainError

__all__ = [
    "DomainError",
    "HEARTBEAT_CREDIT_CAP",
    "HEARTBEAT_SECONDS",
    "LIKE_FLUSH_MS",
    "MAX_DROP_QUANTITY",
    "MAX_FEATURED",
    "MAX_ID",
    "VIEWERS_FLUSH_MS",
    "broadcast",
    "claim_drop",
    "create_stream",
    "creator_for",
    "delete_stream",
    "drop_coupon",
    "end_stream",
    "feature_product",
    "flush_figures",
    "go_live",
    "is_host",
    "is_id",
    "is_muted",
    "like",
    "add_likes",
    "check_like",
    "locked_stream",
    "managed_stream",
    "managed_streams",
    "mute",
    "pin",
    "policy_for",
    "post_chat",
    "record_heartbeats",
    "record_leave",
    "record_presence",
    "remove_featured",
    "reorder_featured",
    "room_state",
    "room_stream",
    "save_creator_profile",
    "set_creator_policy",
    "set_live_price",
    "unmute",
    "update_stream",
    "viewer_key",
]
