"""The livestream journey: a store host schedules a stream, features a product at a live price, goes live and pins
it; a viewer in another browser sees the pin arrive over the WebSocket, chats, adds the product to the cart from
the room, buys one more now (just that item, the cart untouched), checks out the cart and pays. The order lines
keep the stream's attribution and the live price."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    api_get,
    create_product,
    log_in,
    mark_page,
    pay_in_sandbox,
    sign_up_shopper,
    still_same_page,
    switch_store,
    unique,
)

pytestmark = pytest.mark.e2e

TAOBAO_STORE = "优选小铺"
FEED = "/static/live/demo-feed.webp"  # the locally drawn demo feed (no video encoder or network needed)
LIVE_PRICE = Decimal("79.00")


def test_host_goes_live_and_pins_a_product_a_viewer_chats_and_buys_from_the_room(new_page):
    host = new_page()
    log_in(host, "merchant")
    switch_store(host, TAOBAO_STORE)

    # Something to sell: a product with stock, then a stream that features it at a live price.
    code = unique("LIVE").upper()
    title = f"直播连衣裙 {code}"
    create_product(host, title=title, category="连衣裙", skus=[(f"{code}-M", "颜色=黑; 尺码=M", "99.00", 50)])
    stream_title = unique("E2E 夏日直播 ")
    host.goto("/seller/live/")
    host.get_by_test_id("new-stream").click()
    form = host.get_by_test_id("stream-form")
    form.locator("[name=title]").fill(stream_title)
    form.locator("[name=description]").fill("新品连衣裙直播专场")
    when = datetime.datetime.now() + datetime.timedelta(minutes=5)
    form.locator("[name=scheduled_at]").fill(when.strftime("%Y-%m-%dT%H:%M"))
    form.locator("[name=playback_url]").fill(FEED)
    host.get_by_test_id("create-stream").click()
    host.wait_for_url(re.compile(r"/seller/live/\d+/$"))
    stream_id = int(re.search(r"/seller/live/(\d+)/", host.url).group(1))
    feature = host.get_by_test_id("feature-form")
    select = host.get_by_test_id("feature-product")
    select.select_option(select.locator("option", has_text=title).get_attribute("value"))
    host.get_by_test_id("feature-live-price").fill(str(LIVE_PRICE))
    feature.get_by_test_id("feature-submit").click()
    row = host.get_by_test_id("featured-row").filter(has_text=title)
    expect(row.get_by_test_id("live-price-input")).to_have_value(str(LIVE_PRICE))
    host.get_by_test_id("go-live").click()
    expect(host.get_by_test_id("stream-state")).to_have_text("Live")

    # A viewer opens the room; the page connects its WebSocket.
    viewer = new_page()
    viewer_name = sign_up_shopper(viewer, "viewer")
    viewer.goto(f"/live/{stream_id}/")
    room = viewer.get_by_test_id("live-room")
    expect(room).to_have_attribute("data-connected", "1")
    expect(viewer.get_by_test_id("stream-state")).to_contain_text("Live")
    expect(viewer.get_by_test_id("pinned-product")).to_be_hidden()
    mark_page(viewer)

    # The host pins the product: the viewer's room shows it without a reload.
    host.get_by_test_id("featured-row").filter(has_text=title).get_by_test_id("pin").click()
    expect(host.get_by_test_id("featured-row").filter(has_text=title).get_by_test_id("unpin")).to_be_visible()
    expect(viewer.get_by_test_id("pinned-title")).to_have_text(title)
    expect(viewer.get_by_test_id("pinned-product")).to_contain_text(f"¥{LIVE_PRICE}")
    assert still_same_page(viewer)

    # The viewer chats: the message appears in the room and on the host's console.
    message = f"有M码吗 {code}"  # plain text: the room normalises full-width punctuation (NFKC)
    viewer.get_by_test_id("chat-input").fill(message)
    viewer.get_by_test_id("chat-send").click()
    expect(viewer.get_by_test_id("chat-message").filter(has_text=message)).to_contain_text(viewer_name)
    expect(host.get_by_test_id("chat-message").filter(has_text=message)).to_be_visible()
    assert still_same_page(viewer)

    # The viewer buys from the room: add to cart in place, then check out and pay.
    product = viewer.get_by_test_id("live-product").filter(has_text=title)
    expect(product.get_by_test_id("live-price")).to_have_text(f"¥{LIVE_PRICE}")
    product.get_by_test_id("live-quantity").fill("2")
    product.get_by_test_id("live-add-to-cart").click()
    expect(product.get_by_test_id("cart-message")).to_have_class(re.compile(r"live-ok"))
    assert still_same_page(viewer), "adding to the cart keeps the viewer in the room"

    # Buy now from the room: just this item goes to checkout (beside the room on a wide screen), at the live price
    # and attributed to the stream; the cart keeps the line added above.
    product.get_by_test_id("live-quantity").fill("1")
    with viewer.context.expect_page() as opened:
        product.get_by_test_id("live-buy-now").click()
    checkout = opened.value
    checkout.wait_for_url(re.compile(r"/checkout/\?sku=\d+&quantity=1&source=live"))
    expect(checkout.get_by_test_id("checkout-store")).to_have_count(1)
    expect(checkout.get_by_test_id("checkout-store")).to_contain_text(title)
    checkout.get_by_test_id("place-order").click()
    checkout.wait_for_url(re.compile(r"/orders/\d+/pay/$"))
    number = re.search(r"/orders/(\d+)/", checkout.url).group(1)
    (bought,) = [line for s in api_get(checkout, f"/api/v1/orders/{number}/")["suborders"] for line in s["lines"]]
    assert bought["title"] == title and bought["quantity"] == 1 and bought["source"] == f"live:{stream_id}"
    assert Decimal(bought["base"]) == LIVE_PRICE
    in_cart = [
        (line["title"], line["quantity"]) for s in api_get(viewer, "/api/v1/cart/")["stores"] for line in s["lines"]
    ]
    assert in_cart == [(title, 2)], "buy now leaves the cart alone"
    checkout.close()
    assert still_same_page(viewer), "the room keeps playing while the shopper checks out"

    viewer.goto("/cart/")
    line = viewer.get_by_test_id("cart-line").filter(has_text=title)
    expect(line).to_contain_text(f"live:{stream_id}")
    expect(line.get_by_test_id("line-quantity")).to_have_value("2")
    viewer.get_by_test_id("go-checkout").click()
    viewer.get_by_test_id("place-order").click()
    number = pay_in_sandbox(viewer)

    order = api_get(viewer, f"/api/v1/orders/{number}/")
    (suborder,) = order["suborders"]
    (order_line,) = suborder["lines"]
    assert order_line["title"] == title and order_line["quantity"] == 2
    assert order_line["source"] == f"live:{stream_id}"
    assert Decimal(order_line["base"]) == 2 * LIVE_PRICE  # the live price held through checkout
    assert Decimal(order_line["payable"]) <= 2 * LIVE_PRICE
