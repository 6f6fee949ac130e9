"""Storefront and workbench pages: cart (anonymous, merged at login), checkout, payment, orders, seller orders."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import Cart, CartItem, Order, SubOrder
from payments import services as payment_services
from payments.models import CallbackDelivery, Payment
from shops.models import Product, StockLevel, StoreClosure
from tests.accounts.factories import PASSWORD, AddressFactory, UserFactory
from tests.orders.helpers import buy, shopper_with_address, sku_in
from tests.payments.test_callbacks import body_for, deliver
from tests.shops.factories import OutletFactory, StoreFactory, TmallStoreFactory

D = Decimal
pytestmark = pytest.mark.django_db


def login(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_anonymous_cart_is_merged_into_the_shoppers_cart_at_login(client):
    taobao, tmall = StoreFactory(), TmallStoreFactory()
    a, b = sku_in(taobao, price="10.00"), sku_in(tmall, price="20.00")
    response = client.post("/cart/items/", {"sku": a.pk, "quantity": 2, "source": "live:7"})
    assert response.status_code == 302 and response["Location"] == reverse("orders:cart")
    client.post("/cart/items/", {"sku": b.pk, "quantity": 1})
    page = client.get(reverse("orders:cart"))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="cart-store"') == 2
    assert page.context["view"].priced.payable == D("40.00")

    user = UserFactory()
    Cart.objects.create(shopper=user).items.create(sku=a, quantity=1, source="live:7")
    login(client, user)
    cart = Cart.objects.get(shopper=user)
    assert {i.sku_id: i.quantity for i in cart.items.all()} == {a.pk: 3, b.pk: 1}
    assert cart.items.get(sku=a).source == "live:7"  # every unit of the line was added in that room
    assert not Cart.objects.filter(shopper__isnull=True).exists()


def test_adding_a_sku_of_a_closed_store_or_disabled_product_is_refused(client):
    import datetime

    from django.utils import timezone

    closed = sku_in()
    today = timezone.localdate()
    StoreClosure.objects.create(store=closed.store, starts_on=today, ends_on=today + datetime.timedelta(days=2))
    disabled = sku_in()
    Product.objects.filter(pk=disabled.product_id).update(status=Product.Status.DISABLED)
    for sku in (closed, disabled):
        response = client.post("/cart/items/", {"sku": sku.pk, "quantity": 1}, follow=True)
        assert response.status_code == 200
        assert any(m.level_tag == "error" for m in response.context["messages"])
    assert not CartItem.objects.exists()


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "11"])
def test_bad_quantities_are_refused(client, quantity):
    sku = sku_in(stock=10)
    response = client.post("/cart/items/", {"sku": sku.pk, "quantity": quantity}, follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert not CartItem.objects.exists()


def test_htmx_add_answers_with_hx_redirect(client):
    sku = sku_in()
    response = client.post("/cart/items/", {"sku": sku.pk, "quantity": 1}, headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("orders:cart")


def test_checkout_pay_on_the_sandbox_page_and_see_the_timeline(client):
    user, address = shopper_with_address()
    store = StoreFactory()
    sku = sku_in(store, price="50.00", stock=5)
    login(client, user)
    client.post("/cart/items/", {"sku": sku.pk, "quantity": 2})
    page = client.get(reverse("orders:checkout"))
    assert page.status_code == 200
    key = page.context["idempotency_key"]
    form = {"idempotency_key": key, "address": address.pk, f"fulfilment_{store.pk}": "", "expected_payable": "100.00"}
    placed = client.post(reverse("orders:checkout"), form)
    order = Order.objects.get(shopper=user)
    assert placed.status_code == 302 and placed["Location"] == reverse("payments:pay_order", args=[order.number])
    assert client.post(reverse("orders:checkout"), form).status_code in (302, 400)  # a double click
    assert Order.objects.filter(shopper=user).count() == 1

    assert client.get(placed["Location"]).status_code == 200
    to_gateway = client.post(placed["Location"])
    payment = Payment.objects.get(order=order)
    assert to_gateway["Location"] == reverse("payments:sandbox_page", args=[payment.reference])
    assert client.get(to_gateway["Location"]).status_code == 200
    back = client.post(to_gateway["Location"], {"outcome": "pay"})
    assert back["Location"] == reverse("orders:order_detail", args=[order.number])
    delivery = CallbackDelivery.objects.get(payment=payment)
    payment.refresh_from_db()
    assert payment.sandbox_outcome == "pay"
    # What the worker would POST (tests/payments/test_worker_callback.py does it for real over HTTP).
    assert payment_services.handle_callback(delivery.payload.encode(), delivery.signature).status_code == 200
    detail = client.get(back["Location"])
    assert detail.status_code == 200
    html = detail.content.decode()
    assert 'data-kind="paid"' in html and 'data-kind="placed"' in html
    assert client.get(reverse("orders:order_list")).status_code == 200


def test_checkout_with_someone_elses_address_shows_an_error(client):
    user, _ = shopper_with_address()
    sku = sku_in()
    login(client, user)
    client.post("/cart/items/", {"sku": sku.pk, "quantity": 1})
    response = client.post(reverse("orders:checkout"), {"idempotency_key": "k", "address": AddressFactory().pk})
    assert response.status_code == 400 and response.context["error"]
    assert not Order.objects.exists()


def test_another_shoppers_order_is_404(client):
    owner, address = shopper_with_address()
    order, _ = buy(owner, address, (sku_in(), 1))
    login(client, UserFactory())
    assert client.get(reverse("orders:order_detail", args=[order.number])).status_code == 404
    assert client.post(reverse("payments:pay_order", args=[order.number])).status_code == 404
    assert client.post(reverse("orders:order_cancel", args=[order.number])).status_code == 404


def paid_order(store, *, fulfilment=None, stock=5):
    user, address = shopper_with_address()
    sku = sku_in(store, stock=stock)
    order, _ = buy(user, address, (sku, 1), fulfilment=fulfilment)
    payment = payment_services.start_payment(order, user)
    deliver(body_for(payment))
    return user, order.suborders.get()


def test_merchant_ships_from_the_workbench_and_the_shopper_confirms(client):
    store = StoreFactory()
    shopper, suborder = paid_order(store)
    login(client, store.merchant.owner)
    listing = client.get(reverse("orders:seller_orders") + "?state=awaiting_shipment")
    assert listing.status_code == 200 and suborder.number in listing.content.decode()
    bad = client.post(reverse("orders:seller_ship", args=[suborder.pk]), {"carrier": "SF", "tracking_number": ""})
    assert bad.status_code == 400
    shipped = client.post(
        reverse("orders:seller_ship", args=[suborder.pk]), {"carrier": "SF Express", "tracking_number": "SF123"}
    )
    assert shipped.status_code == 302
    suborder.refresh_from_db()
    assert suborder.state == SubOrder.State.SHIPPED and suborder.tracking_number == "SF123"
    client.logout()
    login(client, shopper)
    client.post(reverse("orders:suborder_receive", args=[suborder.order.number, suborder.pk]))
    suborder.refresh_from_db()
    assert suborder.state == SubOrder.State.RECEIVED


def test_merchant_of_another_store_gets_404(client):
    shopper, suborder = paid_order(StoreFactory())
    other = StoreFactory()
    login(client, other.merchant.owner)
    assert client.get(reverse("orders:seller_order_detail", args=[suborder.pk])).status_code == 404
    response = client.post(reverse("orders:seller_ship", args=[suborder.pk]), {"carrier": "x", "tracking_number": "y"})
    assert response.status_code == 404
    suborder.refresh_from_db()
    assert suborder.state == SubOrder.State.AWAITING_SHIPMENT


def test_outlet_enters_the_pickup_code(client):
    store = StoreFactory()
    outlet = OutletFactory(store=store)
    user, address = shopper_with_address()
    sku = sku_in(store, stock=0)
    StockLevel.objects.create(sku=sku, outlet=outlet, pool="outlet", quantity=2)
    order, _ = buy(user, None, (sku, 1), fulfilment={store.pk: outlet.pk})
    deliver(body_for(payment_services.start_payment(order, user)))
    suborder = order.suborders.get()
    assert len(suborder.pickup_code) == 6
    login(client, store.merchant.owner)
    page = client.get(reverse("orders:seller_order_detail", args=[suborder.pk]))
    assert suborder.pickup_code not in page.content.decode()  # the merchant must get it from the shopper
    wrong = "000000" if suborder.pickup_code != "000000" else "111111"
    assert client.post(reverse("orders:seller_pickup", args=[suborder.pk]), {"code": wrong}).status_code == 400
    assert (
        client.post(reverse("orders:seller_pickup", args=[suborder.pk]), {"code": suborder.pickup_code}).status_code
        == 302
    )
    suborder.refresh_from_db()
    assert suborder.state == SubOrder.State.RECEIVED
    assert suborder.events.filter(kind="picked_up").exists()


def test_address_book_pages(client):
    user = UserFactory()
    login(client, user)
    data = {"recipient": "李四", "phone": "13900000000", "province": "浙江", "city": "杭州", "detail": "文三路 1 号"}
    assert client.post(reverse("accounts:addresses"), data).status_code == 302
    assert client.post(reverse("accounts:addresses"), {**data, "is_default": "on"}).status_code == 302
    first, second = user.addresses.order_by("created_at")
    assert (first.is_default, second.is_default) == (False, True)
    assert client.post(reverse("accounts:addresses"), {**data, "phone": "x"}).status_code == 400
    other = AddressFactory()
    assert client.get(reverse("accounts:address_edit", args=[other.pk])).status_code == 404
    client.post(reverse("accounts:address_delete", args=[second.pk]))
    first.refresh_from_db()
    assert first.is_default


def test_order_status_polls_while_the_gateway_confirms(client):
    user, address = shopper_with_address()
    order, _ = buy(user, address, (sku_in(), 1))
    login(client, user)
    payment = payment_services.start_payment(order, user)
    client.post(reverse("payments:sandbox_page", args=[payment.reference]), {"outcome": "pay"})
    partial = client.get(reverse("orders:order_detail", args=[order.number]), headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert partial.status_code == 200 and 'hx-trigger="every 2s"' in html and "<html" not in html
    delivery = CallbackDelivery.objects.get(payment=payment)
    payment_services.handle_callback(delivery.payload.encode(), delivery.signature)
    done = client.get(reverse("orders:order_detail", args=[order.number]), headers={"HX-Request": "true"})
    assert "hx-trigger" not in done.content.decode() and "Paid" in done.content.decode()


def test_cart_page_shows_coupons_and_the_shopper_can_choose(client):
    from tests.promotions.factories import IssuedCouponFactory, RedPacketTemplateFactory

    user = UserFactory()
    coupon = IssuedCouponFactory(shopper=user, template=RedPacketTemplateFactory(off=D("5.00")))
    sku = sku_in(price="50.00")
    login(client, user)
    client.post("/cart/items/", {"sku": sku.pk, "quantity": 1})
    page = client.get(reverse("orders:cart"))
    assert page.context["view"].priced.payable == D("45.00") and 'data-testid="coupon-option"' in page.content.decode()
    client.post(reverse("orders:cart_coupons"), {"mode": "chosen"})  # none ticked: no coupon
    assert client.get(reverse("orders:cart")).context["view"].priced.payable == D("50.00")
    client.post(reverse("orders:cart_coupons"), {"mode": "chosen", "coupon": [coupon.pk]})
    assert client.get(reverse("orders:cart")).context["view"].priced.payable == D("45.00")
    refused = client.post(reverse("orders:cart_coupons"), {"mode": "chosen", "coupon": ["999999"]}, follow=True)
    assert any(m.level_tag == "error" for m in refused.context["messages"])


def test_changing_another_carts_line_is_404(client):
    owner = UserFactory()
    item = Cart.objects.create(shopper=owner).items.create(sku=sku_in(), quantity=1)
    login(client, UserFactory())
    assert client.post(reverse("orders:cart_item", args=[item.pk]), {"quantity": 2}).status_code == 404
    assert client.post(reverse("orders:cart_item", args=[item.pk]), {"action": "remove"}).status_code == 404
    item.refresh_from_db()
    assert item.quantity == 1


def test_operator_admin_lists_orders_and_the_ledger(client):
    from tests.accounts.factories import OperatorFactory

    shopper, suborder = paid_order(StoreFactory())
    operator = OperatorFactory(is_superuser=True)
    client.force_login(operator)
    for url in (
        "/admin/orders/order/",
        f"/admin/orders/suborder/{suborder.pk}/change/",
        "/admin/payments/journalentry/",
    ):
        assert client.get(url).status_code == 200, url


def test_cart_shows_store_and_cross_store_discounts(client):
    from tests.promotions.factories import CampaignFactory, EnrollmentFactory, StorePromotionFactory

    taobao, tmall = StoreFactory(), TmallStoreFactory()
    campaign = CampaignFactory(every=D("300.00"), off=D("50.00"))
    for store in (taobao, tmall):
        EnrollmentFactory(campaign=campaign, store=store)
    StorePromotionFactory(store=taobao, every=D("200.00"), off=D("20.00"))
    client.post("/cart/items/", {"sku": sku_in(taobao, price="200.00").pk, "quantity": 1})
    client.post("/cart/items/", {"sku": sku_in(tmall, price="100.00").pk, "quantity": 1})
    page = client.get(reverse("orders:cart"))
    view = page.context["view"]
    assert {row["lane"]: row["amount"] for row in view.discount_breakdown} == {
        "cross_store": D("50.00"),
        "store": D("20.00"),
    }
    assert view.priced.payable == D("230.00")
    assert page.content.decode().count('data-testid="discount-row"') == 2


def test_order_tabs_filter_by_sub_order_state(client):
    store = StoreFactory()
    shopper, shipped = paid_order(store)
    from orders import services as order_services

    order_services.ship(shipped, actor=None, carrier="SF", tracking_number="1")
    buy(shopper, AddressFactory(user=shopper), (sku_in(), 1))  # unpaid
    login(client, shopper)
    to_pay = client.get(reverse("orders:order_list") + "?tab=to_pay").context["page"]
    to_receive = client.get(reverse("orders:order_list") + "?tab=to_receive").context["page"]
    assert [o.status for o in to_pay] == ["awaiting_payment"]
    assert [o.pk for o in to_receive] == [shipped.order_id]
    assert len(client.get(reverse("orders:order_list")).context["page"]) == 2
