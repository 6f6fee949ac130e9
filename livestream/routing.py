"""WebSocket routes (the livestream room). Mounted by marketplace/asgi.py."""

from django.urls import re_path

from livestream.consumers import LiveRoomConsumer

websocket_urlpatterns: list = [
    # At most 18 digits: an absurd id is refused by the router rather than overflowing a query.
    re_path(r"^ws/live/(?P<stream_id>[0-9]{1,18})/$", LiveRoomConsumer.as_asgi()),
]
