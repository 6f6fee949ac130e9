"""The five worked examples of PRICING.md, every number they give."""

from tests.promotions.builders import (
    applied,
    cross_store,
    item_discount,
    line,
    payables,
    red_packet,
    run,
    scenario,
    shares,
    store,
    store_coupon,
    store_threshold,
    tiers,
)

TWO_BRANDS = [store("s1", "TMALL"), store("s2", "TAOBAO")]


def test_example_1_cross_store_across_brands():
    output = run(
        scenario(
            [line("A1", "s1", "200.00"), line("B1", "s2", "250.00")],
            stores=TWO_BRANDS,
            promotions=[cross_store("p3", "300.00", "50.00")],
        )
    )
    assert [item["base"] for item in output["lines"]] == ["200.00", "250.00"]
    assert shares(output, "p3") == ["22.22", "27.78"]
    assert payables(output) == ["177.78", "222.22"]
    assert output["totals"] == {"subtotal": "450.00", "discount": "50.00", "payable": "400.00"}
    assert output["applied"] == [
        {
            "source": "p3",
            "lane": "cross_store",
            "amount": "50.00",
            "platform_funded": "0.00",
            "merchant_funded": {"s1": "22.22", "s2": "27.78"},
        }
    ]
    assert output["lines"][0] == {
        "id": "A1",
        "subtotal": "200.00",
        "base": "200.00",
        "payable": "177.78",
        "discounts": [{"source": "p3", "lane": "cross_store", "amount": "22.22"}],
    }
    assert output["stores"][0] == {"id": "s1", "subtotal": "200.00", "discount": "22.22", "payable": "177.78"}
    assert output["hints"] == [{"source": "p3", "spend_more": "150.00", "save": "50.00"}]
    assert output["coupons_used"] == []


def test_example_2_every_step_repeats():
    output = run(
        scenario(
            [line("L1", "s1", "300.00"), line("L2", "s1", "350.00"), line("L3", "s2", "260.00")],
            stores=TWO_BRANDS,
            promotions=[cross_store("p3", "300.00", "50.00")],
        )
    )
    assert applied(output, "p3")["amount"] == "150.00"
    assert shares(output, "p3") == ["49.45", "57.69", "42.86"]
    assert output["totals"]["subtotal"] == "910.00"
    assert output["totals"]["payable"] == "760.00"
    assert payables(output) == ["250.55", "292.31", "217.14"]


def test_example_3_threshold_checked_on_base_after_item_lane():
    output = run(
        scenario(
            [line("A1", "s1", "320.00"), line("B1", "s2", "9.99")],
            stores=TWO_BRANDS,
            promotions=[item_discount("p1", ["A1"], amount_off="30.00"), cross_store("p3", "300.00", "50.00")],
        )
    )
    assert output["lines"][0]["base"] == "290.00"
    assert output["lines"][0]["discounts"] == [{"source": "p1", "lane": "item", "amount": "30.00"}]
    assert applied(output, "p3") is None
    assert shares(output, "p3") == ["0.00", "0.00"]
    assert output["totals"] == {"subtotal": "329.99", "discount": "30.00", "payable": "299.99"}
    assert output["hints"] == [{"source": "p3", "spend_more": "0.01", "save": "50.00"}]


def test_example_4_cross_store_share_cut_to_what_the_line_owes():
    data = scenario(
        [line("A1", "s1", "400.00")],
        promotions=[cross_store("p3", "400.00", "50.00")],
        coupons=[store_coupon("c1", "s1", "400.00", "380.00")],
        choice=["c1"],
    )
    output = run(data)
    assert shares(output, "c1") == ["380.00"]
    assert shares(output, "p3") == ["20.00"]
    assert applied(output, "p3")["amount"] == "20.00"
    assert output["coupons_used"] == ["c1"]
    assert payables(output) == ["0.00"]
    assert output["totals"] == {"subtotal": "400.00", "discount": "400.00", "payable": "0.00"}
    assert run({**data, "coupon_choice": "best"}) == output


def test_example_5_all_lanes_and_largest_remainders():
    data = scenario(
        [line("A1", "s1", "220.00"), line("A2", "s1", "180.00"), line("B1", "s2", "200.00")],
        stores=TWO_BRANDS,
        promotions=[
            store_threshold("p1", "s1", tiers=tiers(("400.00", "40.00"))),
            cross_store("p3", "300.00", "50.00"),
        ],
        coupons=[store_coupon("c1", "s1", "300.00", "20.00"), red_packet("r1", "10.00")],
        choice=["c1", "r1"],
    )
    output = run(data)
    assert shares(output, "p1") == ["22.00", "18.00", "0.00"]
    assert shares(output, "c1") == ["11.00", "9.00", "0.00"]
    assert applied(output, "p1")["amount"] == "40.00"
    assert applied(output, "c1")["amount"] == "20.00"
    assert shares(output, "p3") == ["36.67", "30.00", "33.33"]
    assert applied(output, "p3")["amount"] == "100.00"
    assert shares(output, "r1") == ["3.42", "2.79", "3.79"]
    assert payables(output) == ["146.91", "120.21", "162.88"]
    assert output["totals"] == {"subtotal": "600.00", "discount": "170.00", "payable": "430.00"}
    assert output["coupons_used"] == ["c1", "r1"]
    assert [entry["source"] for entry in output["applied"]] == ["p1", "c1", "p3", "r1"]
    assert applied(output, "r1")["platform_funded"] == "10.00"
    assert run({**data, "coupon_choice": "best"}) == output
