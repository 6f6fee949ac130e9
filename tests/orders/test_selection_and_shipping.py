"""Checkout of a selection of the cart (勾选结算), shipping fees per sub-order, notes and invoice requests (API)."""

from decimal import Decimal

import pytest

from orders.models import Cart, CartItem, Invoice, Order
from tests.accounts.factories import AddressFactory, UserFactory
from tests.orders.helpers import shopper_with_address, sku_in
from tests.promotions.factories import StorePromotionFactory
from tests.shops.factories import ShippingTemplateFactory, StoreFactory

D = Decimal
pytestmark = pytest.mark.django_db


def add(api_client, sku, quantity=1) -> int:
    cart = api_client.post("/api/v1/cart/items/", {"sku": sku.pk, "quantity": quantity}).json()
    return next(line["id"] for store in cart["stores"] for line in store["lines"] if line["sku"] == sku.pk)


def checkout(api_client, address, key="k", **body):
    return api_client.post("/api/v1/checkout/", {"idempotency_key": key, "address": address.pk, **body}, format="json")


def test_checking_out_a_selection_leaves_the_other_items_in_the_cart(api_client):
    user, address = shopper_with_address()
    a, b, c = sku_in(price="10.00"), sku_in(price="20.00"), sku_in(price="30.00")
    api_client.force_authenticate(user)
    ids = [add(api_client, sku) for sku in (a, b, c)]
    response = checkout(api_client, address, items=[ids[0], ids[2]])
    assert response.status_code == 201, response.json()
    order = response.json()
    assert order["payable"] == "40.00"
    assert sorted(line["sku"] for s in order["suborders"] for line in s["lines"]) == sorted([a.pk, c.pk])
    assert list(CartItem.objects.filter(cart__shopper=user).values_list("pk", flat=True)) == [ids[1]]
    # Missing "items" keeps today's behaviour: the whole (remaining) cart.
    rest = checkout(api_client, address, key="k2")
    assert rest.status_code == 201 and rest.json()["payable"] == "20.00"
    assert not CartItem.objects.filter(cart__shopper=user).exists()


@pytest.mark.parametrize("items", [[999999], "not-a-list", [None], []])
def test_unknown_or_malformed_item_ids_are_a_400_and_nothing_is_ordered(api_client, items):
    user, address = shopper_with_address()
    api_client.force_authenticate(user)
    own = add(api_client, sku_in())
    response = checkout(api_client, address, items=[own, *items] if isinstance(items, list) and items else items)
    assert response.status_code == 400
    assert Order.objects.count() == 0 and CartItem.objects.filter(pk=own).exists()


def test_another_shoppers_cart_item_is_refused_with_400(api_client):
    other = UserFactory()
    other_item = CartItem.objects.create(cart=Cart.objects.create(shopper=other), sku=sku_in(), quantity=1)
    user, address = shopper_with_address()
    api_client.force_authenticate(user)
    own = add(api_client, sku_in())
    response = checkout(api_client, address, items=[own, other_item.pk])
    assert response.status_code == 400 and response.json()["code"] == "unknown_cart_item"
    assert Order.objects.count() == 0 and CartItem.objects.filter(pk__in=[own, other_item.pk]).count() == 2


def test_each_suborder_carries_its_shipping_fee_and_the_total_includes_it(api_client):
    user = UserFactory()
    address = AddressFactory(user=user, province="黑龙江省", is_default=True)
    paid_store, free_store = StoreFactory(), StoreFactory()
    template = ShippingTemplateFactory(
        store=paid_store,
        first_fee=D("10.00"),
        additional_fee=D("4.00"),
        regions=[{"provinces": ["黑龙江"], "first_fee": "18.00", "additional_fee": "6.00", "remote": False}],
        is_default=True,
    )
    shipped, free = sku_in(paid_store, price="50.00"), sku_in(free_store, price="30.00")
    api_client.force_authenticate(user)
    add(api_client, shipped, 3)
    add(api_client, free, 1)
    cart = api_client.get("/api/v1/cart/").json()
    assert cart["payable"] == "180.00" and cart["shipping_fee"] == "30.00" and cart["total"] == "210.00"
    by_store = {store["store"]: (store["payable"], store["shipping_fee"], store["total"]) for store in cart["stores"]}
    assert by_store == {paid_store.pk: ("150.00", "30.00", "180.00"), free_store.pk: ("30.00", "0.00", "30.00")}
    response = checkout(api_client, address, expected_payable="210.00")
    assert response.status_code == 201, response.json()
    order = response.json()
    fees = {s["store"]: s["shipping_fee"] for s in order["suborders"]}
    assert fees == {paid_store.pk: "30.00", free_store.pk: "0.00"}
    assert order["shipping_fee"] == "30.00" and order["payable"] == order["total"] == "210.00"
    paid = next(s for s in order["suborders"] if s["store"] == paid_store.pk)
    assert paid["payable"] == paid["total"] == "180.00" and sum(D(line["payable"]) for line in paid["lines"]) == D(
        "150.00"
    )
    assert api_client.get("/api/v1/orders/").json()["results"][0]["total"] == "210.00"
    assert template.products.count() == 0  # the store default applied without assigning it


def test_shipping_is_never_discounted_and_never_counts_towards_a_threshold(api_client):
    user, address = shopper_with_address()
    store = StoreFactory()
    StorePromotionFactory(store=store, every=D("100.00"), off=D("20.00"))
    ShippingTemplateFactory(store=store, first_fee=D("15.00"), additional_fee=D("0.00"), is_default=True)
    sku = sku_in(store, price="90.00")
    api_client.force_authenticate(user)
    add(api_client, sku)
    quote = api_client.post("/api/v1/promotions/quote/", {"items": [{"sku": sku.pk, "quantity": 1}]}, format="json")
    order = checkout(api_client, address).json()
    assert order["discount"] == quote.json()["discount"] == "0.00"  # 90 + 15 shipping does not reach 100
    assert order["subtotal"] == "90.00" and order["shipping_fee"] == "15.00" and order["payable"] == "105.00"


def test_free_over_uses_the_amount_after_discounts_and_pickup_ships_free(api_client):
    user, address = shopper_with_address()
    store = StoreFactory()
    ShippingTemplateFactory(store=store, mode="free_over", free_over=D("99.00"), first_fee=D("8.00"), is_default=True)
    at_threshold, below = sku_in(store, price="99.00"), sku_in(store, price="98.99")
    api_client.force_authenticate(user)
    first = add(api_client, at_threshold)
    second = add(api_client, below)
    order = checkout(api_client, address, items=[first]).json()
    assert order["suborders"][0]["shipping_fee"] == "0.00" and order["payable"] == "99.00"
    order = checkout(api_client, address, key="k2", items=[second]).json()
    assert order["suborders"][0]["shipping_fee"] == "8.00" and order["payable"] == "106.99"


def test_a_changed_total_including_shipping_is_refused(api_client):
    user, address = shopper_with_address()
    store = StoreFactory()
    ShippingTemplateFactory(store=store, first_fee=D("6.00"), is_default=True)
    api_client.force_authenticate(user)
    add(api_client, sku_in(store, price="10.00"))
    response = checkout(api_client, address, expected_payable="10.00")
    assert response.status_code == 409 and response.json()["code"] == "price_changed"


def test_notes_and_an_invoice_request_are_kept_per_suborder(api_client):
    user, address = shopper_with_address()
    a, b = StoreFactory(), StoreFactory()
    api_client.force_authenticate(user)
    add(api_client, sku_in(a))
    add(api_client, sku_in(b))
    bad = checkout(api_client, address, invoice={"kind": "company", "title": "杭州某某科技有限公司", "tax_number": "x"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_invoice"
    foreign = checkout(api_client, address, notes=[{"store": StoreFactory().pk, "note": "hi"}])
    assert foreign.status_code == 400 and foreign.json()["code"] == "invalid_note"
    response = checkout(
        api_client,
        address,
        notes=[{"store": a.pk, "note": "请不要放快递柜"}],
        invoice={"kind": "company", "title": "杭州某某科技有限公司", "tax_number": "91330100MA2XXXXX1A"},
    )
    assert response.status_code == 201, response.json()
    suborders = {s["store"]: s for s in response.json()["suborders"]}
    assert suborders[a.pk]["buyer_note"] == "请不要放快递柜" and suborders[b.pk]["buyer_note"] == ""
    assert suborders[a.pk]["invoice"]["status"] == "requested" and suborders[a.pk]["invoice"]["download_url"] is None
    assert Invoice.objects.filter(tax_number="91330100MA2XXXXX1A").count() == 2


def test_ticking_items_through_the_api_prices_only_those(api_client):
    user, _address = shopper_with_address()
    api_client.force_authenticate(user)
    a, b = sku_in(price="10.00"), sku_in(price="20.00")
    first, second = add(api_client, a), add(api_client, b)
    cart = api_client.put("/api/v1/cart/selection/", {"items": [second]}, format="json").json()
    assert cart["payable"] == "20.00"
    assert {line["id"]: line["selected"] for s in cart["stores"] for line in s["lines"]} == {first: False, second: True}
    foreign = CartItem.objects.create(cart=Cart.objects.create(shopper=UserFactory()), sku=sku_in(), quantity=1)
    refused = api_client.put("/api/v1/cart/selection/", {"items": [foreign.pk]}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "unknown_cart_item"
    assert api_client.put("/api/v1/cart/selection/", {"items": []}, format="json").json()["payable"] is None
