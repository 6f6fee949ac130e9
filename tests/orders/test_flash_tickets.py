"""Flash-sale write-behind: buyers are answered from Redis (a ticket), workers write the orders in batches, and
Redis and PostgreSQL never disagree about what was sold."""

import time
import uuid

import pytest

from marketplace.api import DomainError
from orders import flash, flash_orders
from orders.models import Order, OrderLine, SubOrderEvent
from shops.models import StockLevel
from tests.accounts.factories import AddressFactory
from tests.orders.helpers import run_threads, shopper_with_address, sku_in


@pytest.fixture(autouse=True)
def writers_scheduled(request, monkeypatch):
    """The SKUs a buy asked a writer task for. Tests drive the writer themselves, so no task is sent: a worker
    left running by another test would race them for the tickets (the real-worker test sends them)."""
    scheduled = []
    if "celery_worker" not in request.fixturenames:
        monkeypatch.setattr(flash_orders, "schedule_writer", scheduled.append)
    return scheduled


def buy(user, address, sku, quantity=1, key=None):
    return flash_orders.buy(
        shopper=user, sku_id=sku.pk, address_id=address.pk, quantity=quantity, idempotency_key=key or uuid.uuid4().hex
    )


def db_stock(sku) -> int:
    return StockLevel.objects.get(sku=sku).quantity


@pytest.mark.django_db
def test_a_ticket_takes_units_in_redis_only_and_the_writer_places_the_order(armed, writers_scheduled):
    sku = sku_in(stock=5, price="88.00")
    armed(sku)
    user, address = shopper_with_address()
    purchase = buy(user, address, sku, 2, key="k1")
    assert purchase.new and purchase.ticket_id
    assert db_stock(sku) == 5 and Order.objects.count() == 0  # nothing written yet
    check = flash.reconcile(sku.pk)
    assert check.redis_units == 5 and check.agrees  # counter 3 + pending 2 == database 5
    assert flash_orders.ticket_of(user, purchase.ticket_id)["status"] == "queued"
    buy(user, address, sku, 1)
    assert writers_scheduled == [sku.pk]  # the first ticket starts a writer; the next finds one scheduled

    assert flash_orders.write_queued(sku.pk) == 2
    status = flash_orders.ticket_of(user, purchase.ticket_id)
    order = Order.objects.get(shopper=user, idempotency_key="k1")
    assert status["status"] == "placed" and status["order"] == order.number
    line = OrderLine.objects.get(suborder__order=order)
    assert (line.quantity, line.unit_price, order.payable) == (2, 88, 176)
    assert order.shipping_address["id"] == address.pk and order.status == Order.Status.AWAITING_PAYMENT
    assert SubOrderEvent.objects.filter(suborder__order=order, kind="placed").count() == 1
    assert db_stock(sku) == 2 and flash.reconcile(sku.pk).agrees


@pytest.mark.django_db
def test_the_same_key_returns_the_same_ticket_then_the_order(armed):
    sku = sku_in(stock=5)
    armed(sku)
    user, address = shopper_with_address()
    first = buy(user, address, sku, key="again")
    second = buy(user, address, sku, key="again")
    assert (second.ticket_id, second.new) == (first.ticket_id, False)
    assert flash.reconcile(sku.pk).redis_units == 5 and flash.client().get(flash.key(sku.pk)) == b"4"
    flash_orders.write_queued(sku.pk)
    third = buy(user, address, sku, key="again")
    assert third.ticket_id is None and third.order_number == Order.objects.get().number
    assert Order.objects.count() == 1 and db_stock(sku) == 4


@pytest.mark.django_db
def test_bad_requests_are_refused_before_any_units_are_taken(armed):
    sku = sku_in(stock=1)
    user, address = shopper_with_address()
    with pytest.raises(DomainError) as exc:
        buy(user, address, sku)
    assert exc.value.code == "no_flash_sale"
    armed(sku)
    for kwargs, code in [
        ({"address_id": AddressFactory().pk}, "invalid_address"),  # another shopper's address
        ({"address_id": "x"}, "invalid_address"),
        ({"quantity": 0}, "invalid_quantity"),
        ({"idempotency_key": ""}, "invalid_key"),
    ]:
        arguments = {"shopper": user, "sku_id": sku.pk, "address_id": address.pk, "quantity": 1}
        with pytest.raises(DomainError) as exc:
            flash_orders.buy(**{**arguments, "idempotency_key": "k", **kwargs})
        assert exc.value.code == code
    buy(user, address, sku)
    late, late_address = shopper_with_address()
    with pytest.raises(DomainError) as exc:
        buy(late, late_address, sku)
    assert (exc.value.code, exc.value.status_code) == ("out_of_stock", 409)
    assert flash.reconcile(sku.pk).agrees


@pytest.mark.django_db
def test_a_ticket_that_cannot_become_an_order_fails_alone_and_gives_its_units_back(armed):
    sku = sku_in(stock=6, per_shopper_limit=2)
    armed(sku)
    greedy, greedy_address = shopper_with_address()
    fine, fine_address = shopper_with_address()
    over = buy(greedy, greedy_address, sku, 3)  # above the per-shopper limit: only the writer knows the history
    within = buy(fine, fine_address, sku, 2)
    assert flash.client().get(flash.key(sku.pk)) == b"1"
    flash_orders.write_queued(sku.pk)
    refused = flash_orders.ticket_of(greedy, over.ticket_id)
    assert refused["status"] == "failed" and "limit" in refused["reason"]
    assert flash_orders.ticket_of(fine, within.ticket_id)["status"] == "placed"
    assert flash.client().get(flash.key(sku.pk)) == b"4"  # the 3 refused units are on offer again
    assert db_stock(sku) == 4 and flash.reconcile(sku.pk).agrees


@pytest.mark.django_db
def test_stock_taken_away_under_the_sale_fails_the_late_tickets_never_oversells(armed):
    sku = sku_in(stock=4)
    armed(sku)
    buyers = [shopper_with_address() for _ in range(4)]
    tickets = [buy(user, address, sku).ticket_id for user, address in buyers]
    StockLevel.objects.filter(sku=sku).update(quantity=2)  # the merchant corrected the stock mid-sale
    flash_orders.write_queued(sku.pk)
    statuses = [
        flash_orders.ticket_of(user, ticket)["status"] for (user, _a), ticket in zip(buyers, tickets, strict=True)
    ]
    assert sorted(statuses) == ["failed", "failed", "placed", "placed"]
    assert db_stock(sku) == 0 and Order.objects.count() == 2
    assert flash.reconcile(sku.pk, repair=True).database_units == 0
    assert flash.reconcile(sku.pk).agrees and flash.client().get(flash.key(sku.pk)) == b"0"


@pytest.mark.django_db
def test_a_batch_written_but_not_acknowledged_is_placed_once_when_reclaimed(armed, monkeypatch):
    sku = sku_in(stock=5)
    armed(sku)
    buyers = [shopper_with_address() for _ in range(3)]
    for user, address in buyers:
        buy(user, address, sku)
    tickets = flash.next_tickets(sku.pk, "crashed-writer", 10)
    flash_orders.write(sku.pk, tickets)  # committed, then the writer died before finishing the tickets
    assert Order.objects.count() == 3 and db_stock(sku) == 2
    monkeypatch.setattr(flash, "RECLAIM_IDLE_MS", 0)
    assert flash_orders.write_queued(sku.pk) == 3  # another writer reclaims the pending tickets
    assert Order.objects.count() == 3 and db_stock(sku) == 2
    assert flash.queued_tickets(sku.pk) == 0 and flash.reconcile(sku.pk).agrees
    flash.finish_tickets(sku.pk, [flash.Outcome(t, order_number="late") for t in tickets])  # the dead one wakes up
    assert flash.reconcile(sku.pk).agrees and flash.client().get(flash.key(sku.pk)) == b"2"


@pytest.mark.django_db(transaction=True)
def test_many_buyers_at_once_get_exactly_the_stock(armed):
    sku = sku_in(stock=7)
    armed(sku)
    buyers = [shopper_with_address() for _ in range(24)]
    outcomes, errors = run_threads(len(buyers), lambda index: "queued" if buy(*buyers[index], sku).new else "again")
    assert errors == [] and outcomes.count("queued") == 7 and outcomes.count("out_of_stock") == 17
    settled, errors = run_threads(2, lambda _index: flash_orders.write_queued(sku.pk))
    assert errors == [] and sum(settled) == 7
    assert sum(OrderLine.objects.filter(sku=sku).values_list("quantity", flat=True)) == 7
    assert Order.objects.count() == 7 and db_stock(sku) == 0
    check = flash.reconcile(sku.pk)
    assert check.agrees and check.redis_units == 0 and flash.queued_tickets(sku.pk) == 0


@pytest.mark.django_db
def test_the_api_answers_at_once_and_shows_the_ticket_to_its_owner_only(armed, api_client):
    sku = sku_in(stock=1)
    user, address = shopper_with_address()
    url = f"/api/v1/flash/{sku.pk}/buy/"
    body = {"idempotency_key": "api-1", "address": address.pk}
    assert api_client.post(url, body).status_code in (401, 403)
    api_client.force_authenticate(user)
    assert api_client.post(url, body).json()["code"] == "no_flash_sale"
    armed(sku)
    assert api_client.post(url, {**body, "quantity": 0}).status_code == 400
    admitted = api_client.post(url, body)
    assert admitted.status_code == 202 and admitted.json()["status"] == "queued"
    ticket = admitted.json()["ticket"]
    assert api_client.post(url, body).status_code == 200 and api_client.post(url, body).json()["ticket"] == ticket
    other, other_address = shopper_with_address()
    api_client.force_authenticate(other)
    sold_out = api_client.post(url, {"idempotency_key": "api-2", "address": other_address.pk})
    assert sold_out.status_code == 409 and sold_out.json()["code"] == "out_of_stock"
    assert api_client.get(f"/api/v1/flash/tickets/{ticket}/").status_code == 404
    api_client.force_authenticate(user)
    assert api_client.get(f"/api/v1/flash/tickets/{ticket}/").json()["status"] == "queued"
    flash_orders.write_queued(sku.pk)
    placed = api_client.get(f"/api/v1/flash/tickets/{ticket}/").json()
    assert placed["status"] == "placed" and api_client.get(f"/api/v1/orders/{placed['order']}/").status_code == 200
    again = api_client.post(url, body)
    assert again.status_code == 200 and again.json() == {"ticket": None, "status": "placed", "order": placed["order"]}


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_writes_the_orders_within_seconds(armed, api_client, celery_worker):
    sku = sku_in(stock=3)
    armed(sku)
    tickets = []
    for _ in range(4):
        user, address = shopper_with_address()
        api_client.force_authenticate(user)
        answer = api_client.post(f"/api/v1/flash/{sku.pk}/buy/", {"idempotency_key": "w", "address": address.pk})
        tickets.append((user, answer.json().get("ticket"), answer.status_code))
    assert [code for _u, _t, code in tickets] == [202, 202, 202, 409]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and flash.queued_tickets(sku.pk):
        time.sleep(0.1)
    assert [flash_orders.ticket_of(user, ticket)["status"] for user, ticket, _c in tickets[:3]] == ["placed"] * 3
    assert Order.objects.count() == 3 and db_stock(sku) == 0 and flash.reconcile(sku.pk).agrees


@pytest.mark.django_db
def test_a_shopper_finds_the_sale_buys_and_follows_the_ticket_to_the_order(armed, client):
    sku = sku_in(stock=2, price="19.90")
    user, address = shopper_with_address()
    client.force_login(user)
    assert "no-flash-sales" in client.get("/flash/").content.decode()
    assert client.get(f"/flash/{sku.pk}/").status_code == 404
    armed(sku)
    listing = client.get("/flash/").content.decode()
    assert f"/flash/{sku.pk}/" in listing and "Units left: 2" in listing
    assert client.get(f"/flash/{sku.pk}/").status_code == 200
    bad = client.post(f"/flash/{sku.pk}/", {"key": "p1", "address": AddressFactory().pk}, follow=True)
    assert "Choose one of your delivery addresses" in bad.content.decode()
    bought = client.post(f"/flash/{sku.pk}/", {"key": "p1", "address": address.pk, "quantity": "1"})
    ticket_url = bought["Location"]
    assert ticket_url.startswith("/flash/tickets/")
    assert client.post(f"/flash/{sku.pk}/", {"key": "p1", "address": address.pk})["Location"] == ticket_url
    queued = client.get(ticket_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="queued"' in queued and "every 1s" in queued
    client.force_login(shopper_with_address()[0])
    assert client.get(ticket_url).status_code == 404  # another shopper's ticket
    client.force_login(user)
    flash_orders.write_queued(sku.pk)
    placed = client.get(ticket_url).content.decode()
    order = Order.objects.get(shopper=user)
    assert 'data-status="placed"' in placed and f"/orders/{order.number}/" in placed
    assert client.post(f"/flash/{sku.pk}/", {"key": "p1", "address": address.pk})["Location"] == (
        f"/orders/{order.number}/"
    )


@pytest.mark.django_db
def test_a_refused_ticket_reads_in_the_shoppers_language_whatever_the_writers(armed):
    from django.utils import translation

    sku = sku_in(stock=6, per_shopper_limit=2)
    armed(sku)
    greedy, greedy_address = shopper_with_address()
    over = buy(greedy, greedy_address, sku, 3)
    with translation.override("zh-hans"):  # a writer run inside a Chinese request stores the same message id
        flash_orders.write_queued(sku.pk)
    with translation.override("zh-hans"):
        assert flash_orders.ticket_of(greedy, over.ticket_id)["reason"] == "您已达到该商品的限购数量。"
    with translation.override("en"):
        assert flash_orders.ticket_of(greedy, over.ticket_id)["reason"] == "You have reached the limit for this item."
