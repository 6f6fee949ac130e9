"""The ASGI entry point as uvicorn serves it: HTTP reuses database connections, WebSockets still reach Channels."""

import httpx
import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.db.backends.signals import connection_created

from tests.accounts.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_http_requests_reuse_the_serving_threads_database_connections():
    from marketplace.asgi import application

    UserFactory(username="asgi-reader")
    opened = []

    def count(sender, connection, **kwargs):
        opened.append(connection)

    async def visit(times: int) -> list[int]:
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return [(await client.get("/api/v1/products/")).status_code for _ in range(times)]

    connection_created.connect(count)
    try:
        statuses = async_to_sync(visit)(3 * settings.HTTP_THREADS)
    finally:
        connection_created.disconnect(count)
        for wrapper in opened:  # the serving threads outlive the test; their sessions must not outlive the database
            if wrapper.connection is not None:
                wrapper.connection.close()
    assert set(statuses) == {200}
    # At most one connection per serving thread, however many requests: Django's own ASGI handler opens one per request.
    assert 0 < len(opened) <= settings.HTTP_THREADS
