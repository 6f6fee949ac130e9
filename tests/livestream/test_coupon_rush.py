"""A coupon drop under a rush of viewers: the quantity and the per-shopper limit hold."""

import threading

import pytest
from asgiref.sync import async_to_sync
from django.db import connection

from livestream import services
from marketplace.api import DomainError
from promotions.models import IssuedCoupon
from tests.accounts.factories import UserFactory
from tests.livestream.factories import StreamFactory
from tests.livestream.room import join, leave, next_of

pytestmark = pytest.mark.django_db(transaction=True)

DROP = {"name": "整点抢券", "off": "20.00", "threshold": "199.00"}


def live_stream_with_drop(quantity: int):
    stream = StreamFactory()
    host = stream.store.merchant.owner
    services.go_live(stream, by=host)
    return stream, services.drop_coupon(stream, by=host, quantity=quantity, **DROP)


def test_many_threads_claiming_at_once_never_exceed_the_quantity():
    stream, drop = live_stream_with_drop(quantity=7)
    shoppers = UserFactory.create_batch(30)
    start = threading.Barrier(len(shoppers) + 5)
    outcomes: list[str] = []
    lock = threading.Lock()

    def claim(shopper):
        start.wait()
        try:
            services.claim_drop(stream.pk, drop.pk, shopper)
            result = "ok"
        except DomainError as exc:
            result = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    # 30 shoppers, and 5 of them hammering twice (a double tap must not give two coupons)
    threads = [threading.Thread(target=claim, args=(s,)) for s in shoppers + shoppers[:5]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("ok") == 7
    assert set(outcomes) <= {"ok", "sold_out", "limit_reached"}
    assert IssuedCoupon.objects.filter(template=drop.template).count() == 7
    assert IssuedCoupon.objects.filter(template=drop.template).values("shopper").distinct().count() == 7
    drop.template.refresh_from_db()
    assert drop.template.issued_count == 7


def test_viewers_claim_in_the_room_and_everyone_sees_the_stock_fall():
    stream, drop = live_stream_with_drop(quantity=3)
    shoppers = UserFactory.create_batch(8)

    async def scenario():
        rooms = [(await join(stream.pk, shopper))[0] for shopper in shoppers]
        anonymous, hello = await join(stream.pk)
        assert hello["drops"][0]["id"] == drop.pk and hello["drops"][0]["remaining"] == 3
        for room in rooms:
            await room.send_json_to({"type": "claim", "drop": drop.pk})
        results = []
        for room in rooms:
            while True:
                event = await room.receive_json_from(timeout=10)
                if event["type"] == "claimed":
                    results.append("ok")
                    break
                if event["type"] == "error":
                    results.append(event["code"])
                    break
        assert results.count("ok") == 3 and results.count("sold_out") == 5
        stock = await next_of(anonymous, "coupon_stock")
        while stock["remaining"] != 0:
            stock = await next_of(anonymous, "coupon_stock")
        await anonymous.send_json_to({"type": "claim", "drop": drop.pk})
        assert (await next_of(anonymous, "error"))["code"] == "login_required"
        await leave(anonymous, *rooms)

    async_to_sync(scenario)()
    assert IssuedCoupon.objects.filter(template=drop.template, live_stream_id=stream.pk).count() == 3
