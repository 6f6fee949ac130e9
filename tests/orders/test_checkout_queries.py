"""A checkout's SQL stays bounded: a 3-store, 6-line cart with a cross-store campaign and an auto-picked coupon
(what bench/checkout.py places over HTTP) costs at most 28 queries in place_order and 29 for the whole API request
(issue 22 allows 30), whatever the number of lines."""

import uuid
from decimal import Decimal

import pytest

from orders import cart as carts
from orders.checkout import place_order
from orders.models import OrderLine, StockDraw
from promotions.models import CampaignSpend, IssuedCoupon
from shops.models import StockLevel
from tests.orders.helpers import cart_of, shopper_with_address, sku_in
from tests.promotions.factories import CampaignFactory, EnrollmentFactory, IssuedCouponFactory
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def three_store_cart():
    """Every 300 off 50 across three enrolled stores, two 120.00 SKUs per store in the cart, a platform coupon
    200 off 20 the engine picks by itself."""
    stores = [StoreFactory() for _ in range(3)]
    campaign = CampaignFactory(platform_share=D("0.40"), budget=D("100000.00"))
    for store in stores:
        EnrollmentFactory(campaign=campaign, store=store)
    skus = [sku_in(store, price="120.00", stock=5) for store in stores for _ in range(2)]
    shopper, address = shopper_with_address()
    coupon = IssuedCouponFactory(shopper=shopper)
    cart = cart_of(shopper)
    for sku in skus:
        carts.add_item(cart, sku_id=sku.pk, quantity=1, shopper=shopper)
    return shopper, address, cart, skus, campaign, coupon


def test_checkout_of_a_three_store_cart_takes_at_most_28_queries(three_store_cart, django_assert_max_num_queries):
    shopper, address, cart, skus, campaign, coupon = three_store_cart
    with django_assert_max_num_queries(28):
        order, created = place_order(
            shopper=shopper, cart=cart, idempotency_key=uuid.uuid4().hex, address_id=address.pk
        )
    assert created
    # 720.00 of goods: the campaign takes 2 x 50, the coupon 20; one sub-order per store, every line reserved.
    assert (order.subtotal, order.discount) == (D("720.00"), D("120.00"))
    assert order.coupons_used == [coupon.pk]
    assert sorted(order.suborders.values_list("store_id", flat=True)) == sorted({sku.store_id for sku in skus})
    assert OrderLine.objects.filter(suborder__order=order).count() == 6
    assert StockDraw.objects.filter(line__suborder__order=order).count() == 6
    assert set(StockLevel.objects.filter(sku__in=skus).values_list("quantity", flat=True)) == {4}
    assert IssuedCoupon.objects.get(pk=coupon.pk).status == IssuedCoupon.Status.USED
    assert CampaignSpend.objects.get(order_id=order.pk, campaign=campaign).amount > 0
    assert not cart.items.exists()


def test_the_query_count_does_not_grow_with_the_lines(three_store_cart, django_assert_max_num_queries):
    shopper, address, cart, skus, _campaign, _coupon = three_store_cart
    for sku in skus:
        carts.add_item(cart, sku_id=sku_in(sku.store, price="35.00").pk, quantity=2, shopper=shopper)
    with django_assert_max_num_queries(28):
        order, _created = place_order(
            shopper=shopper, cart=cart, idempotency_key=uuid.uuid4().hex, address_id=address.pk
        )
    assert OrderLine.objects.filter(suborder__order=order).count() == 12


def test_the_bulk_line_checks_answer_as_the_single_ones():
    """A closed store, a product off the shelf, an option no longer sold, a line over its stock (pickup stock at an
    outlet counts, an inactive outlet's does not) and a fine line: line_problems says what check_quantity says."""
    import datetime

    from django.utils import timezone

    from orders.cart_limits import line_problems
    from shops.models import Product, StockPool, StoreClosure
    from tests.shops.factories import OutletFactory

    shopper, _address = shopper_with_address()
    closed, open_store = StoreFactory(), StoreFactory()
    today = timezone.localdate()
    StoreClosure.objects.create(store=closed, starts_on=today, ends_on=today + datetime.timedelta(days=2))
    off_shelf = sku_in(open_store)
    Product.objects.filter(pk=off_shelf.product_id).update(status=Product.Status.DISABLED)
    outlet, shut = OutletFactory(store=open_store), OutletFactory(store=open_store, is_active=False)
    at_outlet = sku_in(open_store, stock=1)
    StockLevel.objects.create(sku=at_outlet, outlet=outlet, pool=StockPool.OUTLET, quantity=4)
    StockLevel.objects.create(sku=at_outlet, outlet=shut, pool=StockPool.SHARED, quantity=50)
    lines = [
        (sku_in(closed), 1),
        (off_shelf, 1),
        (sku_in(open_store, is_active=False), 1),
        (sku_in(open_store, stock=2), 3),
        (at_outlet, 4),
        (at_outlet, 5),
        (sku_in(open_store, stock=0), 1),
        (sku_in(open_store), 2),
    ]
    cart = cart_of(shopper)
    items = [cart.items.create(sku=sku, quantity=quantity) for sku, quantity in lines[:4] + lines[5:]]
    items.insert(4, cart.items.model(pk=0, cart=cart, sku=lines[4][0], quantity=4))  # the same SKU, 4 units
    rows = list(cart.items.select_related(*carts.CART_LINE_RELATIONS).order_by("pk")) + [items[4]]

    def single(item):
        try:
            carts.check_quantity(item.sku, item.quantity, shopper)
        except Exception as exc:  # noqa: BLE001 - DomainError carries the message compared below
            return exc.message
        return None

    bulk = line_problems(rows, shopper)
    assert {item.pk: single(item) for item in rows} == bulk
    assert sum(problem is None for problem in bulk.values()) == 2  # 4 units at the outlet, and the fine line


@pytest.mark.parametrize("extras", [{}, {"invoice": {"kind": "personal", "title": "张三"}}])
def test_the_checkout_answer_is_the_order_as_read_back(three_store_cart, extras):
    """The API answers a new order from the rows it just wrote (no read-back): the same body as reading it again,
    notes, invoices, discounts and the "placed" events included; a repeated key reads the order back."""
    from rest_framework.test import APIClient

    from orders.selectors import order_for_shopper
    from orders.serializers import OrderSerializer

    shopper, address, cart, skus, _campaign, _coupon = three_store_cart
    client = APIClient()
    client.force_authenticate(shopper)
    body = {
        "idempotency_key": uuid.uuid4().hex,
        "address": address.pk,
        "notes": [{"store": skus[0].store_id, "note": "请尽快发货"}],
        **extras,
    }
    answer = client.post("/api/v1/checkout/", body, format="json")
    assert answer.status_code == 201, answer.content
    order = order_for_shopper(shopper, answer.json()["number"])
    read_back = client.post("/api/v1/checkout/", body, format="json")
    assert read_back.status_code == 200
    import json

    from rest_framework.renderers import JSONRenderer

    stored = json.loads(JSONRenderer().render(OrderSerializer(order).data))
    assert answer.json() == stored == read_back.json()
    assert [len(s["lines"]) for s in stored["suborders"]] == [2, 2, 2]
    assert all(s["events"][0]["kind"] == "placed" for s in stored["suborders"])
    assert any(line["discounts"] for s in stored["suborders"] for line in s["lines"])
    assert (stored["suborders"][0]["invoice"] is not None) == bool(extras)


def test_the_whole_checkout_request_takes_at_most_29_queries(three_store_cart, django_assert_max_num_queries):
    """Authentication aside (forced here), the request is the cart, place_order and the answer: the answer comes from
    the rows just written, not from reading the order back."""
    from rest_framework.test import APIClient

    shopper, address, _cart, _skus, _campaign, _coupon = three_store_cart
    client = APIClient()
    client.force_authenticate(shopper)
    with django_assert_max_num_queries(29):  # the shopper's cart, then place_order's 28
        answer = client.post(
            "/api/v1/checkout/", {"idempotency_key": uuid.uuid4().hex, "address": address.pk}, format="json"
        )
    assert answer.status_code == 201, answer.content
    assert len(answer.json()["suborders"]) == 3
