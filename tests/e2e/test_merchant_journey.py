"""The merchant's journey: one login for a Taobao and a Tmall store, a new product with SKUs, shipping a shopper's
order, approving that shopper's refund request and reading the statement."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    api_get,
    choose_sku,
    create_product,
    log_in,
    pay_in_sandbox,
    sign_up_shopper,
    switch_store,
    unique,
)

pytestmark = pytest.mark.e2e


def money(text: str) -> Decimal:
    return Decimal(re.search(r"-?\d+\.\d+", text.replace(",", "")).group(0))


TAOBAO_STORE = "优选小铺"
TMALL_STORE = "优选官方旗舰店"


def test_merchant_runs_both_stores_ships_approves_a_refund_and_reads_the_statement(new_page):
    merchant = new_page()
    log_in(merchant, "merchant")

    # One login, two stores: switch to the Tmall store and back to the Taobao one.
    merchant.goto("/seller/")
    switch_store(merchant, TMALL_STORE)
    expect(merchant.locator("main h1")).to_contain_text(TMALL_STORE)
    expect(merchant.locator("main h1 .badge.TMALL")).to_be_visible()
    switch_store(merchant, TAOBAO_STORE)
    expect(merchant.locator("main h1")).to_contain_text(TAOBAO_STORE)
    expect(merchant.locator("main h1 .badge.TAOBAO")).to_be_visible()

    # A new product with two SKUs in the Taobao store.
    code = unique("E2E").upper()
    title = f"测试连衣裙 {code}"
    product_id = create_product(
        merchant,
        title=title,
        category="连衣裙",
        skus=[(f"{code}-S", "颜色=红; 尺码=S", "88.00", 30), (f"{code}-M", "颜色=红; 尺码=M", "98.00", 30)],
    )
    expect(merchant.get_by_test_id("sku-table").locator("tbody tr")).to_have_count(2)
    expect(merchant.get_by_test_id("min-price")).to_have_text("¥88.00")
    product = api_get(merchant, f"/api/v1/seller/products/{product_id}/")
    assert product["title"] == title
    assert sorted((sku["code"], Decimal(sku["price"])) for sku in product["skus"]) == [
        (f"{code}-M", Decimal("98.00")),
        (f"{code}-S", Decimal("88.00")),
    ]

    # A shopper finds it in the storefront and buys the M option.
    shopper = new_page()
    sign_up_shopper(shopper, "buyer")
    shopper.goto(f"/p/{product_id}/")
    expect(shopper.get_by_test_id("brand-badge")).to_have_text("Taobao")
    expect(shopper.get_by_test_id("sku-value")).to_have_count(3)  # 红; S, M
    assert sorted(choose_sku(shopper, price="98.00")["values"]) == sorted(["红", "M"])
    expect(shopper.get_by_test_id("product-price")).to_contain_text("98.00")
    shopper.get_by_test_id("add-to-cart").click()
    shopper.wait_for_url("**/cart/")
    expect(shopper.get_by_test_id("cart-line")).to_have_count(1)
    shopper.get_by_test_id("go-checkout").click()
    shopper.get_by_test_id("place-order").click()
    number = pay_in_sandbox(shopper)
    (suborder,) = api_get(shopper, f"/api/v1/orders/{number}/")["suborders"]
    (line,) = suborder["lines"]
    assert line["title"] == title and line["unit_price"] == "98.00"
    paid = Decimal(line["payable"])  # after the store's first-order gift and any other discount

    # The merchant ships it from the order list.
    merchant.goto("/seller/orders/?state=awaiting_shipment")
    row = merchant.get_by_test_id("seller-order-row").filter(has_text=suborder["number"])
    expect(row).to_contain_text(title)
    row.get_by_role("link", name=suborder["number"]).click()
    expect(merchant.get_by_test_id("ship-to")).to_contain_text("文一西路 969 号")
    merchant.get_by_test_id("carrier").fill("中通快递")
    merchant.get_by_test_id("tracking-number").fill(f"ZT{number}")
    merchant.get_by_test_id("ship").click()
    expect(merchant.get_by_test_id("suborder-state")).to_have_text("Shipped")

    # The shopper asks for a refund of the shipped item: shipped goods are not instant, the merchant reviews.
    shopper.goto(f"/orders/{number}/")
    expect(shopper.get_by_test_id("suborder-state")).to_have_text("Shipped")
    shopper.get_by_test_id("request-refund").click()
    form = shopper.get_by_test_id("refund-form")
    form.locator("input[data-testid^=qty-]").fill("1")
    form.locator("select[name=kind]").select_option("refund_only")
    form.locator("select[name=reason]").select_option("damaged")
    form.locator("textarea[name=description]").fill("裙摆有破损 torn hem")
    shopper.get_by_test_id("submit-refund").click()
    shopper.wait_for_url(re.compile(r"/refunds/\d+/$"))
    refund_id = int(re.search(r"/refunds/(\d+)/", shopper.url).group(1))
    expect(shopper.get_by_test_id("refund-status")).to_have_attribute("data-status", "pending_review")
    expect(shopper.get_by_test_id("refund-amount")).to_have_text(f"¥{paid}")

    # The merchant finds it under "needs action" and approves it; the worker refunds the shopper.
    merchant.goto("/seller/refunds/?show=action")
    merchant.get_by_test_id("seller-refund-row").filter(has_text=suborder["number"]).get_by_test_id(
        "seller-refund-link"
    ).click()
    expect(merchant.get_by_test_id("refund-status")).to_have_attribute("data-status", "pending_review")
    expect(merchant.get_by_test_id("refund-facts")).to_contain_text("torn hem")
    merchant.get_by_test_id("approve").click()
    expect(merchant.get_by_test_id("refund-status")).to_have_attribute(
        "data-status", re.compile(r"^(approved|refunded)$")
    )
    expect(merchant.get_by_test_id("approve")).to_have_count(0)

    shopper.goto(f"/refunds/{refund_id}/")
    expect(shopper.get_by_test_id("refund-status")).to_have_attribute("data-status", "refunded", timeout=30_000)
    seller_refund = api_get(merchant, f"/api/v1/seller/refunds/{refund_id}/")
    assert seller_refund["status"] == "refunded"
    assert Decimal(seller_refund["amount"]) == paid

    # The statement of the month: each settlement adds up, the balances add up, the page agrees with the API.
    merchant.goto("/seller/finance/")
    expect(merchant.locator("main h1")).to_contain_text("Statement")
    settlements = merchant.get_by_test_id("statement-lines").locator("tbody tr", has_text="Settlement")
    expect(settlements.first).to_be_visible()  # the demo order bob received was settled at seeding
    for row in settlements.all():
        paid_cell, subsidy, commission, amount = (money(text) for text in row.locator("td").all_inner_texts()[3:7])
        assert paid_cell + subsidy - commission == amount
    closing = money(merchant.get_by_test_id("statement-closing").inner_text())
    month = merchant.get_by_test_id("statement-month").input_value()
    store_id = next(
        store["id"] for store in api_get(merchant, "/api/v1/seller/stores/") if store["name"] == TAOBAO_STORE
    )
    statement = api_get(merchant, f"/api/v1/seller/finance/statement/?store={store_id}&month={month}")
    assert Decimal(statement["closing"]) == closing
    assert len([line for line in statement["lines"] if line["kind"] == "settlement"]) == settlements.count()
    with merchant.expect_download() as download:
        merchant.get_by_test_id("statement-csv").click()
    assert download.value.suggested_filename.endswith(".csv")
