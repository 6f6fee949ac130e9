"""Helpers to drive the live room through channels' WebsocketCommunicator on the real Redis channel layer."""

import asyncio

from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings

from livestream.routing import websocket_urlpatterns

application = URLRouter(websocket_urlpatterns)


def assert_real_layer():
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"


async def join(stream_id: int, user=None) -> tuple[WebsocketCommunicator, dict]:
    """Connect one viewer; returns the communicator and the hello snapshot."""
    from django.contrib.auth.models import AnonymousUser

    communicator = WebsocketCommunicator(application, f"/ws/live/{stream_id}/")
    communicator.scope["user"] = user or AnonymousUser()
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    hello = await communicator.receive_json_from(timeout=5)
    assert hello["type"] == "hello"
    return communicator, hello


async def next_of(communicator, kind: str, timeout: float = 5) -> dict:
    """The next event of ``kind`` this viewer receives, skipping others (figures, products...)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            raise AssertionError(f"no {kind} event within {timeout}s")
        event = await communicator.receive_json_from(timeout=remaining)
        if event["type"] == kind:
            return event


async def drain(communicator, seconds: float = 0.3) -> list[dict]:
    """Everything the viewer receives until it has been quiet for ``seconds`` (without cancelling the consumer,
    which a receive timeout would do)."""
    events = []
    while not await communicator.receive_nothing(timeout=seconds):
        events.append(await communicator.receive_json_from())
    return events


async def leave(*communicators):
    for communicator in communicators:
        await communicator.disconnect()
