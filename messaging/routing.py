"""WebSocket routes of chat. Mounted by marketplace/asgi.py."""

from django.urls import re_path

from messaging.consumers import ConversationConsumer, InboxConsumer

websocket_urlpatterns: list = [
    re_path(r"^ws/chat/inbox/$", InboxConsumer.as_asgi()),
    re_path(r"^ws/chat/(?P<conversation_id>[0-9]{1,18})/$", ConversationConsumer.as_asgi()),
]
