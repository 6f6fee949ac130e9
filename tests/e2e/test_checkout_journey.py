"""Browser journey (Chromium via Playwright, the tests/e2e harness): an anonymous visitor fills a cart, logs in
(the cart is merged), checks out, pays on the sandbox gateway's page, and the worker's signed callback marks the
order paid; the merchant ships it from the workbench and the shopper sees the timeline."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_sku, log_in

pytestmark = pytest.mark.e2e


def add_first_buyable_product(page) -> str:
    page.goto("/s/youxuan-taobao/")
    links = [a.get_attribute("href") for a in page.get_by_test_id("product-card").all()]
    for href in links:
        page.goto(href)
        button = page.get_by_test_id("add-to-cart")
        if button.is_enabled() and choose_sku(page):
            title = page.get_by_test_id("product-title").inner_text()
            button.click()
            page.wait_for_url("**/cart/")
            return title
    raise AssertionError("no buyable product in the demo store")


def test_shopper_buys_pays_and_merchant_ships(new_page):
    shopper = new_page()
    add_first_buyable_product(shopper)
    assert shopper.get_by_test_id("cart-line").count() == 1

    log_in(shopper, "bob")
    shopper.goto("/cart/")
    assert shopper.get_by_test_id("cart-line").count() >= 1
    shopper.get_by_test_id("go-checkout").click()
    shopper.wait_for_url(re.compile(r"/checkout/\?items="))
    shopper.get_by_test_id("place-order").click()
    shopper.wait_for_url(re.compile(r".*/orders/\d+/pay/$"))
    shopper.get_by_test_id("pay-now").click()
    shopper.wait_for_url(re.compile(r".*/pay/sandbox/.+/$"))
    shopper.get_by_test_id("sandbox-pay").click()
    shopper.wait_for_url(re.compile(r".*/orders/\d+/$"))
    order_url = shopper.url
    # The worker delivers the signed callback; htmx polls the status box until it shows the payment.
    # A locator assertion, not wait_for_function: the pages' Content-Security-Policy forbids eval'd predicates.
    expect(shopper.get_by_test_id("order-status")).to_have_text("Paid", timeout=45_000)

    merchant = new_page()
    log_in(merchant, "merchant")
    merchant.goto("/seller/")
    merchant.select_option("[data-testid=store-switcher]", label="[Taobao] 优选小铺")
    merchant.wait_for_load_state("networkidle")
    merchant.goto("/seller/orders/?state=awaiting_shipment")
    merchant.get_by_test_id("seller-order-row").first.locator("a").click()
    merchant.get_by_test_id("carrier").fill("顺丰速运")
    merchant.get_by_test_id("tracking-number").fill("SF1234567890")
    merchant.get_by_test_id("ship").click()
    assert merchant.get_by_test_id("suborder-state").inner_text().strip() == "Shipped"

    shopper.goto(order_url)
    shopper.get_by_test_id("confirm-receipt").first.click()
    kinds = [e.get_attribute("data-kind") for e in shopper.get_by_test_id("timeline-event").all()]
    assert kinds[:4] == ["placed", "paid", "shipped", "received"]
