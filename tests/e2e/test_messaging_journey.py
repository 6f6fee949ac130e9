"""The chat journey: a shopper on a phone asks a question from a product page; the store's 客服 answers from the
shared inbox; the answer reaches the shopper's open page over the WebSocket, without a reload."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, mark_page, sign_up_shopper, still_same_page, unique

pytestmark = pytest.mark.e2e

STORE_SLUG = "youxuan-taobao"


def test_shopper_asks_from_a_product_page_and_customer_service_answers_live(new_page):
    shopper = new_page(locale="zh-CN")
    shopper.set_viewport_size({"width": 375, "height": 812})
    username = sign_up_shopper(shopper, "chat")
    shopper.goto(f"/s/{STORE_SLUG}/")
    # (followed by address: at 375 px the sticky top bar covers the first card)
    shopper.goto(shopper.locator("a.product-card").first.get_attribute("href"))
    shopper.get_by_test_id("contact-store").click()
    question = unique("这件有 L 码吗？<b>") + "</b>"
    shopper.get_by_test_id("chat-input").fill(question)
    shopper.get_by_test_id("chat-send").click()
    shopper.wait_for_url(re.compile(r"/messages/c/\d+/$"))
    log = shopper.get_by_test_id("chat-log")
    expect(log.get_by_test_id("product-card")).to_have_count(1)
    expect(log.get_by_test_id("message-text").last).to_have_text(question)  # shown as text, not markup
    expect(shopper.get_by_test_id("chat")).to_have_attribute("data-live", "1")
    assert shopper.evaluate("document.documentElement.scrollWidth") <= 375
    mark_page(shopper)

    agent = new_page()
    log_in(agent, "cs")
    agent.goto("/seller/inbox/")
    row = agent.get_by_test_id("inbox-row").filter(has_text=username)
    expect(row.get_by_test_id("inbox-unread")).to_have_text("2")  # the product card and the question
    row.get_by_test_id("inbox-open").click()
    expect(agent.get_by_test_id("chat-log")).to_contain_text(question)
    expect(agent.get_by_test_id("chat")).to_have_attribute("data-live", "1")
    agent.get_by_test_id("chat-input").fill("有的，L 码有货，今天下单明天发")
    agent.get_by_test_id("chat-send").click()

    expect(shopper.get_by_test_id("chat-log")).to_contain_text("有的，L 码有货，今天下单明天发")
    assert still_same_page(shopper)
