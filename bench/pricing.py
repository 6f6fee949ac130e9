"""Pricing engine benchmark: p50 / p95 time of ``quote`` with ``coupon_choice: "best"``.

Run from the repository root: ``python bench/pricing.py [--runs N] [--seed S]``. The big cart is the one of
PRICING.md: 100 lines across 20 stores, 5 store coupons per store, 10 platform coupons, 10 red packets, plus item
discounts, store thresholds, first-order gifts and cross-store campaigns. Goal: p95 <= 10 ms for the big cart.
The engine is pure Python, so this needs neither Django nor a database.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from promotions.engine import parse_request, quote, render_result

CATEGORIES = ["apparel", "beauty", "electronics", "food", "home"]
BRANDS = ["TMALL", "TAOBAO"]


def money(yuan: float) -> str:
    return f"{yuan:.2f}"


def build_cart(rng: random.Random, store_count: int, lines_per_store: int, full_offers: bool) -> dict:
    stores = [{"id": f"s{number:02d}", "brand": BRANDS[number % 2]} for number in range(store_count)]
    lines = []
    for store in stores:
        for _ in range(lines_per_store):
            lines.append(
                {
                    "id": f"l{len(lines):03d}",
                    "store": store["id"],
                    "sku": f"sku{len(lines):03d}",
                    "category": rng.choice(CATEGORIES),
                    "unit_price": money(rng.randrange(1990, 59900) / 100),
                    "quantity": rng.randint(1, 3),
                }
            )
    skus = [line["sku"] for line in lines]
    promotions = [
        {"id": "item-pct", "kind": "item_discount", "skus": rng.sample(skus, len(skus) // 5), "percent_off": 15},
        {"id": "item-off", "kind": "item_discount", "skus": rng.sample(skus, len(skus) // 5), "amount_off": "20.00"},
        {"id": "item-live", "kind": "item_discount", "skus": rng.sample(skus, 3), "fixed_price": "99.00"},
        {
            "id": "x-tmall",
            "kind": "cross_store",
            "every": "500.00",
            "off": "60.00",
            "brands": ["TMALL"],
            "cap": "600.00",
        },
        {"id": "x-all", "kind": "cross_store", "every": "300.00", "off": "50.00", "platform_share": "0.5"},
    ]
    for number, store in enumerate(stores):
        if number % 2 == 0:
            tiers = [{"threshold": "300.00", "off": "30.00"}, {"threshold": "800.00", "off": "100.00"}]
            promotions.append(
                {"id": f"st-{store['id']}", "kind": "store_threshold", "store": store["id"], "tiers": tiers}
            )
        else:
            every = {"every": "200.00", "off": "20.00", "cap": "120.00"}
            promotions.append({"id": f"st-{store['id']}", "kind": "store_threshold", "store": store["id"], **every})
        if number % 5 == 0:
            promotions.append(
                {"id": f"gift-{store['id']}", "kind": "first_order_gift", "store": store["id"], "off": "15.00"}
            )
    coupons = []
    for store in stores:
        for threshold, off in [
            (99, 10),
            (199, 25),
            (299, 40),
            (499, 70),
            (rng.choice([699, 999]), rng.choice([100, 150])),
        ]:
            coupons.append(
                {"id": f"sc-{store['id']}-{threshold}", "kind": "store_coupon", "store": store["id"],
                 "threshold": money(threshold), "off": money(off)}
            )  # fmt: skip
    if full_offers:
        restrictions = [{}, {}, {"brands": ["TMALL"]}, {"brands": ["TAOBAO"]}, {"categories": ["apparel", "beauty"]},
                        {"categories": ["electronics"]}, {"stores": [s["id"] for s in stores[:5]]}, {},
                        {"brands": ["TMALL"], "categories": ["home", "food"]}, {}]  # fmt: skip
        for number, restriction in enumerate(restrictions):
            threshold = rng.choice([200, 500, 1000, 2000, 5000])
            coupons.append(
                {"id": f"pc-{number}", "kind": "platform_coupon", "threshold": money(threshold),
                 "off": money(threshold * rng.choice([5, 10, 15]) / 100), **restriction}
            )  # fmt: skip
        for number in range(10):
            coupons.append({"id": f"rp-{number}", "kind": "red_packet", "off": money(rng.choice([5, 8, 10, 20, 50]))})
    else:
        coupons += [
            {"id": "pc-0", "kind": "platform_coupon", "threshold": "300.00", "off": "30.00"},
            {"id": "rp-0", "kind": "red_packet", "off": "10.00"},
            {"id": "rp-1", "kind": "red_packet", "off": "5.00"},
        ]
    return {
        "at": "2026-11-11T00:10:00+08:00",
        "shopper": {"id": "u1", "first_order_stores": [store["id"] for store in stores[::3]]},
        "stores": stores,
        "lines": lines,
        "promotions": promotions,
        "coupons": coupons,
        "coupon_choice": "best",
    }


def measure(label: str, scenario: dict, runs: int) -> None:
    request = parse_request(scenario)
    for _ in range(10):  # warm up
        quote(request)
    quote_ms = []
    full_ms = []
    for _ in range(runs):
        started = time.perf_counter()
        result = quote(request)
        quote_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        render_result(quote(parse_request(scenario)))
        full_ms.append((time.perf_counter() - started) * 1000)
    print(
        f"{label}: {len(scenario['lines'])} lines, {len(scenario['stores'])} stores, "
        f"{len(scenario['promotions'])} promotions, {len(scenario['coupons'])} coupons; "
        f"best uses {len(result.coupons_used)} coupons, payable {result.totals.payable}"
    )
    print(f"  quote:                p50 {percentile(quote_ms, 50):6.2f} ms   p95 {percentile(quote_ms, 95):6.2f} ms")
    print(f"  parse + quote + render: p50 {percentile(full_ms, 50):6.2f} ms   p95 {percentile(full_ms, 95):6.2f} ms")


def percentile(samples: list[float], percent: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[percent - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"python {sys.version.split()[0]}, {args.runs} runs, seed {args.seed}")
    measure("big cart", build_cart(rng, 20, 5, full_offers=True), args.runs)
    measure("10-line cart", build_cart(rng, 3, 3, full_offers=False) | {}, args.runs)


if __name__ == "__main__":
    main()
