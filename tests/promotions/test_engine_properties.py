"""Properties of the engine on random carts, and best choice == a brute-force optimum on small carts.

PRICING_PROPERTY_EXAMPLES raises the number of examples for a longer local run (the default keeps `make test` fast).
"""

import contextlib
import json
import os
from dataclasses import replace
from decimal import Decimal
from itertools import chain, combinations, product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promotions.engine import (
    PlatformCoupon,
    QuoteInputError,
    QuoteRequest,
    QuoteResult,
    RedPacket,
    StoreCoupon,
    UnusableCouponError,
    parse_request,
    quote,
)
from promotions.engine.choice import best_selection
from promotions.engine.pricing import prepare

EXAMPLES = int(os.environ.get("PRICING_PROPERTY_EXAMPLES", "250"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
SKUS = ["A", "B", "C"]
CATEGORIES = ["apparel", "beauty"]
COUPON_IDS = ["a", "b", "c", "d", "e", "f", "g", "h", "aa", "ab", "B", "Z", "c10", "c9", "k", "m", "n", "q", "x1", "y"]


def cents(value: int) -> str:
    return f"{Decimal(value) / 100:.2f}"


# Round amounts make ties (and so the tie-breaks) common; odd cents exercise rounding.
amounts = st.one_of(
    st.sampled_from([0, 500, 1000, 2000, 3000, 5000, 10000]),
    st.integers(0, 400).map(lambda units: units * 100),
    st.integers(0, 40000),
).map(cents)
positive_amounts = amounts.filter(lambda text: text != "0.00")


def windows(draw) -> dict:
    return draw(
        st.sampled_from(
            [{}, {}, {}, {"valid_to": "2026-11-10T00:00:00+08:00"}, {"valid_from": "2026-11-11T00:10:00+08:00"}]
        )
    )


@st.composite
def scenarios(draw) -> dict:
    store_ids = [f"s{number}" for number in range(draw(st.integers(1, 4)))]
    stores = [{"id": store_id, "brand": draw(st.sampled_from(["TMALL", "TAOBAO"]))} for store_id in store_ids]
    lines = [
        {
            "id": f"l{number}",
            "store": draw(st.sampled_from(store_ids)),
            "sku": draw(st.sampled_from(SKUS)),
            "category": draw(st.sampled_from(CATEGORIES)),
            "unit_price": draw(amounts),
            "quantity": draw(st.integers(1, 3)),
        }
        for number in range(draw(st.integers(1, 6)))
    ]
    promotions = [
        {"id": f"p{number}", **draw(promotion(store_ids)), **windows(draw)} for number in range(draw(st.integers(0, 4)))
    ]
    ids = draw(st.lists(st.sampled_from(COUPON_IDS), unique=True, max_size=8))
    coupons = [{"id": coupon_id, **draw(coupon(store_ids)), **windows(draw)} for coupon_id in ids]
    return {
        "at": "2026-11-11T00:10:00+08:00",
        "shopper": {"id": "u1", "first_order_stores": draw(st.lists(st.sampled_from(store_ids), unique=True))},
        "stores": stores,
        "lines": lines,
        "promotions": promotions,
        "coupons": coupons,
        "coupon_choice": "best",
    }


def promotion(store_ids):
    shared = st.fixed_dictionaries(
        {}, optional={"exclusive": st.booleans(), "platform_share": st.sampled_from(["0.5", "0.333", "1", 0.25])}
    )
    item = st.fixed_dictionaries(
        {"kind": st.just("item_discount"), "skus": st.lists(st.sampled_from(SKUS), min_size=1, unique=True)}
    ).flatmap(
        lambda fields: st.one_of(
            st.builds(lambda off: {**fields, "amount_off": off}, amounts),
            st.builds(lambda pct: {**fields, "percent_off": pct}, st.sampled_from([10, 15, "12.5", 50, 100, 0])),
            st.builds(lambda price: {**fields, "fixed_price": price}, amounts),
        )
    )
    tier = st.fixed_dictionaries({"threshold": positive_amounts, "off": amounts})
    threshold = st.one_of(
        st.fixed_dictionaries({"tiers": st.lists(tier, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"every": positive_amounts, "off": amounts}, optional={"cap": amounts}),
    ).map(lambda fields: {"kind": "store_threshold", "store": None, **fields})
    threshold = st.tuples(threshold, st.sampled_from(store_ids)).map(lambda pair: {**pair[0], "store": pair[1]})
    first_order = st.fixed_dictionaries(
        {"kind": st.just("first_order_gift"), "store": st.sampled_from(store_ids), "off": amounts},
        optional={"threshold": amounts},
    )
    cross = st.fixed_dictionaries(
        {"kind": st.just("cross_store"), "every": positive_amounts, "off": amounts},
        optional={
            "cap": amounts,
            "stores": st.lists(st.sampled_from(store_ids), unique=True),
            "brands": st.lists(st.sampled_from(["TMALL", "TAOBAO"]), unique=True),
        },
    )
    kinds = st.one_of(item, threshold, first_order, cross)
    return st.tuples(kinds, shared).map(lambda pair: {**pair[0], **pair[1]})


def coupon(store_ids):
    store_coupon = st.fixed_dictionaries(
        {
            "kind": st.just("store_coupon"),
            "store": st.sampled_from([*store_ids, "s9"]),
            "threshold": positive_amounts,
            "off": amounts,
        }
    )
    platform = st.fixed_dictionaries(
        {"kind": st.just("platform_coupon"), "threshold": positive_amounts, "off": amounts},
        optional={
            "brands": st.lists(st.sampled_from(["TMALL", "TAOBAO"]), unique=True, min_size=1),
            "categories": st.lists(st.sampled_from(CATEGORIES), unique=True, min_size=1),
            "stores": st.lists(st.sampled_from(store_ids), unique=True, min_size=1),
        },
    )
    red = st.fixed_dictionaries({"kind": st.just("red_packet"), "off": amounts})
    return st.one_of(store_coupon, store_coupon, platform, red)


@st.composite
def competitive_scenarios(draw) -> dict:
    """Several stores, several usable coupons each, thresholds near what the cart owes: real trade-offs."""
    store_count = draw(st.integers(2, 4))
    store_ids = [f"s{number}" for number in range(store_count)]
    stores = [{"id": store_id, "brand": draw(st.sampled_from(["TMALL", "TAOBAO"]))} for store_id in store_ids]
    lines, bases = [], {}
    for store_id in store_ids:
        for _ in range(draw(st.integers(1, 2))):
            price = draw(st.integers(1, 30)) * 1000 + draw(st.sampled_from([0, 0, 1, 33, 99]))
            quantity = draw(st.integers(1, 2))
            lines.append(
                {
                    "id": f"l{len(lines)}",
                    "store": store_id,
                    "sku": draw(st.sampled_from(SKUS)),
                    "category": draw(st.sampled_from(CATEGORIES)),
                    "unit_price": cents(price),
                    "quantity": quantity,
                }
            )
            bases[store_id] = bases.get(store_id, 0) + price * quantity
    total = sum(bases.values())

    def near(amount: int) -> int:  # a round amount around ``amount``
        return max(100, amount * draw(st.integers(3, 11)) // 10 // 1000 * 1000)

    ids = iter(draw(st.permutations(COUPON_IDS)))
    coupons = []
    for store_id in store_ids:
        for _ in range(min(draw(st.integers(0, 3)), 7 - len(coupons))):  # keeps the brute force small
            threshold = near(bases[store_id])
            off = draw(st.sampled_from([threshold // 10, threshold // 5, threshold // 2, threshold, 1000, 2000]))
            kind = {"kind": "store_coupon", "store": store_id, "threshold": cents(threshold), "off": cents(off)}
            coupons.append({"id": next(ids), **kind})
    for _ in range(draw(st.integers(0, 3))):
        restrictions = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "brands": st.lists(st.sampled_from(["TMALL", "TAOBAO"]), unique=True, min_size=1),
                    "categories": st.lists(st.sampled_from(CATEGORIES), unique=True, min_size=1),
                    "stores": st.lists(st.sampled_from(store_ids), unique=True, min_size=1),
                },
            )
        )
        threshold = near(total)
        off = draw(st.sampled_from([1000, 3000, 5000, threshold // 4, threshold, 2 * threshold]))
        kind = {"kind": "platform_coupon", "threshold": cents(threshold), "off": cents(off), **restrictions}
        coupons.append({"id": next(ids), **kind})
    for _ in range(draw(st.integers(0, 3))):
        off = draw(st.sampled_from([1000, 2000, 3000, 5000, near(total // 4), near(total)]))
        coupons.append({"id": next(ids), "kind": "red_packet", "off": cents(off)})
    promotions = [{"id": f"p{number}", **draw(promotion(store_ids))} for number in range(draw(st.integers(0, 2)))]
    for store_id in draw(st.lists(st.sampled_from(store_ids), unique=True, max_size=2)):
        # leaves the store owing little, so store coupons there are cut and gain less than their off
        off = bases[store_id] - draw(st.sampled_from([0, 100, 500, 1000]))
        tier = {"threshold": cents(bases[store_id]), "off": cents(max(off, 0))}
        promotions.append({"id": f"t{store_id}", "kind": "store_threshold", "store": store_id, "tiers": [tier]})
    if draw(st.booleans()):
        every = near(total // 2)
        promotions.append({"id": "x", "kind": "cross_store", "every": cents(every), "off": cents(every // 5)})
    return {
        "at": "2026-11-11T00:10:00+08:00",
        "shopper": {"id": "u1", "first_order_stores": draw(st.lists(st.sampled_from(store_ids), unique=True))},
        "stores": stores,
        "lines": lines,
        "promotions": promotions,
        "coupons": draw(st.permutations(coupons)),
        "coupon_choice": "best",
    }


def request_of(data: dict) -> QuoteRequest:
    return parse_request(json.loads(json.dumps(data), parse_float=Decimal))


# ---------------------------------------------------------------------------------------------------------------
# Brute force


def all_selections(request: QuoteRequest):
    """Every selection: at most one store coupon per store, at most one platform coupon, any set of red packets."""
    by_store: dict[str, list] = {}
    for item in request.coupons:
        if isinstance(item, StoreCoupon):
            by_store.setdefault(item.store, []).append(item.id)
    store_choices = [[None, *ids] for ids in by_store.values()]
    platforms = [None, *(item.id for item in request.coupons if isinstance(item, PlatformCoupon))]
    packets = [item.id for item in request.coupons if isinstance(item, RedPacket)]
    red_sets = chain.from_iterable(combinations(packets, size) for size in range(len(packets) + 1))
    for stores, platform, reds in product(product(*store_choices), platforms, list(red_sets)):
        yield tuple(coupon_id for coupon_id in (*stores, platform, *reds) if coupon_id is not None)


def brute_force_best(request: QuoteRequest) -> tuple[tuple, QuoteResult]:
    offs = {item.id: item.off for item in request.coupons}
    best = None
    for chosen in all_selections(request):
        try:
            result = quote(replace(request, coupon_choice=chosen))
        except UnusableCouponError:
            continue
        key = (-result.totals.discount, sum(offs[c] for c in chosen), len(chosen), sorted(chosen))
        if best is None or key < best[0]:
            best = (key, result)
    return best


# ---------------------------------------------------------------------------------------------------------------
# Properties


def check_amounts_add_up(result: QuoteResult) -> None:
    by_source: dict[str, Decimal] = {}
    for line in result.lines:
        assert line.payable >= 0
        assert line.base <= line.subtotal
        assert line.payable == line.subtotal - sum(discount.amount for discount in line.discounts)
        for discount in line.discounts:
            assert discount.amount > 0
            assert discount.platform_funded >= 0 and discount.merchant_funded >= 0
            assert discount.platform_funded + discount.merchant_funded == discount.amount
            by_source[discount.source] = by_source.get(discount.source, Decimal(0)) + discount.amount
    assert {entry.source: entry.amount for entry in result.applied} == by_source
    for entry in result.applied:
        assert entry.amount > 0
        assert entry.platform_funded + sum(entry.merchant_funded.values()) == entry.amount
    for store in result.stores:
        own = [line for line in result.lines if line.store == store.id]
        assert store.subtotal == sum(line.subtotal for line in own)
        assert store.payable == sum(line.payable for line in own)
        assert store.discount == store.subtotal - store.payable
    totals = result.totals
    assert totals.subtotal == sum(line.subtotal for line in result.lines)
    assert totals.payable == sum(line.payable for line in result.lines)
    assert totals.discount == totals.subtotal - totals.payable == sum(entry.amount for entry in result.applied)
    for amount in (totals.subtotal, totals.discount, totals.payable):
        assert amount.as_tuple().exponent == -2


@SETTINGS
@given(scenarios())
def test_shares_add_up_and_nothing_goes_below_zero(data):
    check_amounts_add_up(quote(request_of(data)))


@SETTINGS
@given(st.one_of(scenarios(), competitive_scenarios()))
def test_best_choice_equals_the_brute_force_optimum(data):
    request = request_of(data)
    best = quote(request)
    assert best.best_choice_proven
    key, expected = brute_force_best(request)
    assert best.totals == expected.totals
    assert sorted(best.coupons_used) == key[3]
    assert best == expected
    check_amounts_add_up(best)
    # The greedy selections that seed the bounds only save time: the search alone finds the same optimum.
    unseeded = best_selection(prepare(request), seed_with_heuristics=False)
    assert sorted(coupon.id for coupon in selection_coupons(unseeded)) == key[3]


def selection_coupons(selection) -> list:
    platform = [selection.platform_coupon] if selection.platform_coupon else []
    return [*selection.store_coupons.values(), *platform, *selection.red_packets]


@SETTINGS
@given(scenarios(), st.data())
def test_any_explicit_choice_prices_or_says_why_not(data, draws):
    request = request_of(data)
    ids = [item.id for item in request.coupons] + ["unknown"]
    chosen = tuple(draws.draw(st.lists(st.sampled_from(ids), max_size=4)))
    try:
        result = quote(replace(request, coupon_choice=chosen))
    except UnusableCouponError as error:
        assert error.message.startswith("coupon_choice[")
    else:
        assert sorted(result.coupons_used) == sorted(chosen)
        check_amounts_add_up(result)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "x", "1.005", "-1", "s1", "best", "TMALL"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(["id", "kind", "x"]), children),
    max_leaves=8,
)


@SETTINGS
@given(scenarios(), st.data())
def test_parse_refuses_broken_input_with_a_quote_input_error(data, draws):
    """Break one field of a valid scenario anywhere: parsing succeeds or says what is wrong; nothing else."""
    path = draws.draw(st.sampled_from(list(paths(data))))
    broken = json.loads(json.dumps(data))
    target = broken
    for key in path[:-1]:
        target = target[key]
    if draws.draw(st.booleans()) and isinstance(target, dict):
        del target[path[-1]]
    else:
        target[path[-1]] = draws.draw(json_values)
    try:
        request = parse_request(broken)
    except QuoteInputError as error:
        assert error.message and "\n" not in error.message
    else:
        with contextlib.suppress(UnusableCouponError):
            check_amounts_add_up(quote(request))


def paths(value, prefix=()):
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield (*prefix, key)
        yield from paths(child, (*prefix, key))
