"""The review journey: a shopper receives an order, reviews it with a photo on a phone-sized screen, the merchant
replies in the workbench, and the rating reaches the store page and the store API (via the worker)."""

import io
import re
import time

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import api_get, create_product, log_in, pay_in_sandbox, sign_up_shopper, unique

pytestmark = pytest.mark.e2e


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (220, 80, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.timeout(900)  # a long journey; when it runs first it also pays for the session's server and demo data
def test_receive_review_with_photo_reply_and_store_rating(new_page):
    merchant = new_page()
    log_in(merchant, "merchant")
    merchant.goto("/seller/")
    code = unique("RV").upper()
    title = f"评价测试T恤 {code}"
    product_id = create_product(merchant, title=title, category="T恤", skus=[(f"{code}-M", "尺码=M", "59.00", 20)])

    shopper = new_page()
    sign_up_shopper(shopper, "reviewer")
    shopper.goto(f"/p/{product_id}/")
    shopper.get_by_test_id("add-to-cart").click()
    shopper.wait_for_url("**/cart/")
    shopper.get_by_test_id("go-checkout").click()
    shopper.get_by_test_id("place-order").click()
    number = pay_in_sandbox(shopper)
    (suborder,) = api_get(shopper, f"/api/v1/orders/{number}/")["suborders"]

    merchant.goto(f"/seller/orders/{suborder['id']}/")
    merchant.get_by_test_id("carrier").fill("顺丰速运")
    merchant.get_by_test_id("tracking-number").fill(f"SF{number}")
    merchant.get_by_test_id("ship").click()
    expect(merchant.get_by_test_id("suborder-state")).to_have_text("Shipped")

    shopper.goto(f"/orders/{number}/")
    shopper.get_by_test_id("confirm-receipt").click()
    expect(shopper.get_by_test_id("suborder-state")).to_have_text("Received")

    # On a phone: the 待评价 tab, the form with stars, store scores and a photo; nothing wider than the screen.
    shopper.set_viewport_size({"width": 375, "height": 812})
    shopper.goto("/orders/")
    shopper.get_by_test_id("tab-reviewspending").click()
    row = shopper.get_by_test_id("pending-line").filter(has_text=title)
    row.get_by_test_id("write-review").click()
    form = shopper.get_by_test_id("review-form")
    assert shopper.evaluate("document.documentElement.scrollWidth") <= 375
    form.locator("input[name=rating][value='5']").check()
    form.locator("textarea[name=text]").fill("<b>很好</b> 面料舒服 comfy")
    for name, value in (("dsr_description", "5"), ("dsr_service", "4"), ("dsr_logistics", "5")):
        form.locator(f"input[name={name}][value='{value}']").check()
    form.locator("input[name=photos]").set_input_files(
        [{"name": "tee.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    shopper.get_by_test_id("submit-review").click()
    shopper.wait_for_url("**/reviews/pending/")
    expect(shopper.get_by_test_id("pending-line").filter(has_text=title)).to_have_count(0)

    # The product page loads its reviews section: the text escaped, the photo resized and served from media.
    shopper.set_viewport_size({"width": 1280, "height": 900})
    shopper.goto(f"/p/{product_id}/")
    review = shopper.get_by_test_id("review").first
    expect(review.get_by_test_id("review-text")).to_have_text("<b>很好</b> 面料舒服 comfy")
    expect(review.get_by_test_id("review-photo")).to_have_count(1)
    src = review.get_by_test_id("review-photo").get_attribute("src")
    assert src.startswith("/media/reviews/") and shopper.request.get(src).ok

    # The merchant replies once from the workbench.
    merchant.goto("/seller/reviews/?show=unreplied")
    card = merchant.get_by_test_id("seller-review").filter(has_text="面料舒服")
    card.locator("textarea[name=text]").fill("感谢支持！")
    card.get_by_test_id("reply-submit").click()
    expect(merchant.get_by_test_id("seller-review").filter(has_text="面料舒服")).to_have_count(0)
    merchant.goto("/seller/reviews/?show=all")
    expect(
        merchant.get_by_test_id("seller-review").filter(has_text="面料舒服").get_by_test_id("review-reply")
    ).to_contain_text("感谢支持")

    # The worker folds the scores into the store's DSR; the API and the store page show it.
    store_slug = re.search(r"/s/([\w-]+)/", shopper.get_by_test_id("store-link").get_attribute("href")).group(1)
    deadline, dsr = time.monotonic() + 10, None
    while time.monotonic() < deadline:
        dsr = api_get(shopper, f"/api/v1/stores/{store_slug}/")["dsr"]
        if dsr["count"] >= 1:
            break
        time.sleep(0.3)
    assert dsr["count"] >= 1
    shopper.goto(f"/s/{store_slug}/")
    expect(shopper.get_by_test_id("store-dsr")).to_be_visible()
    expect(shopper.get_by_test_id("store-dsr")).to_contain_text(re.compile(r"Ratings in 180 days|Item as described"))
