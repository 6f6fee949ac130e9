"""The shopper's journey on a phone (375x812): nothing scrolls sideways on any page; search from the compact header,
choose an option with the attribute buttons, add to cart from the sticky buy bar, buy another item now without
touching the cart, tick what to check out in the cart, and place the order for the ticked item only."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import api_get, assert_fits_the_screen, choose_sku, log_in, sign_up_shopper

pytestmark = pytest.mark.e2e


def open_product_with_stock(page, query: str, skip: set[str]) -> str:
    """From the header search, open the first result with an option in stock that is not in `skip`; its title."""
    page.goto("/")
    page.get_by_test_id("header-search").fill(query)
    page.get_by_test_id("header-search").press("Enter", no_wait_after=True)
    page.wait_for_url(re.compile(r"/search/\?q="), wait_until="domcontentloaded")
    assert_fits_the_screen(page)
    links = [a.get_attribute("href") for a in page.get_by_test_id("results").get_by_test_id("product-card").all()]
    for href in links:
        if href in skip:
            continue
        page.goto(href)
        if page.get_by_test_id("add-to-cart").is_enabled() and choose_sku(page):
            skip.add(href)
            return page.get_by_test_id("product-title").inner_text().split(" ", 1)[1]
    raise AssertionError(f"no {query} product with stock")


def cart_lines(page) -> list[str]:
    return [line["title"] for store in api_get(page, "/api/v1/cart/")["stores"] for line in store["lines"]]


def test_phone_shopper_buys_now_and_checks_out_a_selection_without_sideways_scrolling(new_page):
    page = new_page(phone=True)
    page.set_default_timeout(45_000)  # a results page of pictures on a busy test machine
    sign_up_shopper(page, "phone")
    page.goto("/")
    expect(page.get_by_test_id("tabbar")).to_be_visible()
    assert_fits_the_screen(page)

    # Two items into the cart from the sticky buy bar.
    seen: set[str] = set()
    first = open_product_with_stock(page, "连衣裙", seen)
    bar = page.get_by_test_id("buy-bar")
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    assert box["y"] + box["height"] <= 812 + 1 and box["width"] <= 375 + 1, "the buy bar sits at the bottom"
    assert_fits_the_screen(page)
    # The gallery: square pictures across the screen, a dot moves to the next one and the counter follows.
    picture = page.get_by_test_id("gallery-image").first.bounding_box()
    assert abs(picture["height"] - picture["width"]) <= 1 and picture["width"] > 300, picture
    if page.get_by_test_id("gallery-count").count():
        page.locator(".gallery-dot").nth(1).click()
        expect(page.get_by_test_id("gallery-count")).to_contain_text("2/")
    page.get_by_test_id("add-to-cart").click()
    page.wait_for_url("**/cart/")
    second = open_product_with_stock(page, "T恤", seen)
    page.get_by_test_id("add-to-cart").click()
    page.wait_for_url("**/cart/")
    assert_fits_the_screen(page)
    expect(page.get_by_test_id("cart-count")).to_have_text("2")

    # Buy now: a third item straight to checkout; the cart keeps its two lines.
    third = open_product_with_stock(page, "连衣裙", seen)
    page.get_by_test_id("buy-now").click()
    page.wait_for_url(re.compile(r"/checkout/\?sku="))
    assert_fits_the_screen(page)
    expect(page.get_by_test_id("checkout-store")).to_have_count(1)
    expect(page.get_by_test_id("checkout-store")).to_contain_text(third)
    page.get_by_test_id("buyer-note").fill("工作日白天送货")
    page.get_by_test_id("place-order").click()
    page.wait_for_url(re.compile(r"/orders/\d+/pay/$"))
    assert_fits_the_screen(page)
    assert sorted(cart_lines(page)) == sorted([first, second])

    # The cart: untick the second item; only the first is checked out, the second stays.
    page.goto("/cart/")
    assert_fits_the_screen(page)
    # A store's checkbox unticks and ticks every line of that store, and the totals follow.
    store = page.get_by_test_id("cart-store").filter(has_text=second)
    with page.expect_navigation():
        store.get_by_test_id("store-checkbox").uncheck()
    for box in page.get_by_test_id("cart-store").filter(has_text=second).get_by_test_id("line-checkbox").all():
        expect(box).not_to_be_checked()
    with page.expect_navigation():
        page.get_by_test_id("cart-store").filter(has_text=second).get_by_test_id("store-checkbox").check()
    expect(page.get_by_test_id("go-checkout")).to_contain_text("(2)")
    line = page.get_by_test_id("cart-line").filter(has_text=second)
    with page.expect_navigation():
        line.get_by_test_id("line-checkbox").uncheck()
    expect(page.get_by_test_id("cart-line").filter(has_text=second).get_by_test_id("line-checkbox")).not_to_be_checked()
    expect(page.get_by_test_id("checkout-bar")).to_be_visible()
    page.get_by_test_id("go-checkout").click()
    page.wait_for_url(re.compile(r"/checkout/\?items="))
    assert_fits_the_screen(page)
    expect(page.get_by_test_id("checkout-store")).to_have_count(1)
    expect(page.get_by_test_id("checkout-store")).to_contain_text(first)
    page.get_by_test_id("place-order").click()
    page.wait_for_url(re.compile(r"/orders/\d+/pay/$"))
    assert cart_lines(page) == [second]

    # Every other page a shopper opens from the tab bar fits too.
    for path in ("/orders/", "/accounts/profile/", "/live/", "/coupons/", "/no-such-page/"):
        page.goto(path)
        assert_fits_the_screen(page)
    # 我的 lists the shopper's own pages; their credits (none yet: nothing shipped late) fit too.
    page.goto("/accounts/profile/")
    page.get_by_test_id("account-refundscredits").click()
    page.wait_for_url("**/me/credits/")
    expect(page.get_by_test_id("no-credits")).to_be_visible()
    assert_fits_the_screen(page)


def test_workbench_and_console_fit_a_tablet(new_page):
    merchant = new_page(tablet=True)
    log_in(merchant, "merchant")
    assert merchant.url.endswith("/seller/"), "merchant staff land in the workbench"
    for path in ("/seller/", "/seller/orders/", "/seller/products/", "/seller/shipping/", "/seller/shipping/new/"):
        merchant.goto(path)
        assert_fits_the_screen(merchant)
    operator = new_page(tablet=True)
    log_in(operator, "operator")
    assert operator.url.endswith("/ops/"), "operators land in the console"
    for path in ("/ops/", "/ops/stores/"):
        operator.goto(path)
        assert_fits_the_screen(operator)
