"""A shopper on a phone (375 px wide) follows a store, favourites a product and finds both in their lists and
footprints; the merchant then sees them among its customers and followers."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, sign_up_shopper

pytestmark = pytest.mark.e2e
PHONE = {"width": 375, "height": 800}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_follow_favourite_and_footprints_on_a_phone_then_the_merchant_sees_the_follower(new_page):
    shopper = new_page()
    shopper.set_viewport_size(PHONE)
    username = sign_up_shopper(shopper, "follower")
    shopper.goto("/s/youxuan-tmall/")  # the demo merchant's Tmall store
    assert fits_the_screen(shopper)
    shopper.goto(shopper.get_by_test_id("product-card").first.get_attribute("href"))
    product_title = shopper.get_by_test_id("product-title").inner_text().split(" ", 1)[-1].strip()
    shopper.get_by_test_id("favourite-product").click()
    shopper.goto("/me/favourites/")
    expect(shopper.get_by_test_id("favourite-list")).to_contain_text(product_title)
    assert fits_the_screen(shopper)

    shopper.goto("/s/youxuan-tmall/")
    shopper.get_by_test_id("follow-store").click()
    shopper.goto("/me/follows/")
    expect(shopper.get_by_test_id("follow-list").get_by_test_id("follow-row")).to_have_count(1)
    assert fits_the_screen(shopper)

    shopper.goto("/me/footprints/")
    assert fits_the_screen(shopper)

    merchant = new_page()
    log_in(merchant, "merchant")
    merchant.goto("/seller/customers/?segment=follower")
    expect(merchant.get_by_test_id("follower-counts")).to_be_visible()
    expect(merchant.get_by_test_id("customer-table")).to_contain_text(username)
