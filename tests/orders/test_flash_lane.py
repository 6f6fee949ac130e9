"""The flash-sale lane (orders.flash_lane) as uvicorn serves it: the buyers it answers get the view's answers, with
the same headers, and everything it cannot answer reaches Django with its body intact and nothing taken."""

import json
import threading
import uuid

import httpx
import pytest
from asgiref.sync import async_to_sync
from django.db.backends.signals import connection_created
from rest_framework.authtoken.models import Token

from accounts.backends import _process_users
from orders import flash, flash_orders
from orders.flash_lane import FlashBuyLane
from tests.orders.helpers import shopper_with_address, sku_in

pytestmark = pytest.mark.django_db(transaction=True)  # Django answers on the server's threads, as in production


@pytest.fixture(autouse=True)
def no_writer(monkeypatch):
    monkeypatch.setattr(flash_orders, "schedule_writer", lambda sku_id: None)
    _process_users.clear()  # each test starts with a server process that has seen no token


@pytest.fixture(autouse=True)
def serving_threads_connections():
    """The server's threads outlive the test; their database sessions must not outlive the test database."""
    opened, test_thread = [], threading.get_ident()

    def count(sender, connection, **kwargs):
        if threading.get_ident() != test_thread:
            opened.append(connection)

    connection_created.connect(count)
    yield
    connection_created.disconnect(count)
    for wrapper in opened:
        if wrapper.connection is not None:
            wrapper.connection.close()


class Spy:
    """The Django side of the lane: records the requests handed on, with their bodies."""

    def __init__(self):
        from marketplace.asgi import application

        self.app = application.application_mapping["http"].app
        self.bodies: list[bytes] = []

    async def __call__(self, scope, receive, send):
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        self.bodies.append(body)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return {"type": "http.disconnect"}

        await self.app(scope, replay, send)


def armed_sale(armed, stock: int):
    """An armed flash sale of a new SKU, and a lane in front of Django as uvicorn serves it."""
    sku = sku_in(stock=stock)
    armed(sku)
    spy = Spy()
    return sku, spy, FlashBuyLane(spy)


def serve(requests, app) -> list[httpx.Response]:
    """Send (method, path, headers, body) in order through ``app`` as one HTTP client."""

    async def run():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return [
                await client.request(method, path, headers=headers, content=body)
                for method, path, headers, body in requests
            ]

    return async_to_sync(run)()


def buy_request(sku, token, address_id, key=None, language="zh-CN", **extra):
    body = json.dumps({"idempotency_key": key or uuid.uuid4().hex, "address": address_id, **extra}).encode()
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json", "Accept-Language": language}
    return ("POST", f"/api/v1/flash/{sku.pk}/buy/", headers, body)


def opens_sale(sku, token):
    return ("GET", f"/api/v1/flash/{sku.pk}/", {"Authorization": f"Token {token}"}, b"")


def shopper(sku):
    user, address = shopper_with_address()
    return user, Token.objects.create(user=user).key, address


def comparable(response) -> dict:
    return {name: value for name, value in response.headers.items() if name not in ("content-length", "date", "server")}


def test_buyers_get_the_views_answers_from_the_lane(armed):
    sku, spy, lane = armed_sale(armed, stock=1)
    _, first_token, first_address = shopper(sku)
    _, late_token, late_address = shopper(sku)
    opened = serve([opens_sale(sku, first_token), opens_sale(sku, late_token)], lane)
    assert [response.status_code for response in opened] == [200, 200]
    answers = serve([
        buy_request(sku, first_token, first_address.pk, key="k1"),
        buy_request(sku, first_token, first_address.pk, key="k1"),
        buy_request(sku, late_token, late_address.pk, language="zh-CN"),
        buy_request(sku, late_token, late_address.pk, language="en"),
    ], lane)  # fmt: skip
    assert len(spy.bodies) == 2  # only the two sale pages reached Django
    admitted, again, refused_zh, refused_en = answers
    assert admitted.status_code == 202
    assert admitted.json() == {"ticket": admitted.json()["ticket"], "status": "queued", "sku": sku.pk, "units": 1}
    assert again.status_code == 200 and again.json()["ticket"] == admitted.json()["ticket"]
    assert refused_zh.status_code == refused_en.status_code == 409
    assert refused_en.json() == {"detail": "Sold out. Everything on offer has been taken.", "code": "out_of_stock"}
    assert refused_zh.json()["code"] == "out_of_stock" and refused_zh.json()["detail"] != refused_en.json()["detail"]

    # The same requests answered by Django alone (the view's own fast path and DRF): the same bodies and headers.
    django_answers = serve([
        buy_request(sku, first_token, first_address.pk, key="k1"),
        buy_request(sku, late_token, late_address.pk, language="zh-CN"),
        buy_request(sku, late_token, late_address.pk, language="en"),
    ], spy.app)  # fmt: skip
    assert [response.status_code for response in django_answers] == [200, 409, 409]
    for ours, theirs in zip((again, refused_zh, refused_en), django_answers, strict=True):
        assert ours.json() == theirs.json()
        assert comparable(ours) == comparable(theirs)
        assert ours.headers["content-length"] == str(len(ours.content))
    assert flash.reconcile(sku.pk).agrees and flash.client().get(flash.key(sku.pk)) == b"0"


def test_what_the_lane_cannot_answer_reaches_django_whole_with_nothing_taken(armed):
    sku, spy, lane = armed_sale(armed, stock=5)
    user, token, address = shopper(sku)
    _, stranger_token, stranger_address = shopper(sku)
    serve([opens_sale(sku, token)], lane)
    method, path, headers, body = buy_request(sku, token, address.pk)
    handed_on = [
        (method, path, {**headers, "Content-Type": "text/plain"}, body),
        (method, path, headers, b'{"idempotency_key": '),  # not JSON
        (method, path, headers, json.dumps({"idempotency_key": "k", "address": address.pk, "quantity": 0}).encode()),
        buy_request(sku, token, stranger_address.pk),  # not one of the shopper's addresses
        buy_request(sku, "no-such-token", address.pk),
        (method, path, {**headers, "Cookie": "sessionid=abc"}, body),
        (method, path, {**headers, "Host": "evil.example"}, body),
    ]
    answers = serve(handed_on, lane)
    assert spy.bodies[1:] == [request[3] for request in handed_on]  # every one reached Django, its body intact
    assert [response.status_code for response in answers[:4]] == [415, 400, 400, 400]
    assert answers[4].status_code in (401, 403)  # as DRF answers an unknown token
    assert [response.status_code for response in answers[5:]] == [202, 400]
    assert answers[2].json()["code"] == "invalid_quantity"
    assert answers[3].json()["code"] == "invalid_address"
    # Only the buy Django admitted (a session cookie Django did not know: the token decides) took a unit.
    assert flash.client().get(flash.key(sku.pk)) == b"4"


def test_a_revoked_token_is_handed_to_django_and_refused(armed):
    sku, spy, lane = armed_sale(armed, stock=5)
    user, token, address = shopper(sku)
    assert serve([opens_sale(sku, token), buy_request(sku, token, address.pk)], lane)[1].status_code == 202
    assert len(spy.bodies) == 1
    Token.objects.filter(user=user).delete()  # logout: the token's cache entry goes
    refused = serve([buy_request(sku, token, address.pk)], lane)[0]
    assert refused.status_code in (401, 403) and len(spy.bodies) == 2
    assert flash.client().get(flash.key(sku.pk)) == b"4"


def test_a_sale_that_ended_is_answered_by_django_with_the_order_already_written(armed):
    sku, spy, lane = armed_sale(armed, stock=5)
    _, token, address = shopper(sku)
    serve([opens_sale(sku, token), buy_request(sku, token, address.pk, key="k9")], lane)
    flash_orders.write_queued(sku.pk)
    flash.disarm(sku.pk)
    placed = serve([buy_request(sku, token, address.pk, key="k9")], lane)[0]
    assert placed.status_code == 200 and placed.json()["status"] == "placed" and placed.json()["order"]
    assert len(spy.bodies) == 2  # no sale in Redis: the order was found in the database by Django


def test_with_redis_unreachable_from_the_lane_django_answers_the_buyer(armed, monkeypatch):
    import redis.asyncio

    from orders import flash_lane

    sku, spy, lane = armed_sale(armed, stock=5)
    _, token, address = shopper(sku)
    serve([opens_sale(sku, token)], lane)
    unreachable = redis.asyncio.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    monkeypatch.setattr(flash_lane, "shared_async", lambda: unreachable)
    admitted = serve([buy_request(sku, token, address.pk)], lane)[0]
    assert admitted.status_code == 202 and len(spy.bodies) == 2
    assert flash.client().get(flash.key(sku.pk)) == b"4"
