"""The operator's journey in the console: approve a Tmall store's brand authorization, create a cross-store
campaign after previewing it on a sample cart, and publish a new version of the instant-refund policy."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import api_get, api_post, log_in, switch_store, unique

pytestmark = pytest.mark.e2e


def money(text: str) -> Decimal:
    return Decimal(re.search(r"-?\d+\.\d+", text.replace(",", "")).group(0))


def local_input(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def choose_sample_sku(page, row: int, brand_label: str) -> Decimal:
    """Pick the first SKU of a brand in a preview row; returns its price (the option ends with "¥price")."""
    select = page.get_by_test_id(f"sample-sku-{row}")
    option = select.locator("option", has_text=f"[{brand_label}]").first
    select.select_option(option.get_attribute("value"))
    return money(option.inner_text().rsplit("¥", 1)[1])


def test_operator_approves_a_brand_creates_a_campaign_and_publishes_a_refund_policy(new_page):
    # A merchant opens a new Tmall store and submits its brand authorization from the workbench.
    merchant = new_page()
    log_in(merchant, "merchant2")
    store_name = unique("茶香旗舰店 ")
    store = api_post(merchant, "/api/v1/seller/stores/", {"name": store_name, "brand": "TMALL",
                                                          "slug": unique("e2e-tea-")})  # fmt: skip
    assert store["status"] == "pending"
    switch_store(merchant, store_name)
    expect(merchant.get_by_test_id("pending-brand")).to_be_visible()
    merchant.goto("/seller/brand/")
    form = merchant.get_by_test_id("brand-form")
    form.locator("[name=brand_name]").fill("茶香")
    form.locator("[name=document_note]").fill("商标注册证 第 20260001 号；授权期限 2026-2030")
    form.locator("button[type=submit]").click()
    expect(merchant.get_by_test_id("brand-table")).to_contain_text("Pending review")

    # The operator approves it from the review queue.
    ops = new_page()
    log_in(ops, "operator")
    ops.goto("/ops/")
    expect(ops.get_by_test_id("pending-count")).not_to_have_text("0")
    ops.get_by_test_id("pending-count").click()
    card = ops.get_by_test_id("authorization").filter(has_text=store_name)
    expect(card).to_contain_text("20260001")
    card.get_by_test_id("decision-reason").fill("商标证与授权书齐全")
    card.get_by_test_id("approve").click()
    expect(ops.get_by_test_id("authorization").filter(has_text=store_name)).to_have_count(0)
    ops.goto("/ops/brand-authorizations/?status=approved")
    expect(ops.get_by_test_id("authorization").filter(has_text=store_name)).to_contain_text("商标证与授权书齐全")
    merchant.goto("/seller/")
    expect(merchant.locator("main h1")).to_contain_text(store_name)
    expect(merchant.get_by_test_id("pending-brand")).to_have_count(0)
    assert next(s for s in api_get(merchant, "/api/v1/seller/stores/") if s["id"] == store["id"])["status"] == "open"

    # Next season's cross-store campaign: previewed on a sample Tmall + Taobao cart, then saved. It starts after the
    # demo campaign ends (a line takes part in one cross-store campaign, the first listed, so an overlap would hide
    # it) and no store has enrolled yet, so it changes nobody's prices while the other journeys run.
    campaign_name = unique("E2E 双12 跨店 每满200减30 ")
    ops.goto("/ops/promotions/campaigns/")
    ops.get_by_test_id("new-campaign").click()
    starts = datetime.datetime.now() + datetime.timedelta(days=40)
    ops.get_by_test_id("campaign-name").fill(campaign_name)
    ops.get_by_test_id("campaign-starts-at").fill(local_input(starts))
    ops.get_by_test_id("campaign-ends-at").fill(local_input(starts + datetime.timedelta(days=7)))
    ops.get_by_test_id("campaign-every").fill("200.00")
    ops.get_by_test_id("campaign-off").fill("30.00")
    ops.get_by_test_id("campaign-platform-share").fill("0.50")
    ops.get_by_test_id("campaign-budget").fill("10000.00")
    tmall_price = choose_sample_sku(ops, 1, "Tmall")
    taobao_price = choose_sample_sku(ops, 2, "Taobao")
    ops.get_by_test_id("sample-qty-1").fill("3")
    ops.get_by_test_id("sample-qty-2").fill("3")
    ops.get_by_test_id("preview-button").click()
    preview = ops.get_by_test_id("preview-result")
    expect(preview).to_be_visible()
    expect(ops.get_by_test_id("preview-line")).to_have_count(2)
    lines = ops.get_by_test_id("preview-line")
    expect(lines.filter(has=ops.locator(".badge.TMALL"))).to_contain_text(campaign_name)
    expect(lines.filter(has=ops.locator(".badge.TAOBAO"))).to_contain_text(campaign_name)
    # The campaign's discount, split over the two stores' lines, is a whole number of ¥30 steps.
    shares = [money(text) for text in lines.locator("td div", has_text=campaign_name).all_inner_texts()]
    assert len(shares) == 2 and sum(shares) > 0 and sum(shares) % 30 == 0, shares
    subtotal = 3 * tmall_price + 3 * taobao_price
    assert money(preview.locator("tfoot th").nth(1).inner_text()) == subtotal
    discount = money(ops.get_by_test_id("preview-discount").inner_text())
    assert discount >= sum(shares)
    assert money(ops.get_by_test_id("preview-payable").inner_text()) == subtotal - discount
    expect(ops.get_by_test_id("campaign-name")).to_have_value(campaign_name)  # the form keeps what was typed
    ops.get_by_test_id("save-campaign").click()
    ops.wait_for_url(re.compile(r"/ops/promotions/campaigns/\d+/$"))
    campaign_id = re.search(r"/campaigns/(\d+)/", ops.url).group(1)
    expect(ops.locator(".messages")).to_contain_text("Campaign saved.")
    expect(ops.get_by_test_id("enrolled-stores")).to_contain_text("No store has enrolled yet.")
    ops.goto("/ops/promotions/campaigns/")
    expect(ops.get_by_test_id("campaign-list")).to_contain_text(campaign_name)
    campaign = api_get(ops, f"/api/v1/promotions/campaigns/{campaign_id}/")
    assert campaign["name"] == campaign_name
    assert Decimal(campaign["every"]) == Decimal("200.00") and Decimal(campaign["off"]) == Decimal("30.00")

    # The refund policy: raise the Taobao instant-refund limit by ¥100, dry-run it, publish it as a new version.
    before = api_get(ops, "/api/v1/ops/refund-policy/")["current"]
    ops.goto("/ops/refunds/policy/")
    expect(ops.locator("main")).to_contain_text(f"Version {before['number']} is in force")
    limit = ops.locator("#id_TAOBAO_max_suborder_amount")
    old_limit = limit.input_value()
    new_limit = f"{Decimal(old_limit or '500.00') + 100:.2f}"
    limit.fill(new_limit)
    ops.get_by_test_id("policy-dry-run").click()
    expect(ops.get_by_test_id("dry-run-result")).to_contain_text("paid orders checked")
    expect(ops.get_by_test_id("dry-run-row").first).to_be_visible()
    note = unique("E2E raise the Taobao limit ")
    ops.locator("[name=note]").fill(note)
    ops.get_by_test_id("policy-publish").click()
    ops.wait_for_url("**/ops/refunds/policy/history/")
    number = before["number"] + 1
    row = ops.get_by_test_id(f"policy-version-{number}")
    expect(row).to_contain_text("in force")
    expect(row).to_contain_text(note)
    expect(ops.get_by_test_id("policy-audit")).to_contain_text(new_limit)
    after = api_get(ops, "/api/v1/ops/refund-policy/")["current"]
    assert after["number"] == number
    assert after["rules"]["brands"]["TAOBAO"]["max_suborder_amount"] == new_limit
    assert after["rules"]["brands"]["TMALL"] == before["rules"]["brands"]["TMALL"]
