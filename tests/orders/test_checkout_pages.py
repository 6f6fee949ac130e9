"""The cart and checkout pages: ticked lines only (勾选结算), buy now leaving the cart alone, shipping per store,
notes and an invoice request from the page, the tab bar's cart count."""

from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest

from orders.models import Cart, CartItem, Invoice, Order
from tests.accounts.factories import AddressFactory, UserFactory
from tests.orders.helpers import sku_in
from tests.shops.factories import ShippingTemplateFactory, StoreFactory

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper(client):
    user = UserFactory()
    AddressFactory(user=user, province="浙江省", is_default=True)
    client.force_login(user)
    return user


def cart_items(user):
    return {item.sku_id: item for item in Cart.objects.get(shopper=user).items.all()}


def test_ticked_lines_are_priced_and_checked_out_the_others_stay(client, shopper):
    store = StoreFactory()
    ShippingTemplateFactory(store=store, first_fee=D("6.00"), additional_fee=D("1.00"), is_default=True)
    a, b = sku_in(store, price="30.00"), sku_in(price="50.00")
    for sku in (a, b):
        client.post("/cart/items/", {"sku": sku.pk, "quantity": 1})
    items = cart_items(shopper)
    client.post("/cart/select/", {"items": [items[a.pk].pk]})
    page = client.get("/cart/")
    view = page.context["view"]
    assert view.priced.payable == D("30.00") and view.shipping_fee == D("6.00") and view.total == D("36.00")
    html = page.content.decode()
    assert html.count('data-testid="line-checkbox"') == 2 and "Shipping ¥6.00" in html
    target = page.context["checkout_url"]
    assert parse_qs(urlparse(target).query) == {"items": [str(items[a.pk].pk)]}

    checkout = client.get(target)
    assert checkout.status_code == 200 and checkout.context["view"].total == D("36.00")
    body = {
        "idempotency_key": "page-1",
        "address": shopper.addresses.get().pk,
        "items": [items[a.pk].pk],
        "expected_payable": "36.00",
        f"note_{store.pk}": "放门口",
        "invoice_kind": "personal",
        "invoice_title": "李四",
    }
    placed = client.post("/checkout/", body)
    assert placed.status_code == 302, placed.context and placed.context["error"]
    order = Order.objects.get(shopper=shopper)
    suborder = order.suborders.get()
    assert order.payable == D("36.00") and suborder.shipping_fee == D("6.00") and suborder.buyer_note == "放门口"
    assert Invoice.objects.get(suborder=suborder).title == "李四"
    assert set(cart_items(shopper)) == {b.pk}


def test_changing_the_address_reprices_shipping_without_placing(client, shopper):
    store = StoreFactory()
    far = AddressFactory(user=shopper, province="新疆维吾尔自治区")
    ShippingTemplateFactory(store=store, mode="free", is_default=True,
                            regions=[{"provinces": ["新疆"], "first_fee": "20.00", "additional_fee": "5.00",
                                      "remote": True}])  # fmt: skip
    client.post("/cart/items/", {"sku": sku_in(store).pk, "quantity": 2})
    near = client.get("/checkout/")
    assert near.context["view"].shipping_fee == D("0.00")
    refreshed = client.post("/checkout/", {"idempotency_key": "x", "address": far.pk, "refresh": "1"})
    assert refreshed.status_code == 200 and refreshed.context["view"].shipping_fee == D("25.00")
    assert not Order.objects.exists()


def test_buy_now_checks_out_just_that_item_and_leaves_the_cart_alone(client, shopper):
    in_cart, bought = sku_in(price="5.00"), sku_in(price="88.00")
    client.post("/cart/items/", {"sku": in_cart.pk, "quantity": 2})
    before = [(i.sku_id, i.quantity) for i in CartItem.objects.all()]
    response = client.post("/buy-now/", {"sku": bought.pk, "quantity": 2, "source": "live:4"})
    assert response.status_code == 302
    url = response["Location"]
    assert parse_qs(urlparse(url).query) == {"sku": [str(bought.pk)], "quantity": ["2"], "source": ["live:4"]}
    page = client.get(url)
    assert page.status_code == 200 and page.context["view"].priced.payable == D("176.00")
    placed = client.post("/checkout/", {"idempotency_key": "bn", "address": shopper.addresses.get().pk,
                                        "sku": bought.pk, "quantity": 2, "source": "live:4"})  # fmt: skip
    assert placed.status_code == 302
    line = Order.objects.get().suborders.get().lines.get()
    assert (line.sku_id, line.quantity, line.source) == (bought.pk, 2, "live:4")
    assert [(i.sku_id, i.quantity) for i in CartItem.objects.all()] == before


def test_buy_now_of_more_than_the_stock_goes_back_with_a_message(client, shopper):
    sku = sku_in(stock=1)
    response = client.post("/buy-now/", {"sku": sku.pk, "quantity": 3}, HTTP_REFERER=f"/p/{sku.product_id}/")
    assert response.status_code == 302 and response["Location"] == f"/p/{sku.product_id}/"


def test_anonymous_buy_now_logs_in_first_and_comes_back_to_the_item(client):
    sku = sku_in()
    checkout = client.get(client.post("/buy-now/", {"sku": sku.pk, "quantity": 1})["Location"])
    assert checkout.status_code == 302 and checkout["Location"].startswith("/accounts/login/?next=/checkout/")


def test_cart_count_for_the_tab_bar(client):
    assert client.get("/cart/count/").content == b""
    client.post("/cart/items/", {"sku": sku_in().pk, "quantity": 3})
    assert client.get("/cart/count/").content == b"3"


def test_foreign_item_ids_on_the_checkout_page_go_back_to_the_cart(client, shopper):
    other = CartItem.objects.create(cart=Cart.objects.create(shopper=UserFactory()), sku=sku_in(), quantity=1)
    client.post("/cart/items/", {"sku": sku_in().pk, "quantity": 1})
    response = client.get(f"/checkout/?items={other.pk}")
    assert response.status_code == 302 and response["Location"] == "/cart/"
