"""WebSocket routes (the livestream room). Mounted by marketplace/asgi.py."""

from django.urls import path

from livestream.consumers import LiveRoomConsumer

websocket_urlpatterns: list = [
    path("ws/live/<int:stream_id>/", LiveRoomConsumer.as_asgi()),
]
