"""The REST API for cart, addresses, checkout, orders, payments and the merchant's sub-orders."""

from decimal import Decimal

import pytest

from orders.models import Order, SubOrder
from payments.models import CallbackDelivery
from payments.services import handle_callback
from tests.accounts.factories import AddressFactory, UserFactory
from tests.orders.helpers import shopper_with_address, sku_in
from tests.shops.factories import StoreFactory, TmallStoreFactory

D = Decimal
pytestmark = pytest.mark.django_db


def test_cart_checkout_pay_ship_receive_through_the_api(api_client):
    user, address = shopper_with_address()
    taobao, tmall = StoreFactory(), TmallStoreFactory()
    a, b = sku_in(taobao, price="10.00"), sku_in(tmall, price="99.00")
    api_client.force_authenticate(user)
    assert api_client.post("/api/v1/cart/items/", {"sku": a.pk, "quantity": 3}).status_code == 201
    cart = api_client.post("/api/v1/cart/items/", {"sku": b.pk, "quantity": 1, "source": "live:3"}).json()
    assert cart["payable"] == "129.00" and len(cart["stores"]) == 2 and cart["can_checkout"]
    line_id = cart["stores"][0]["lines"][0]["id"]
    assert api_client.patch(f"/api/v1/cart/items/{line_id}/", {"quantity": 0}).status_code == 400
    assert api_client.patch(f"/api/v1/cart/items/{line_id}/", {"quantity": 2}).status_code == 200

    options = api_client.get("/api/v1/checkout/options/").json()
    assert {o["store"] for o in options} == {taobao.pk, tmall.pk}
    body = {"idempotency_key": "abc", "address": address.pk, "expected_payable": "119.00"}
    created = api_client.post("/api/v1/checkout/", body, format="json")
    assert created.status_code == 201, created.json()
    order = created.json()
    assert order["payable"] == "119.00" and len(order["suborders"]) == 2
    assert api_client.post("/api/v1/checkout/", body, format="json").status_code == 200  # same key, same order
    assert Order.objects.count() == 1
    live_line = next(line for s in order["suborders"] for line in s["lines"] if line["sku"] == b.pk)
    assert live_line["source"] == "live:3"

    start = api_client.post(f"/api/v1/orders/{order['number']}/pay/").json()
    assert start["status"] == "redirect" and start["payment"]["redirect_url"].startswith("/pay/sandbox/")
    reference = start["payment"]["reference"]
    assert api_client.post(f"/api/v1/payments/sandbox/{reference}/complete/", {"outcome": "pay"}).status_code == 200
    delivery = CallbackDelivery.objects.get(payment__reference=reference)
    assert handle_callback(delivery.payload.encode(), delivery.signature).status_code == 200
    assert api_client.get(f"/api/v1/payments/{reference}/").json()["status"] == "succeeded"
    detail = api_client.get(f"/api/v1/orders/{order['number']}/").json()
    assert detail["status"] == "paid" and {s["state"] for s in detail["suborders"]} == {"awaiting_shipment"}

    merchant = tmall.merchant.owner
    api_client.force_authenticate(merchant)
    listing = api_client.get("/api/v1/seller/suborders/?state=awaiting_shipment").json()
    assert [row["store"] for row in listing["results"]] == [tmall.pk]
    suborder_id = listing["results"][0]["id"]
    taobao_suborder = SubOrder.objects.get(store=taobao)
    assert api_client.get(f"/api/v1/seller/suborders/{taobao_suborder.pk}/").status_code == 404
    bad = api_client.post(
        f"/api/v1/seller/suborders/{taobao_suborder.pk}/ship/", {"carrier": "SF", "tracking_number": "1"}
    )
    assert bad.status_code == 404
    shipped = api_client.post(
        f"/api/v1/seller/suborders/{suborder_id}/ship/", {"carrier": "SF", "tracking_number": "SF1"}
    )
    assert shipped.status_code == 200 and shipped.json()["state"] == "shipped"
    assert "pickup_code" not in shipped.json()

    api_client.force_authenticate(user)
    received = api_client.post(f"/api/v1/orders/{order['number']}/suborders/{suborder_id}/confirm-receipt/")
    assert received.status_code == 200 and received.json()["state"] == "received"
    kinds = [e["kind"] for e in received.json()["events"]]
    assert kinds == ["placed", "paid", "shipped", "received"]


def test_a_shopper_never_sees_another_shoppers_orders_or_addresses(api_client):
    owner, address = shopper_with_address()
    sku = sku_in()
    api_client.force_authenticate(owner)
    api_client.post("/api/v1/cart/items/", {"sku": sku.pk, "quantity": 1})
    number = api_client.post(
        "/api/v1/checkout/", {"idempotency_key": "k", "address": address.pk}, format="json"
    ).json()["number"]
    api_client.force_authenticate(UserFactory())
    assert api_client.get(f"/api/v1/orders/{number}/").status_code == 404
    assert api_client.get("/api/v1/orders/").json()["results"] == []
    assert api_client.post(f"/api/v1/orders/{number}/pay/").status_code == 404
    assert api_client.post(f"/api/v1/orders/{number}/cancel/").status_code == 404
    assert api_client.get(f"/api/v1/addresses/{address.pk}/").status_code == 404
    assert api_client.get("/api/v1/cart/").json()["stores"] == []


def test_checkout_with_another_shoppers_address_is_a_clear_400(api_client):
    user, _ = shopper_with_address()
    sku = sku_in()
    api_client.force_authenticate(user)
    api_client.post("/api/v1/cart/items/", {"sku": sku.pk, "quantity": 1})
    response = api_client.post(
        "/api/v1/checkout/", {"idempotency_key": "k", "address": AddressFactory().pk}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_address"
    assert not Order.objects.exists()


def test_price_change_between_review_and_submit_is_refused(api_client):
    user, address = shopper_with_address()
    sku = sku_in(price="10.00")
    api_client.force_authenticate(user)
    api_client.post("/api/v1/cart/items/", {"sku": sku.pk, "quantity": 1})
    response = api_client.post(
        "/api/v1/checkout/", {"idempotency_key": "k", "address": address.pk, "expected_payable": "9.00"}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "price_changed"


def test_cancel_unpaid_order_releases_stock_and_paying_it_is_refused(api_client):
    user, address = shopper_with_address()
    sku = sku_in(stock=3)
    api_client.force_authenticate(user)
    api_client.post("/api/v1/cart/items/", {"sku": sku.pk, "quantity": 3})
    number = api_client.post(
        "/api/v1/checkout/", {"idempotency_key": "k", "address": address.pk}, format="json"
    ).json()["number"]
    assert api_client.post("/api/v1/cart/items/", {"sku": sku.pk, "quantity": 1}).status_code == 400  # sold out
    cancelled = api_client.post(f"/api/v1/orders/{number}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    refused = api_client.post(f"/api/v1/orders/{number}/pay/")
    assert refused.status_code == 409 and refused.json()["code"] == "order_cancelled"
    assert api_client.post("/api/v1/cart/items/", {"sku": sku.pk, "quantity": 3}).status_code == 201


def test_address_api_keeps_one_default(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)
    data = {"recipient": "王五", "phone": "13700000000", "province": "上海", "city": "上海", "detail": "南京路 1 号"}
    first = api_client.post("/api/v1/addresses/", data).json()
    assert first["is_default"]
    second = api_client.post("/api/v1/addresses/", {**data, "is_default": True}).json()
    assert second["is_default"]
    rows = {row["id"]: row["is_default"] for row in api_client.get("/api/v1/addresses/").json()}
    assert rows == {first["id"]: False, second["id"]: True}
    assert api_client.post("/api/v1/addresses/", {**data, "phone": "abc"}).status_code == 400


def test_anonymous_api_cart_and_checkout_needs_login(api_client):
    sku = sku_in()
    assert api_client.post("/api/v1/cart/items/", {"sku": sku.pk, "quantity": 1}).status_code == 201
    assert api_client.get("/api/v1/cart/").json()["stores"][0]["lines"][0]["quantity"] == 1
    assert api_client.post("/api/v1/checkout/", {"idempotency_key": "k"}, format="json").status_code in (401, 403)
    assert api_client.post("/api/v1/cart/items/", {"sku": 999999, "quantity": 1}).status_code == 404


def test_buy_now_orders_the_given_lines_and_leaves_the_cart_alone(api_client):
    user, address = shopper_with_address()
    in_cart, bought = sku_in(price="5.00"), sku_in(price="7.00", stock=2)
    api_client.force_authenticate(user)
    api_client.post("/api/v1/cart/items/", {"sku": in_cart.pk, "quantity": 1})
    body = {
        "idempotency_key": "now",
        "address": address.pk,
        "items": [{"sku": bought.pk, "quantity": 2, "source": "live:9"}],
    }
    response = api_client.post("/api/v1/checkout/", body, format="json")
    assert response.status_code == 201 and response.json()["payable"] == "14.00"
    assert response.json()["suborders"][0]["lines"][0]["source"] == "live:9"
    assert [s["lines"][0]["sku"] for s in api_client.get("/api/v1/cart/").json()["stores"]] == [in_cart.pk]
    again = {**body, "idempotency_key": "now-2"}
    sold_out = api_client.post("/api/v1/checkout/", again, format="json")
    assert sold_out.status_code == 400 and sold_out.json()["code"] == "out_of_stock"
