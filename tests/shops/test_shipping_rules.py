"""shops.shipping: the pure fee rules of shipping templates, at their boundaries."""

from decimal import Decimal

import pytest

from shops import shipping
from shops.shipping import FeeRule, Parcel, Rate, Region, RuleError, fee, suborder_fee

D = Decimal
REMOTE = Region(("新疆", "西藏自治区"), Rate(D("20.00"), D("12.00")), remote=True)
FAR = Region(("黑龙江省", "吉林"), Rate(D("15.00"), D("8.00")))
BY_REGION = FeeRule(mode=shipping.BY_REGION, default=Rate(D("10.00"), D("5.00")), regions=(REMOTE, FAR))
FREE_OVER = FeeRule(
    mode=shipping.FREE_OVER, default=Rate(D("8.00"), D("2.00")), regions=(REMOTE,), free_over=D("99.00")
)
FREE = FeeRule(mode=shipping.FREE, regions=(REMOTE,))


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [(0, "0.00"), (1, "10.00"), (2, "15.00"), (3, "20.00"), (10, "55.00")],
)
def test_first_unit_then_each_additional_unit_at_the_default_rate(quantity, expected):
    assert fee(BY_REGION, province="浙江省", quantity=quantity, amount=D("50")) == D(expected)


@pytest.mark.parametrize(
    ("province", "quantity", "expected"),
    [
        ("黑龙江省", 1, "15.00"),
        ("黑龙江", 3, "31.00"),
        ("吉林省", 2, "23.00"),
        ("新疆维吾尔自治区", 1, "20.00"),
        ("西藏", 2, "32.00"),
        (" 上海市 ", 2, "15.00"),  # not listed: the default rate
        ("", 1, "10.00"),  # no address yet: the default rate
    ],
)
def test_a_region_charges_its_own_rate_whatever_suffix_the_address_uses(province, quantity, expected):
    assert fee(BY_REGION, province=province, quantity=quantity, amount=D("500")) == D(expected)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("98.99", "10.00"), ("99.00", "0.00"), ("99.01", "0.00"), ("0.00", "10.00")],
)
def test_free_over_is_free_from_the_threshold_on(amount, expected):
    assert fee(FREE_OVER, province="广东省", quantity=2, amount=D(amount)) == D(expected)


def test_remote_regions_are_never_free():
    assert fee(FREE_OVER, province="新疆", quantity=1, amount=D("10000")) == D("20.00")
    assert fee(FREE, province="西藏", quantity=3, amount=D("1")) == D("44.00")
    assert fee(FREE, province="北京市", quantity=3, amount=D("1")) == D("0.00")


def test_a_suborder_pays_each_template_once_and_nothing_for_lines_without_one():
    parcels = [
        Parcel(BY_REGION, 2, D("50")),
        Parcel(FREE_OVER, 1, D("120")),
        Parcel(shipping.FREE_SHIPPING, 4, D("10")),
    ]
    assert suborder_fee(parcels, "浙江") == D("15.00")
    assert suborder_fee([], "浙江") == D("0.00")


def test_invalid_rules_are_refused():
    with pytest.raises(RuleError):
        FeeRule(mode=shipping.FREE_OVER, free_over=None)
    with pytest.raises(RuleError):
        FeeRule(mode=shipping.FREE_OVER, free_over=D("0"))
    with pytest.raises(RuleError):
        FeeRule(mode="cheap")
    with pytest.raises(RuleError):
        FeeRule(default=Rate(D("-1"), D("0")))


def test_regions_round_trip_through_the_merchant_text_and_json():
    text = "新疆，西藏 | 20 | 12 | remote\n\n黑龙江、吉林 | 15 | 8"
    regions = shipping.parse_regions(text)
    assert regions == (
        Region(("新疆", "西藏"), Rate(D("20.00"), D("12.00")), True),
        Region(("黑龙江", "吉林"), Rate(D("15.00"), D("8.00")), False),
    )
    assert shipping.parse_regions(shipping.format_regions(regions)) == regions
    assert shipping.regions_from_json(shipping.regions_to_json(regions)) == regions


@pytest.mark.parametrize(
    "text",
    [
        "新疆 | 20",  # too few columns
        " | 20 | 10",  # no province
        "新疆 | -1 | 10",  # negative fee
        "新疆 | abc | 10",
        "新疆 | 20 | 10 | maybe",
        "新疆 | 20 | 10\n新疆维吾尔自治区 | 5 | 5",  # one province twice
    ],
)
def test_bad_region_lines_are_refused(text):
    with pytest.raises(RuleError):
        shipping.parse_regions(text)
