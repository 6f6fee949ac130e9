"""Drive the chat consumers through channels' WebsocketCommunicator on the real Redis channel layer."""

import asyncio

from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from messaging.routing import websocket_urlpatterns

application = URLRouter(websocket_urlpatterns)


async def connect(path: str, user=None) -> tuple[WebsocketCommunicator, bool, int | None]:
    communicator = WebsocketCommunicator(application, path)
    communicator.scope["user"] = user or AnonymousUser()
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


async def join(conversation_id: int, user) -> WebsocketCommunicator:
    communicator, connected, code = await connect(f"/ws/chat/{conversation_id}/", user)
    assert connected, code
    return communicator


async def next_of(communicator, kind: str, timeout: float = 5) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            raise AssertionError(f"no {kind} event within {timeout}s")
        event = await communicator.receive_json_from(timeout=remaining)
        if event["type"] == kind:
            return event


async def quiet(communicator, seconds: float = 0.3) -> list[dict]:
    events = []
    while not await communicator.receive_nothing(timeout=seconds):
        events.append(await communicator.receive_json_from())
    return events
