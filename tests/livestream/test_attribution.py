"""From the room to a paid order: attribution, live prices at checkout, metrics, and the creator's commission."""

import uuid
from decimal import Decimal

import pytest

from livestream import selectors, services
from livestream import settlement as live_settlement
from orders import services as order_services
from orders.checkout import place_order
from orders.models import Cart
from payments import ledger
from settlement import services as settlement_services
from tests.livestream.factories import CreatorPolicyFactory, CreatorStreamFactory, StreamFactory
from tests.orders.helpers import shopper_with_address
from tests.refunds.helpers import pay
from tests.shops.factories import ProductFactory, SKUFactory

pytestmark = pytest.mark.django_db


def buy_in_room(client, stream, sku, quantity=1, *, paid=True):
    shopper, address = shopper_with_address()
    client.force_login(shopper)
    response = client.post(f"/live/{stream.pk}/cart/", {"sku": sku.pk, "quantity": quantity}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.content
    cart = Cart.objects.get(shopper=shopper)
    order, _ = place_order(shopper=shopper, cart=cart, idempotency_key=uuid.uuid4().hex, address_id=address.pk)
    if paid:
        pay(order)
    return shopper, order


def test_a_paid_order_from_the_room_counts_at_the_live_price(client):
    stream = StreamFactory()
    product = ProductFactory(store=stream.store)
    sku = SKUFactory(product=product, price=Decimal("120.00"))
    services.feature_product(stream, product, live_price="99.00")
    services.go_live(stream, by=stream.store.merchant.owner)

    _shopper, order = buy_in_room(client, stream, sku, quantity=2)
    line = order.suborders.get().lines.get()
    assert line.source == f"live:{stream.pk}"
    assert line.payable == Decimal("198.00")  # the live price applied while live

    buy_in_room(client, stream, sku, quantity=1, paid=False)  # unpaid: not attributed
    figures = selectors.metrics(stream)
    assert figures.orders == 1 and figures.buyers == 1 and figures.units == 2
    assert figures.gmv == Decimal("198.00")


def test_conversion_and_gmv_per_viewer(client):
    stream = StreamFactory()
    product = ProductFactory(store=stream.store)
    sku = SKUFactory(product=product, price=Decimal("50.00"))
    services.feature_product(stream, product)
    services.go_live(stream, by=stream.store.merchant.owner)
    for index in range(4):
        services.record_presence(stream.pk, connection=f"c{index}", key=f"s{index}", user=None)
    buyer, _order = buy_in_room(client, stream, sku)
    services.record_presence(stream.pk, connection="buyer", key=f"u{buyer.pk}", user=buyer)
    figures = selectors.metrics(stream)
    assert figures.unique_viewers == 5
    assert figures.conversion_rate == Decimal("0.2000")
    assert figures.gmv_per_viewer == Decimal("10.00")
    assert client.get(f"/api/v1/live/host/streams/{stream.pk}/metrics/").status_code == 404  # buyer is no host
    client.force_login(stream.store.merchant.owner)
    api = client.get(f"/api/v1/live/host/streams/{stream.pk}/metrics/").json()
    assert api["orders"] == 1 and api["gmv"] == "50.00" and api["unique_viewers"] == 5


def test_the_creator_earns_the_merchants_rate_at_settlement(client):
    policy = CreatorPolicyFactory(commission_rate=Decimal("0.100"))
    stream = CreatorStreamFactory()
    product = ProductFactory(store=policy.store)
    sku = SKUFactory(product=product, price=Decimal("80.00"))
    services.feature_product(stream, product)
    # the merchant changing the rate later does not change what was agreed for this stream
    services.set_creator_policy(policy.store, allows_creators=True, commission_rate="0.3", by=None)
    services.go_live(stream, by=stream.creator.user)

    shopper, order = buy_in_room(client, stream, sku, quantity=3)
    suborder = order.suborders.get()
    assert live_settlement.creator_commission(suborder) == [
        (ledger.creator_payable(stream.creator.user), Decimal("24.00"))
    ]
    assert selectors.metrics(stream).creator_commission == Decimal("24.00")

    order_services.ship(suborder.pk, actor=policy.store.merchant.owner, carrier="SF", tracking_number="SF1")
    order_services.confirm_receipt(suborder.pk, shopper=shopper)
    settled = settlement_services.settle(suborder.pk)
    assert settled is not None and settled.adjustments_total == Decimal("24.00")
    assert abs(ledger.balance(ledger.creator_payable(stream.creator.user))) == Decimal("24.00")


def test_store_streams_pay_no_creator_commission(client):
    stream = StreamFactory()
    product = ProductFactory(store=stream.store)
    sku = SKUFactory(product=product)
    services.feature_product(stream, product)
    services.go_live(stream, by=stream.store.merchant.owner)
    _shopper, order = buy_in_room(client, stream, sku)
    assert live_settlement.creator_commission(order.suborders.get()) == []


def test_the_merchant_sees_what_its_products_sold_in_creator_streams(client):
    policy = CreatorPolicyFactory(commission_rate=Decimal("0.200"))
    stream = CreatorStreamFactory()
    product = ProductFactory(store=policy.store)
    sku = SKUFactory(product=product, price=Decimal("50.00"))
    services.feature_product(stream, product)
    services.go_live(stream, by=stream.creator.user)
    buy_in_room(client, stream, sku, quantity=2)
    sales = selectors.store_sales_in_stream(stream, policy.store)
    assert sales == {"gmv": Decimal("100.00"), "units": 2, "commission": Decimal("20.00")}
    client.force_login(policy.store.merchant.owner)
    page = client.get("/seller/live/creators/").content.decode()
    assert stream.title in page and "20.00" in page
