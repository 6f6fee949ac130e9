"""Pages: the live list and room (storefront), the host console and metrics in the workbench (/seller/live/) for
store streams and under /creator/ for creators, the store's creator policy. Every rule is in livestream.services."""

from livestream.views.creator import (
    creator_action,
    creator_console,
    creator_home,
    creator_metrics,
    creator_profile,
    creator_stream_new,
)
from livestream.views.seller import (
    seller_action,
    seller_console,
    seller_creator_policy,
    seller_metrics,
    seller_stream_new,
    seller_streams,
)
from livestream.views.storefront import add_to_cart, claim, live_list, products_partial, watch

__all__ = [
    "add_to_cart",
    "claim",
    "creator_action",
    "creator_console",
    "creator_home",
    "creator_metrics",
    "creator_profile",
    "creator_stream_new",
    "live_list",
    "products_partial",
    "seller_action",
    "seller_console",
    "seller_creator_policy",
    "seller_metrics",
    "seller_stream_new",
    "seller_streams",
    "watch",
]
