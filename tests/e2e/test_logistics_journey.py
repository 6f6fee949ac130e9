"""Browser journey of issue 18: the product page shows the store's service card, the shopper buys and pays, the
merchant ships with a carrier from the list, the sandbox carrier's reports arrive through the signed webhook,
"delivered" shows on the order with the auto-receive date (10 days after delivery)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.test_checkout_journey import add_first_buyable_product

pytestmark = pytest.mark.e2e


def test_service_card_order_tracking_delivered_auto_receive(new_page):
    shopper = new_page()
    log_in(shopper, "bob")
    shopper.goto("/s/youxuan-taobao/")
    shopper.get_by_test_id("product-card").first.click()
    assert shopper.get_by_test_id("service-badges").first.is_visible()
    assert shopper.get_by_test_id("badge-ship").first.inner_text().startswith("Ships within")
    shopper.get_by_test_id("service-panel").locator("summary").click()
    assert "7 days" in shopper.get_by_test_id("service-panel").inner_text()

    add_first_buyable_product(shopper)
    assert shopper.get_by_test_id("service-badges").count() >= 1  # in the cart too
    shopper.get_by_test_id("go-checkout").click()
    shopper.wait_for_url(re.compile(r"/checkout/\?items="))
    shopper.get_by_test_id("place-order").click()
    shopper.wait_for_url(re.compile(r".*/orders/\d+/pay/$"))
    shopper.get_by_test_id("pay-now").click()
    shopper.wait_for_url(re.compile(r".*/pay/sandbox/.+/$"))
    shopper.get_by_test_id("sandbox-pay").click()
    shopper.wait_for_url(re.compile(r".*/orders/\d+/$"))
    order_url = shopper.url
    # A locator assertion, not wait_for_function: the pages' Content-Security-Policy forbids eval'd predicates.
    expect(shopper.get_by_test_id("order-status")).to_have_text("Paid", timeout=45_000)
    shopper.goto(order_url)
    assert "ships by" in shopper.get_by_test_id("ship-by").first.inner_text()

    merchant = new_page()
    log_in(merchant, "merchant")
    merchant.goto("/seller/")
    merchant.select_option("[data-testid=store-switcher]", label="[Taobao] 优选小铺")
    merchant.wait_for_load_state("networkidle")
    merchant.goto("/seller/orders/?state=awaiting_shipment")
    merchant.get_by_test_id("seller-order-row").first.locator("a").click()
    merchant.get_by_test_id("carrier").fill("Pigeon Post")
    merchant.get_by_test_id("tracking-number").fill("YT0000000001")
    merchant.get_by_test_id("ship").click()
    assert merchant.get_by_test_id("form-error").is_visible()  # not a carrier on the list
    merchant.get_by_test_id("carrier").fill("圆通速递")
    merchant.get_by_test_id("tracking-number").fill("YT0000000001")
    merchant.get_by_test_id("ship").click()
    assert merchant.get_by_test_id("suborder-state").inner_text().strip() == "Shipped"

    shopper.goto(order_url)
    for step in range(1, 6):
        shopper.get_by_test_id("sandbox-advance").first.click()
        shopper.wait_for_url(order_url)
        assert shopper.get_by_test_id("tracking-event").count() == step
    statuses = [e.get_attribute("data-status") for e in shopper.get_by_test_id("tracking-event").all()]
    assert statuses == ["picked_up", "in_transit", "at_station", "out_for_delivery", "delivered"]
    assert shopper.get_by_test_id("delivered-at").first.is_visible()
    assert "Confirmed automatically on" in shopper.get_by_test_id("auto-receive-at").first.inner_text()
