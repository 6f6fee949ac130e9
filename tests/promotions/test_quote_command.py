"""``manage.py quote FILE``, run as a subprocess: JSON out and exit 0, or one ``error:`` line and exit 2.

The command never touches the database, so these tests run it without the dev stack (DEVSTACK_AUTOSTART=0).
"""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.promotions.builders import (
    cross_store,
    line,
    platform_coupon,
    red_packet,
    scenario,
    store,
    store_coupon,
    store_threshold,
    tiers,
)

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "DEVSTACK_AUTOSTART": "0"}

EXAMPLE_1 = scenario(
    [line("A1", "s1", "200.00"), line("B1", "s2", "250.00")],
    stores=[store("s1", "TMALL"), store("s2", "TAOBAO")],
    promotions=[cross_store("p3", "300.00", "50.00")],
)


def run_quote(stdin: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "quote", *(args or ("-",))],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
        timeout=60,
    )


def test_quote_from_stdin_prints_the_result_as_json():
    completed = run_quote(json.dumps(EXAMPLE_1))
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    output = json.loads(completed.stdout)
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
    assert [item["payable"] for item in output["lines"]] == ["177.78", "222.22"]
    assert output["hints"] == [{"source": "p3", "spend_more": "150.00", "save": "50.00"}]
    assert set(output) == {"lines", "stores", "applied", "coupons_used", "totals", "hints"}


def test_quote_from_a_file_with_defaults_and_best_choice(tmp_path):
    data = scenario(
        [line("A1", "s1", "220.00"), line("A2", "s1", "180.00"), line("B1", "s2", "200.00")],
        promotions=[
            store_threshold("p1", "s1", tiers=tiers(("400.00", "40.00"))),
            cross_store("p3", "300.00", "50.00"),
        ],
        coupons=[store_coupon("c1", "s1", "300.00", "20.00"), red_packet("r1", "10.00")],
    )
    del data["at"], data["coupon_choice"]
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    completed = run_quote("", str(path))
    assert completed.returncode == 0, completed.stderr
    output = json.loads(completed.stdout)
    assert output["coupons_used"] == ["c1", "r1"]
    assert output["totals"]["payable"] == "430.00"


def broken(change) -> str:
    data = copy.deepcopy(EXAMPLE_1)
    change(data)
    return json.dumps(data)


def set_path(*path_and_value):
    *path, value = path_and_value

    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def delete(*path):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def add_promotion(promotion):
    return lambda data: data["promotions"].append(promotion)


def add_coupons(*coupons, choice=None):
    def change(data):
        data["coupons"].extend(coupons)
        if choice is not None:
            data["coupon_choice"] = choice

    return change


INVALID = {
    "malformed JSON": ('{"lines": [', "malformed JSON"),
    "not an object": ("[]", "input: must be an object"),
    "duplicate key": ('{"at": "2026-11-11T00:10:00+08:00", "at": "x"}', 'malformed JSON: duplicate key "at"'),
    "NaN": ('{"x": NaN}', "malformed JSON: NaN is not a number"),
    "missing field": (broken(delete("lines", 0, "sku")), "lines[0].sku: missing field"),
    "unknown field": (broken(set_path("lines", 1, "colour", "red")), "lines[1].colour: unknown field"),
    "unknown top-level field": (broken(set_path("cart", [])), "cart: unknown field"),
    "unknown store": (broken(set_path("lines", 1, "store", "s9")), 'lines[1].store: unknown store "s9"'),
    "negative price": (
        broken(set_path("lines", 0, "unit_price", "-1.00")),
        "lines[0].unit_price: must not be negative",
    ),
    "quantity 0": (broken(set_path("lines", 1, "quantity", 0)), "lines[1].quantity: must be >= 1"),
    "quantity not an integer": (broken(set_path("lines", 1, "quantity", 1.5)), "lines[1].quantity: must be an integer"),
    "three places": (
        broken(set_path("lines", 0, "unit_price", "1.005")),
        "lines[0].unit_price: must have at most 2 decimal places",
    ),
    "amount as a number": (broken(set_path("lines", 0, "unit_price", 200)), "lines[0].unit_price: must be a string"),
    "amount not a decimal": (
        broken(set_path("lines", 0, "unit_price", "1e3")),
        "lines[0].unit_price: must be a string",
    ),
    "step 0": (broken(set_path("promotions", 0, "every", "0.00")), "promotions[0].every: must be greater than 0"),
    "threshold 0": (
        broken(add_coupons(store_coupon("c1", "s1", "0", "5.00"))),
        "coupons[0].threshold: must be greater than 0",
    ),
    "tier threshold 0": (
        broken(add_promotion(store_threshold("t", "s1", tiers=tiers(("0.00", "5.00"))))),
        "promotions[1].tiers[0].threshold: must be greater than 0",
    ),
    "percent over 100": (
        broken(add_promotion({"id": "i", "kind": "item_discount", "skus": ["A1"], "percent_off": 101})),
        "promotions[1].percent_off: must be between 0 and 100",
    ),
    "platform share over 1": (
        broken(set_path("promotions", 0, "platform_share", "1.5")),
        "promotions[0].platform_share: must be between 0 and 1",
    ),
    "two ways of item discount": (
        broken(
            add_promotion({"id": "i", "kind": "item_discount", "skus": ["A1"], "amount_off": "1", "fixed_price": "2"})
        ),
        "promotions[1]: needs exactly one of amount_off, percent_off, fixed_price, got amount_off and fixed_price",
    ),
    "unknown promotion kind": (
        broken(set_path("promotions", 0, "kind", "bogo")),
        'promotions[0].kind: unknown promotion kind "bogo"',
    ),
    "unknown coupon kind": (
        broken(add_coupons({"id": "c1", "kind": "voucher", "off": "1.00"})),
        'coupons[0].kind: unknown coupon kind "voucher"',
    ),
    "wrong type": (broken(set_path("stores", "s1")), "stores: must be a list"),
    "unknown brand": (broken(set_path("stores", 0, "brand", "JD")), "stores[0].brand: must be one of TAOBAO, TMALL"),
    "bad time": (broken(set_path("at", "tomorrow")), "at: must be an ISO 8601 date-time with a UTC offset"),
    "duplicate line id": (broken(set_path("lines", 1, "id", "A1")), 'lines[1].id: duplicate id "A1"'),
    "duplicate offer id": (
        broken(add_coupons(red_packet("p3", "1.00"))),
        'coupons[0].id: duplicate id "p3"',
    ),
    "bad coupon choice": (broken(set_path("coupon_choice", "all")), 'coupon_choice: must be "best" or a list'),
    "unknown coupon chosen": (broken(set_path("coupon_choice", ["c9"])), 'coupon_choice[0]: coupon "c9" is unknown'),
    "expired coupon chosen": (
        broken(add_coupons(red_packet("r1", "5.00", valid_to="2026-01-01T00:00:00Z"), choice=["r1"])),
        'coupon_choice[0]: coupon "r1" is not valid at 2026-11-11T00:10:00+08:00',
    ),
    "threshold not met": (
        broken(add_coupons(store_coupon("c1", "s1", "300.00", "30.00"), choice=["c1"])),
        'coupon_choice[0]: coupon "c1" threshold 300.00 is not met: store "s1" base is 200.00',
    ),
    "second store coupon": (
        broken(
            add_coupons(
                store_coupon("c1", "s1", "100.00", "10.00"),
                store_coupon("c2", "s1", "100.00", "5.00"),
                choice=["c1", "c2"],
            )
        ),
        'coupon_choice[1]: coupon "c2" is a second store coupon for store "s1"',
    ),
    "second platform coupon": (
        broken(
            add_coupons(
                platform_coupon("c1", "100.00", "10.00"), platform_coupon("c2", "100.00", "5.00"), choice=["c1", "c2"]
            )
        ),
        'coupon_choice[1]: coupon "c2" is a second platform coupon (after "c1")',
    ),
    "platform threshold not met": (
        broken(add_coupons(platform_coupon("c1", "400.01", "10.00"), choice=["c1"])),
        'coupon_choice[0]: coupon "c1" threshold 400.01 is not met: its eligible lines owe 400.00',
    ),
    "coupon taking nothing": (
        broken(add_coupons(red_packet("r1", "0.00"), choice=["r1"])),
        'coupon_choice[0]: coupon "r1" would take 0.00',
    ),
}


@pytest.mark.parametrize("stdin, message", INVALID.values(), ids=INVALID.keys())
def test_invalid_input_is_one_error_line_and_exit_2(stdin, message):
    completed = run_quote(stdin)
    assert completed.returncode == 2, completed.stdout + completed.stderr
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith(f"error: {message}"), lines[0]


def test_unreadable_file_is_an_error(tmp_path):
    completed = run_quote("", str(tmp_path / "missing.json"))
    assert completed.returncode == 2
    assert completed.stderr.startswith("error: cannot read ")
    assert len(completed.stderr.splitlines()) == 1
