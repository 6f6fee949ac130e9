"""Unit tests per lane and per edge of PRICING.md."""

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from promotions.engine import QuoteInputError, UnusableCouponError, parse_request, quote
from promotions.engine.allocation import allocate
from tests.promotions.builders import (
    applied,
    cross_store,
    gift,
    item_discount,
    line,
    payables,
    platform_coupon,
    red_packet,
    run,
    scenario,
    shares,
    store,
    store_coupon,
    store_threshold,
    tiers,
)

# ---------------------------------------------------------------------------------------------------------------
# Allocation


def test_allocation_adds_up_and_leftover_cents_go_to_largest_remainders():
    assert allocate(1000, [15033, 12300, 16667]) == [342, 279, 379]
    assert sum(allocate(9999, [1, 2, 3, 4, 5, 6, 7])) == 9999


def test_allocation_rounding_tie_goes_to_the_earlier_line():
    assert allocate(1, [1, 1]) == [1, 0]
    assert allocate(2, [1, 1, 1]) == [1, 1, 0]
    assert allocate(5, [5, 3, 3]) == [2, 2, 1]  # exact 2.27, 1.36, 1.36: the tie of .36 goes to the earlier
    assert allocate(4, [3, 5, 5]) == [1, 2, 1]


def test_allocation_zero_weights_get_nothing():
    assert allocate(100, [0, 0]) == [0, 0]
    assert allocate(101, [0, 1, 1]) == [0, 51, 50]
    assert allocate(0, [3, 4]) == [0, 0]


# ---------------------------------------------------------------------------------------------------------------
# Lane 1: item


def one_line_with(*promotions, price="100.00", quantity=1):
    return run(scenario([line("L1", "s1", price, quantity, sku="SKU")], promotions=list(promotions)))


def test_item_amount_off_per_unit_times_quantity():
    output = one_line_with(item_discount("p1", ["SKU"], amount_off="12.50"), quantity=3)
    assert output["lines"][0]["subtotal"] == "300.00"
    assert output["lines"][0]["base"] == "262.50"
    assert shares(output, "p1") == ["37.50"]


@pytest.mark.parametrize(
    ("price", "percent", "unit_base"),
    [
        ("9.99", 15, "8.49"),
        ("0.05", 50, "0.03"),
        ("0.15", "50", "0.08"),
        ("100.00", "12.5", "87.50"),
        ("7.77", 100, "0.00"),
    ],
)
def test_item_percent_rounds_the_unit_price_half_up(price, percent, unit_base):
    output = one_line_with(item_discount("p1", ["SKU"], percent_off=percent), price=price, quantity=2)
    assert output["lines"][0]["base"] == str(Decimal(unit_base) * 2)


def test_item_best_unit_price_wins_and_kinds_never_stack():
    output = one_line_with(
        item_discount("p1", ["SKU"], amount_off="15.00"),
        item_discount("p2", ["SKU"], percent_off=20),
        item_discount("p3", ["SKU"], fixed_price="82.00"),
    )
    assert output["lines"][0]["base"] == "80.00"
    assert output["lines"][0]["discounts"] == [{"source": "p2", "lane": "item", "amount": "20.00"}]


def test_item_tie_goes_to_the_first_listed():
    output = one_line_with(
        item_discount("p1", ["SKU"], amount_off="20.00"), item_discount("p2", ["SKU"], percent_off=20)
    )
    assert [entry["source"] for entry in output["applied"]] == ["p1"]


def test_item_unit_price_never_below_zero_and_fixed_price_never_raises():
    assert one_line_with(item_discount("p1", ["SKU"], amount_off="150.00"))["lines"][0]["base"] == "0.00"
    raised = one_line_with(item_discount("p1", ["SKU"], fixed_price="120.00"))
    assert raised["lines"][0]["base"] == "100.00"
    assert raised["applied"] == []


def test_item_discount_covers_only_its_skus():
    output = run(
        scenario(
            [line("L1", "s1", "10.00", sku="A"), line("L2", "s1", "10.00", sku="B")],
            promotions=[item_discount("p1", ["B"], amount_off="1.00")],
        )
    )
    assert [item["base"] for item in output["lines"]] == ["10.00", "9.00"]


# ---------------------------------------------------------------------------------------------------------------
# Lane 2: store


def store_lane(lines, promotions=(), coupons=(), choice="best", first_order=()):
    return run(
        scenario(lines, promotions=list(promotions), coupons=list(coupons), choice=choice, first_order=first_order)
    )


def test_store_tiers_highest_met_and_threshold_exactly_met():
    promotion = store_threshold("p1", "s1", tiers=tiers(("100.00", "10.00"), ("300.00", "40.00"), ("200.00", "25.00")))
    assert applied(store_lane([line("L1", "s1", "299.99")], [promotion]), "p1")["amount"] == "25.00"
    assert applied(store_lane([line("L1", "s1", "300.00")], [promotion]), "p1")["amount"] == "40.00"
    assert applied(store_lane([line("L1", "s1", "99.99")], [promotion]), "p1") is None


def test_store_every_x_off_y_with_cap():
    promotion = store_threshold("p1", "s1", every="100.00", off="15.00", cap="40.00")
    assert applied(store_lane([line("L1", "s1", "199.99")], [promotion]), "p1")["amount"] == "15.00"
    assert applied(store_lane([line("L1", "s1", "200.00")], [promotion]), "p1")["amount"] == "30.00"
    assert applied(store_lane([line("L1", "s1", "900.00")], [promotion]), "p1")["amount"] == "40.00"


def test_store_best_threshold_promotion_applies_ties_first_listed():
    promotions = [
        store_threshold("p1", "s1", every="100.00", off="10.00"),
        store_threshold("p2", "s1", tiers=tiers(("300.00", "35.00"))),
        store_threshold("p3", "s1", tiers=tiers(("100.00", "35.00"))),
    ]
    output = store_lane([line("L1", "s1", "300.00")], promotions)
    assert [entry["source"] for entry in output["applied"]] == ["p2"]


def test_store_promotion_is_allocated_by_base_and_cut_to_what_the_line_owes():
    output = store_lane(
        [line("L1", "s1", "10.00"), line("L2", "s1", "90.00")],
        [store_threshold("p1", "s1", tiers=tiers(("100.00", "150.00")))],
    )
    assert shares(output, "p1") == ["10.00", "90.00"]
    assert applied(output, "p1")["amount"] == "100.00"
    assert payables(output) == ["0.00", "0.00"]


def test_store_coupon_threshold_exactly_met_and_one_per_store():
    coupons = [store_coupon("c1", "s1", "200.00", "20.00"), store_coupon("c2", "s1", "200.01", "50.00")]
    output = store_lane([line("L1", "s1", "120.00"), line("L2", "s1", "80.00")], coupons=coupons)
    assert output["coupons_used"] == ["c1"]
    assert shares(output, "c1") == ["12.00", "8.00"]
    assert output["hints"] == [{"source": "c2", "spend_more": "0.01", "save": "50.00"}]


def test_store_coupon_threshold_is_checked_on_base_not_on_owed():
    output = store_lane(
        [line("L1", "s1", "300.00")],
        [store_threshold("p1", "s1", tiers=tiers(("300.00", "50.00")))],
        [store_coupon("c1", "s1", "300.00", "30.00")],
    )
    assert output["coupons_used"] == ["c1"]
    assert payables(output) == ["220.00"]


def test_first_order_gift_only_for_a_new_shopper_and_after_the_coupon():
    lines = [line("L1", "s1", "100.00")]
    promotions = [gift("g1", "s1", "30.00", threshold="100.00")]
    coupons = [store_coupon("c1", "s1", "100.00", "80.00")]
    assert applied(store_lane(lines, promotions, coupons), "g1") is None
    output = store_lane(lines, promotions, coupons, first_order=["s1"])
    assert shares(output, "c1") == ["80.00"]
    assert shares(output, "g1") == ["20.00"]  # cut to what the line still owes after the coupon
    assert payables(output) == ["0.00"]


def test_first_order_gift_threshold_defaults_to_zero_and_must_be_met():
    lines = [line("L1", "s1", "50.00")]
    assert applied(store_lane(lines, [gift("g1", "s1", "5.00")], first_order=["s1"]), "g1")["amount"] == "5.00"
    not_met = store_lane(lines, [gift("g1", "s1", "5.00", threshold="50.01")], first_order=["s1"])
    assert applied(not_met, "g1") is None


def test_exclusive_store_promotion_means_no_store_coupon_or_gift():
    lines = [line("L1", "s1", "300.00")]
    promotions = [
        store_threshold("p1", "s1", tiers=tiers(("300.00", "30.00")), exclusive=True),
        gift("g1", "s1", "10.00"),
    ]
    coupons = [store_coupon("c1", "s1", "100.00", "50.00")]
    output = store_lane(lines, promotions, coupons, first_order=["s1"])
    assert [entry["source"] for entry in output["applied"]] == ["p1"]
    assert output["coupons_used"] == []
    with pytest.raises(UnusableCouponError, match='promotion "p1" is exclusive in store "s1"'):
        store_lane(lines, promotions, coupons, choice=["c1"], first_order=["s1"])


def test_exclusive_first_order_gift_is_the_only_store_discount():
    lines = [line("L1", "s1", "300.00")]
    promotions = [
        store_threshold("p1", "s1", tiers=tiers(("300.00", "30.00"))),
        gift("g1", "s1", "10.00", exclusive=True),
    ]
    output = store_lane(lines, promotions, [store_coupon("c1", "s1", "100.00", "50.00")], first_order=["s1"])
    assert [entry["source"] for entry in output["applied"]] == ["g1"]


def test_exclusive_store_promotion_leaves_other_stores_and_lanes_alone():
    output = store_lane(
        [line("L1", "s1", "300.00"), line("L2", "s2", "300.00")],
        [
            store_threshold("p1", "s1", tiers=tiers(("300.00", "30.00")), exclusive=True),
            cross_store("x", "600.00", "60.00"),
        ],
        [store_coupon("c1", "s2", "100.00", "10.00")],
    )
    assert [entry["source"] for entry in output["applied"]] == ["p1", "c1", "x"]


# ---------------------------------------------------------------------------------------------------------------
# Lane 3: cross-store


def test_cross_store_restricted_by_stores_and_brands():
    stores = [store("s1", "TMALL"), store("s2", "TAOBAO"), store("s3", "TMALL")]
    lines = [line("L1", "s1", "200.00"), line("L2", "s2", "200.00"), line("L3", "s3", "200.00")]
    by_brand = run(scenario(lines, stores, [cross_store("x", "400.00", "40.00", brands=["TMALL"])]))
    assert shares(by_brand, "x") == ["20.00", "0.00", "20.00"]
    by_store = run(scenario(lines, stores, [cross_store("x", "400.00", "40.00", stores=["s2", "s3"])]))
    assert shares(by_store, "x") == ["0.00", "20.00", "20.00"]
    both = run(scenario(lines, stores, [cross_store("x", "200.00", "40.00", stores=["s1", "s2"], brands=["TAOBAO"])]))
    assert shares(both, "x") == ["0.00", "40.00", "0.00"]


def test_a_line_takes_part_in_the_first_listed_cross_store_promotion_only():
    stores = [store("s1", "TMALL"), store("s2", "TAOBAO")]
    lines = [line("L1", "s1", "300.00"), line("L2", "s2", "300.00")]
    promotions = [cross_store("x1", "300.00", "30.00", brands=["TMALL"]), cross_store("x2", "300.00", "50.00")]
    output = run(scenario(lines, stores, promotions))
    assert shares(output, "x1") == ["30.00", "0.00"]
    assert shares(output, "x2") == ["0.00", "50.00"]  # x2 sees only L2: base 300, one step


def test_a_line_stays_with_its_first_campaign_even_when_its_threshold_is_not_met():
    lines = [line("L1", "s1", "100.00")]
    output = run(scenario(lines, promotions=[cross_store("x1", "300.00", "30.00"), cross_store("x2", "50.00", "5.00")]))
    assert output["applied"] == []
    assert output["hints"] == [{"source": "x1", "spend_more": "200.00", "save": "30.00"}]


def test_cross_store_cap_and_threshold_on_base_despite_store_discounts():
    lines = [line("L1", "s1", "600.00"), line("L2", "s2", "600.00")]
    promotions = [
        store_threshold("p1", "s1", tiers=tiers(("600.00", "100.00"))),
        cross_store("x", "300.00", "50.00", cap="150.00"),
    ]
    output = run(scenario(lines, promotions=promotions))
    assert applied(output, "x")["amount"] == "150.00"
    assert shares(output, "x") == ["75.00", "75.00"]
    assert output["hints"] == []  # the cap is reached


def test_cross_store_line_with_zero_base_gets_nothing():
    lines = [line("L1", "s1", "300.00", sku="free"), line("L2", "s2", "300.00")]
    promotions = [item_discount("p0", ["free"], fixed_price="0.00"), cross_store("x", "300.00", "50.00")]
    assert shares(run(scenario(lines, promotions=promotions)), "x") == ["0.00", "50.00"]


# ---------------------------------------------------------------------------------------------------------------
# Lane 4: platform coupon


def platform_cart():
    stores = [store("s1", "TMALL"), store("s2", "TAOBAO")]
    lines = [
        line("L1", "s1", "200.00", category="apparel"),
        line("L2", "s1", "100.00", category="beauty"),
        line("L3", "s2", "300.00", category="apparel"),
    ]
    return stores, lines


@pytest.mark.parametrize(
    ("restrictions", "expected"),
    [
        ({}, ["20.00", "10.00", "30.00"]),
        ({"brands": ["TAOBAO"]}, ["0.00", "0.00", "60.00"]),
        ({"categories": ["apparel"]}, ["24.00", "0.00", "36.00"]),
        ({"stores": ["s1"], "categories": ["apparel", "beauty"]}, ["40.00", "20.00", "0.00"]),
        ({"brands": ["TMALL"], "categories": ["beauty"]}, ["0.00", "60.00", "0.00"]),
    ],
)
def test_platform_coupon_restrictions_all_hold(restrictions, expected):
    stores, lines = platform_cart()
    output = run(scenario(lines, stores, coupons=[platform_coupon("c", "100.00", "60.00", **restrictions)]))
    assert shares(output, "c") == expected
    assert applied(output, "c")["platform_funded"] == "60.00"


def test_platform_coupon_threshold_is_on_owed_after_lane_3_and_takes_at_most_that():
    lines = [line("L1", "s1", "300.00")]
    promotions = [cross_store("x", "300.00", "50.00")]
    not_met = run(scenario(lines, promotions=promotions, coupons=[platform_coupon("c", "300.00", "30.00")]))
    assert not_met["coupons_used"] == []
    assert not_met["hints"][-1] == {"source": "c", "spend_more": "50.00", "save": "30.00"}
    exactly = run(scenario(lines, promotions=promotions, coupons=[platform_coupon("c", "250.00", "999.00")]))
    assert shares(exactly, "c") == ["250.00"]
    assert payables(exactly) == ["0.00"]


def test_platform_coupon_allocated_by_owed():
    lines = [line("L1", "s1", "100.00"), line("L2", "s2", "100.00")]
    output = run(
        scenario(
            lines,
            promotions=[store_threshold("p1", "s1", tiers=tiers(("100.00", "50.00")))],
            coupons=[platform_coupon("c", "150.00", "30.00")],
        )
    )
    assert shares(output, "c") == ["10.00", "20.00"]


# ---------------------------------------------------------------------------------------------------------------
# Lane 5: red packets


def test_red_packets_in_input_order_each_min_of_off_and_owed():
    lines = [line("L1", "s1", "10.00"), line("L2", "s1", "20.00")]
    coupons = [red_packet("r1", "25.00"), red_packet("r2", "10.00"), red_packet("r3", "1.00")]
    output = run(scenario(lines, coupons=coupons, choice=["r2", "r1"]))
    assert output["coupons_used"] == ["r1", "r2"]
    assert applied(output, "r1")["amount"] == "25.00"
    assert applied(output, "r2")["amount"] == "5.00"
    assert payables(output) == ["0.00", "0.00"]
    with pytest.raises(UnusableCouponError, match=r'coupon_choice\[2\]: coupon "r3" would take 0.00'):
        run(scenario(lines, coupons=coupons, choice=["r1", "r2", "r3"]))


# ---------------------------------------------------------------------------------------------------------------
# Validity windows


def test_expired_and_not_yet_valid_promotions_are_ignored_and_ends_are_inclusive():
    lines = [line("L1", "s1", "300.00")]
    windows = [
        ({"valid_to": "2026-11-11T00:09:59+08:00"}, False),
        ({"valid_from": "2026-11-11T00:10:01+08:00"}, False),
        ({"valid_from": "2026-11-11T00:10:00+08:00", "valid_to": "2026-11-10T16:10:00Z"}, True),
    ]
    for window, in_force in windows:
        output = run(scenario(lines, promotions=[cross_store("x", "300.00", "50.00", **window)]))
        assert (applied(output, "x") is not None) == in_force, window


def test_coupon_outside_its_window_is_not_chosen_and_cannot_be_forced():
    lines = [line("L1", "s1", "300.00")]
    coupons = [red_packet("r1", "5.00", valid_to="2026-11-10T23:59:59+08:00")]
    assert run(scenario(lines, coupons=coupons))["coupons_used"] == []
    with pytest.raises(UnusableCouponError, match="is not valid at 2026-11-11T00:10:00"):
        run(scenario(lines, coupons=coupons, choice=["r1"]))


# ---------------------------------------------------------------------------------------------------------------
# Funding


def priced(data):
    return quote(parse_request(data))


def test_cross_store_platform_share_is_rounded_half_up_per_store_share():
    stores = [store("s1", "TMALL"), store("s2", "TAOBAO")]
    data = scenario(
        [line("A1", "s1", "200.00"), line("B1", "s2", "250.00")],
        stores,
        [cross_store("x", "300.00", "50.00", platform_share="0.333")],
    )
    entry = applied(run(data), "x")
    # 22.22 x 0.333 = 7.39926 -> 7.40; 27.78 x 0.333 = 9.25074 -> 9.25
    assert entry["platform_funded"] == "16.65"
    assert entry["merchant_funded"] == {"s1": "14.82", "s2": "18.53"}


def test_half_a_cent_of_platform_share_rounds_up():
    data = scenario(
        [line("L1", "s1", "1.00", sku="A")],
        promotions=[item_discount("p", ["A"], amount_off="0.05", platform_share="0.5")],
    )
    entry = applied(run(data), "p")
    assert (entry["platform_funded"], entry["merchant_funded"]) == ("0.03", {"s1": "0.02"})


def test_every_line_records_its_share_split_between_platform_and_merchant():
    lines = [
        line("L1", "s1", "100.00"),
        line("L2", "s1", "100.00"),
        line("L3", "s1", "100.00"),
        line("L4", "s2", "1.00"),
    ]
    data = scenario(
        lines,
        promotions=[cross_store("x", "100.00", "10.00", platform_share=Decimal("0.5"))],
        coupons=[store_coupon("c", "s1", "300.00", "10.00"), platform_coupon("pc", "10.00", "5.00")],
        choice=["c", "pc"],
    )
    result = priced(data)
    for applied_discount in result.applied:
        store_parts = {}
        for quoted in result.lines:
            for discount in quoted.discounts:
                if discount.source == applied_discount.source:
                    assert discount.platform_funded + discount.merchant_funded == discount.amount
                    assert discount.merchant_funded >= 0 and discount.platform_funded >= 0
                    parts = store_parts.setdefault(quoted.store, [Decimal(0), Decimal(0)])
                    parts[0] += discount.platform_funded
                    parts[1] += discount.merchant_funded
        assert sum(platform for platform, _ in store_parts.values()) == applied_discount.platform_funded
        assert {
            store_id: merchant for store_id, (_, merchant) in store_parts.items()
        } == applied_discount.merchant_funded
    by_source = {entry.source: entry for entry in result.applied}
    assert by_source["c"].platform_funded == 0 and by_source["c"].merchant_funded == {"s1": Decimal("10.00")}
    assert by_source["pc"].platform_funded == by_source["pc"].amount
    assert by_source["x"].platform_funded == Decimal("15.00")
    assert by_source["x"].merchant_funded == {"s1": Decimal("14.95"), "s2": Decimal("0.05")}
    assert [discount.platform_funded for discount in result.lines[0].discounts if discount.source == "x"] == [
        Decimal("4.99")
    ]


# ---------------------------------------------------------------------------------------------------------------
# Explicit coupon choice that cannot be used


def explicit(choice, lines=None, promotions=(), coupons=None):
    lines = lines or [line("L1", "s1", "100.00"), line("L2", "s2", "100.00")]
    coupons = coupons or [
        store_coupon("c1", "s1", "100.00", "10.00"),
        store_coupon("c2", "s1", "50.00", "5.00"),
        store_coupon("c3", "s2", "100.01", "10.00"),
        platform_coupon("pa", "195.01", "20.00"),
        platform_coupon("pb", "100.00", "10.00", stores=["s2"]),
        red_packet("r1", "5.00"),
        red_packet("r0", "0.00"),
        store_coupon("c4", "s9", "10.00", "1.00"),
        red_packet("old", "1.00", valid_to="2026-01-01T00:00:00Z"),
    ]
    return run(scenario(lines, promotions=list(promotions), coupons=coupons, choice=choice))


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        (["nope"], 'coupon_choice[0]: coupon "nope" is unknown'),
        (["old"], 'coupon_choice[0]: coupon "old" is not valid at 2026-11-11T00:10:00+08:00'),
        (["c3"], 'coupon_choice[0]: coupon "c3" threshold 100.01 is not met: store "s2" base is 100.00'),
        (["c4"], 'coupon_choice[0]: coupon "c4" threshold 10.00 is not met: store "s9" base is 0.00'),
        (["c1", "c2"], 'coupon_choice[1]: coupon "c2" is a second store coupon for store "s1"'),
        (["pa", "pb"], 'coupon_choice[1]: coupon "pb" is a second platform coupon (after "pa")'),
        (["r1", "r1"], 'coupon_choice[1]: coupon "r1" is chosen twice'),
        (["r0"], 'coupon_choice[0]: coupon "r0" would take 0.00'),
        (["c2", "pa"], 'coupon_choice[1]: coupon "pa" threshold 195.01 is not met: its eligible lines owe 195.00'),
    ],
)
def test_unusable_explicit_choice_is_an_error(choice, message):
    with pytest.raises(UnusableCouponError) as raised:
        explicit(choice)
    assert raised.value.message == message
    assert isinstance(raised.value, QuoteInputError)


def test_store_coupon_that_would_take_nothing_is_an_error():
    promotions = [store_threshold("p1", "s1", tiers=tiers(("100.00", "100.00")))]
    with pytest.raises(UnusableCouponError, match='"c1" would take 0.00'):
        explicit(["c1"], promotions=promotions)


def test_usable_explicit_choice_is_used_as_given():
    output = explicit(["r1", "c2", "pb"])
    assert output["coupons_used"] == ["c2", "pb", "r1"]
    assert output["totals"]["discount"] == "20.00"


# ---------------------------------------------------------------------------------------------------------------
# Best choice tie-breaks


def best_of(owed: str, coupons, lines=None):
    return run(scenario(lines or [line("L1", "s1", owed)], coupons=coupons))["coupons_used"]


def test_best_takes_the_largest_discount():
    coupons = [store_coupon("c1", "s1", "100.00", "10.00"), store_coupon("c2", "s1", "100.00", "15.00")]
    assert best_of("100.00", coupons) == ["c2"]


def test_best_tie_on_discount_keeps_bigger_coupons_for_later():
    assert best_of("30.00", [red_packet("r50", "50.00"), red_packet("r40", "40.00")]) == ["r40"]


def test_best_tie_on_offs_prefers_fewer_coupons():
    coupons = [red_packet("a", "20.00"), red_packet("b", "20.00"), red_packet("c", "40.00")]
    assert best_of("40.00", coupons) == ["c"]


def test_best_last_tie_break_is_the_first_sorted_id_list():
    assert best_of("40.00", [red_packet("rb", "40.00"), red_packet("ra", "40.00")]) == ["ra"]
    coupons = [red_packet("d", "10.00"), red_packet("a", "30.00"), red_packet("b", "10.00"), red_packet("c", "30.00")]
    assert best_of("40.00", coupons) == ["a", "b"]


def test_best_skips_a_store_coupon_that_would_break_the_platform_threshold():
    lines = [line("L1", "s1", "200.00")]
    coupons = [store_coupon("c1", "s1", "100.00", "10.00"), platform_coupon("p", "200.00", "50.00")]
    assert best_of("", coupons, lines) == ["p"]


def nearly_free_store(store_id: str) -> dict:
    """A store promotion leaves its 100.00 line owing 5.00, so a 20.00 store coupon there gains only 5.00."""
    return store_threshold(f"p{store_id}", store_id, tiers=tiers(("100.00", "95.00")))


def test_best_keeps_the_platform_threshold_with_a_coupon_that_gains_less_than_its_off():
    lines = [line("L1", "s1", "100.00"), line("L2", "s2", "100.00"), line("L3", "s3", "100.00")]
    coupons = [
        store_coupon("m", "s1", "100.00", "10.00"),
        store_coupon("b", "s2", "100.00", "20.00"),  # gains 5.00 only, so it leaves more toward the threshold
        store_coupon("a", "s3", "100.00", "10.00"),
        platform_coupon("z", "190.00", "50.00"),  # two store coupons fit under it only if one of them is "b"
    ]
    output = run(scenario(lines, promotions=[nearly_free_store("s2")], coupons=coupons))
    assert output["coupons_used"] == ["b", "a", "z"]
    assert output["totals"]["payable"] == "140.00"


def test_best_counts_owed_outside_the_platform_coupon_separately():
    lines = [line("L1", "s1", "100.00"), line("L2", "s2", "300.00"), line("L3", "s3", "100.00")]
    coupons = [
        store_coupon("b", "s1", "100.00", "20.00"),  # gains 5.00, on lines the platform coupon does not cover
        store_coupon("a", "s2", "100.00", "10.00"),
        store_coupon("c", "s3", "100.00", "60.00"),
        platform_coupon("z", "150.00", "500.00", stores=["s2", "s3"]),
        red_packet("r", "25.00"),
    ]
    output = run(scenario(lines, promotions=[nearly_free_store("s1")], coupons=coupons))
    assert output["coupons_used"] == ["b", "z"]
    assert output["totals"]["payable"] == "0.00"


def test_best_knows_a_platform_coupon_takes_at_most_what_its_lines_owe():
    lines = [line("L1", "s1", "100.00"), line("L2", "s2", "100.00")]
    coupons = [
        platform_coupon("p", "50.00", "150.00", stores=["s1"]),
        red_packet("r50", "50.00"),
        red_packet("r100", "100.00"),
    ]
    output = run(scenario(lines, coupons=coupons))
    assert output["coupons_used"] == ["p", "r100"]
    assert output["totals"]["payable"] == "0.00"


def test_best_tie_between_stores_goes_to_the_smaller_id_whatever_the_store_order():
    lines = [line("L1", "s1", "100.00"), line("L2", "s2", "100.00")]
    for first, second in (("a", "b"), ("b", "a")):
        coupons = [
            store_coupon(first, "s1", "100.00", "10.00"),
            store_coupon(second, "s2", "100.00", "10.00"),
            platform_coupon("z", "190.00", "50.00"),  # only one of the two store coupons fits under its threshold
        ]
        output = run(scenario(lines, coupons=coupons))
        assert output["coupons_used"] == sorted(["a", "z"], key=[c["id"] for c in coupons].index)
        assert output["totals"]["payable"] == "140.00"


def test_best_finds_the_coupons_that_exactly_fit_above_the_platform_threshold():
    lines = [line("L1", "s1", "100.00"), line("L2", "s2", "100.00"), line("L3", "s3", "100.00")]
    promotions = [store_threshold("t2", "s2", tiers=tiers(("100.00", "92.00")))]  # s2 owes 8.00 after it
    coupons = [
        store_coupon("a", "s1", "100.00", "10.00"),  # saves 10.00
        store_coupon("b", "s2", "100.00", "20.00"),  # saves 8.00 (cut)
        store_coupon("c", "s3", "100.00", "5.00"),  # saves 5.00
        platform_coupon("z", "195.00", "50.00"),  # owed 208.00 without coupons: at most 13.00 of savings fit
    ]
    output = run(scenario(lines, promotions=promotions, coupons=coupons))
    assert output["coupons_used"] == ["b", "c", "z"]
    assert output["totals"]["payable"] == "145.00"


def test_best_tries_a_platform_coupon_whose_bound_is_a_cent_from_the_best_so_far():
    lines = [line("L1", "s1", "100.00")]
    coupons = [
        store_coupon("a", "s1", "100.00", "10.00"),
        platform_coupon("p1", "100.00", "20.00"),  # only without "a": payable 80.00
        platform_coupon("p2", "50.00", "10.01"),  # with "a": payable 79.99
    ]
    output = run(scenario(lines, coupons=coupons))
    assert output["coupons_used"] == ["a", "p2"]
    assert output["totals"]["payable"] == "79.99"


def test_the_search_alone_keeps_the_cheapest_way_to_each_state():
    from promotions.engine.choice import best_selection
    from promotions.engine.pricing import prepare

    lines = [line("L1", "s1", "100.00"), line("L2", "s2", "100.00")]
    coupons = [
        store_coupon("y", "s1", "100.00", "10.00"),
        store_coupon("x", "s2", "100.00", "20.00"),  # saves 10.00 too (cut), reaches the same state, costs more
        platform_coupon("z", "100.00", "50.00"),  # owed 110.00 without coupons: one of the two fits
    ]
    request = parse_request(
        scenario(lines, promotions=[store_threshold("t", "s2", tiers=tiers(("100.00", "90.00")))], coupons=coupons)
    )
    selection = best_selection(prepare(request), seed_with_heuristics=False)
    assert [coupon.id for coupon in selection.store_coupons.values()] == ["y"]
    assert selection.platform_coupon.id == "z"


def test_best_prefers_cheaper_store_coupons_when_a_red_packet_covers_the_rest():
    lines = [line("L1", "s1", "100.00"), line("L2", "s2", "10.00")]
    coupons = [
        store_coupon("small", "s1", "50.00", "2.00"),
        store_coupon("big", "s1", "50.00", "5.00"),
        store_coupon("w", "s2", "5.00", "1.00"),
        red_packet("r", "107.00"),  # covers 107.00: with "small" and "w" (offs 110.00 in all) or with "big" (112.00)
    ]
    output = run(scenario(lines, coupons=coupons))
    assert output["coupons_used"] == ["small", "w", "r"]
    assert output["totals"]["payable"] == "0.00"


def test_best_past_its_state_budget_returns_the_best_found_and_says_so(monkeypatch):
    from promotions.engine import choice

    lines = [line(f"L{number}", f"s{number}", "100.00") for number in range(4)]
    coupons = [
        store_coupon(f"c{number}{k}", f"s{number}", "100.00", f"{k}.37") for number in range(4) for k in range(1, 4)
    ]
    coupons += [platform_coupon("z", "390.00", "50.00"), red_packet("r", "3.00")]
    data = scenario(lines, coupons=coupons)
    proven = priced(data)
    assert proven.best_choice_proven
    monkeypatch.setattr(choice, "STATE_BUDGET", 3)
    limited = priced(data)
    assert not limited.best_choice_proven
    assert limited.totals.discount <= proven.totals.discount
    assert limited == replace(priced({**data, "coupon_choice": list(limited.coupons_used)}), best_choice_proven=False)
    assert "best_choice_proven" not in json.dumps(run(data))


def test_best_with_too_many_red_packet_sums_says_it_is_not_proven(monkeypatch):
    from promotions.engine import costs

    coupons = [red_packet(f"r{number}", f"{number}.{number}7") for number in range(1, 6)]
    data = scenario([line("L1", "s1", "12.34")], coupons=coupons)
    proven = priced(data)
    assert proven.best_choice_proven
    # The smallest offs reaching 12.34: 1.17 + 2.27 + 3.37 + 5.57 = 12.38 (2.27 + 4.47 + 5.57 = 12.31 falls short).
    assert proven.coupons_used == ("r1", "r2", "r3", "r5")
    monkeypatch.setattr(costs, "RED_PACKET_SUMS", 4)
    limited = priced(data)
    assert not limited.best_choice_proven
    assert limited.totals.payable == 0
    assert limited.totals.discount <= proven.totals.discount


def test_best_uses_nothing_when_nothing_helps():
    assert (
        run(scenario([line("L1", "s1", "10.00")], coupons=[store_coupon("c", "s1", "20.00", "5.00")]))["coupons_used"]
        == []
    )


# ---------------------------------------------------------------------------------------------------------------
# Hints


def test_hints_for_next_tier_next_step_and_unmet_coupons():
    lines = [line("L1", "s1", "250.00")]
    output = run(
        scenario(
            lines,
            promotions=[
                store_threshold("t", "s1", tiers=tiers(("200.00", "20.00"), ("400.00", "50.00"), ("300.00", "20.00"))),
                store_threshold("e", "s1", every="100.00", off="10.00"),
                store_threshold("other", "s2", every="100.00", off="10.00"),
            ],
            coupons=[store_coupon("c1", "s1", "300.00", "30.00"), platform_coupon("pc", "250.00", "25.00")],
        )
    )
    assert output["hints"] == [
        {"source": "t", "spend_more": "150.00", "save": "30.00"},
        {"source": "e", "spend_more": "50.00", "save": "10.00"},
        {"source": "c1", "spend_more": "50.00", "save": "30.00"},
        {"source": "pc", "spend_more": "20.00", "save": "25.00"},
    ]


# ---------------------------------------------------------------------------------------------------------------
# Output shape details


def test_stores_keep_input_order_even_without_lines_and_amounts_have_two_places():
    stores = [store("s2", "TAOBAO"), store("s1", "TMALL")]
    output = run(scenario([line("L1", "s1", "5")], stores))
    assert output["stores"] == [
        {"id": "s2", "subtotal": "0.00", "discount": "0.00", "payable": "0.00"},
        {"id": "s1", "subtotal": "5.00", "discount": "0.00", "payable": "5.00"},
    ]
