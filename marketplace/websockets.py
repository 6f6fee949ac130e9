"""WebSocket plumbing shared by the apps' consumers."""

from __future__ import annotations

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer


class JsonConsumer(AsyncJsonWebsocketConsumer):
    """A JSON consumer whose every database call goes through ``DatabaseSyncToAsync`` (``database_sync_to_async``).

    channels' own dispatch first closes stale database connections on the one thread-sensitive thread, for every
    message of every connection: in a live room of 1,000 viewers that is thousands of hops a second through one
    thread, and it was most of the room's CPU. ``DatabaseSyncToAsync`` closes stale connections around each call
    itself, so a consumer that never touches the ORM outside it has nothing to close per message."""

    async def dispatch(self, message):
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)
