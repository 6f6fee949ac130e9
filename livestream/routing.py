"""WebSocket routes (the livestream room). Mounted by marketplace/asgi.py."""

websocket_urlpatterns: list = []
