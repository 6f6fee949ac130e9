"""The pure instant-refund policy: no database."""

import datetime
from decimal import Decimal

import pytest

from refunds.policy import (
    DEFAULT_POLICY,
    EARLIER_POLICY,
    PRESETS,
    BrandRule,
    Policy,
    PolicyError,
    RefundCase,
    evaluate,
)

PAID = datetime.datetime(2026, 11, 11, 0, 0, tzinfo=datetime.UTC)


def case(brand="TAOBAO", shipped=False, amount="100.00", hours=0.5, categories=()):
    return RefundCase(
        brand=brand,
        shipped=shipped,
        suborder_amount=Decimal(amount),
        paid_at=PAID,
        requested_at=PAID + datetime.timedelta(hours=hours),
        category_ids=frozenset(categories),
    )


def codes(decision):
    return [reason.code for reason in decision.reasons]


class TestDefaultPolicy:
    def test_tmall_unshipped_has_no_limits(self):
        decision = evaluate(DEFAULT_POLICY, case("TMALL", amount="99999.00", hours=24 * 30))
        assert decision.instant and decision.reasons == ()

    def test_taobao_unshipped_up_to_500_is_instant(self):
        assert evaluate(DEFAULT_POLICY, case("TAOBAO", amount="500.00", hours=24 * 30)).instant

    def test_taobao_above_500_goes_to_review(self):
        decision = evaluate(DEFAULT_POLICY, case("TAOBAO", amount="500.01"))
        assert not decision.instant
        assert codes(decision) == ["amount_over_limit"]
        assert decision.reasons[0].params == {"amount": "500.01", "limit": "500.00"}

    @pytest.mark.parametrize("brand", ["TMALL", "TAOBAO"])
    def test_shipped_is_never_instant(self, brand):
        assert codes(evaluate(DEFAULT_POLICY, case(brand, shipped=True))) == ["shipped"]

    def test_unknown_brand_is_reviewed(self):
        assert codes(evaluate(DEFAULT_POLICY, case("OTHER"))) == ["brand_disabled"]


class TestEarlierPreset:
    def test_within_two_hours_and_200_is_instant(self):
        assert evaluate(EARLIER_POLICY, case("TMALL", amount="200.00", hours=2)).instant

    def test_after_two_hours_is_not(self):
        assert codes(evaluate(EARLIER_POLICY, case("TMALL", amount="10.00", hours=2.01))) == ["too_late"]

    def test_every_failing_condition_is_reported(self):
        decision = evaluate(EARLIER_POLICY, case("TAOBAO", shipped=True, amount="200.01", hours=3))
        assert codes(decision) == ["shipped", "amount_over_limit", "too_late"]

    def test_presets_are_named(self):
        assert PRESETS["current"] is DEFAULT_POLICY and PRESETS["earlier"] is EARLIER_POLICY


def test_excluded_category_matches_any_ancestor():
    policy = Policy(rules={"TMALL": BrandRule(excluded_categories=frozenset({7}))})
    assert codes(evaluate(policy, case("TMALL", categories={7, 12}))) == ["excluded_category"]
    assert evaluate(policy, case("TMALL", categories={8, 12})).instant


def test_disabled_brand_is_reviewed():
    policy = Policy(rules={"TMALL": BrandRule(enabled=False)})
    assert codes(evaluate(policy, case("TMALL"))) == ["brand_disabled"]


def test_shipped_can_be_allowed_by_an_operator():
    policy = Policy(rules={"TMALL": BrandRule(unshipped_only=False)})
    assert evaluate(policy, case("TMALL", shipped=True)).instant


class TestJson:
    def test_round_trip(self):
        for policy in (DEFAULT_POLICY, EARLIER_POLICY):
            assert Policy.from_json(policy.to_json()) == policy

    def test_default_document_shape(self):
        document = DEFAULT_POLICY.to_json()
        assert document["brands"]["TAOBAO"]["max_suborder_amount"] == "500.00"
        assert document["brands"]["TMALL"]["max_suborder_amount"] is None
        assert document["timeouts"] == {
            "unshipped_review_hours": "24",
            "shipped_review_hours": "36",
            "rejected_response_days": "5",
            "return_receipt_days": "10",
            "return_shipment_days": "7",
        }

    @pytest.mark.parametrize(
        ("field", "value"),
        [("max_suborder_amount", "-1"), ("max_hours_since_payment", -2), ("max_suborder_amount", "abc")],
    )
    def test_bad_limits_are_refused(self, field, value):
        with pytest.raises(PolicyError) as excinfo:
            Policy.from_json({"brands": {"TAOBAO": {field: value}}})
        assert f"brands.TAOBAO.{field}" in excinfo.value.errors

    def test_negative_limit_message(self):
        with pytest.raises(PolicyError) as excinfo:
            Policy.from_json({"brands": {"TAOBAO": {"max_suborder_amount": "-0.01"}}})
        assert str(excinfo.value.errors["brands.TAOBAO.max_suborder_amount"]) == "A limit cannot be negative."

    def test_amount_with_three_places_is_refused(self):
        with pytest.raises(PolicyError):
            Policy.from_json({"brands": {"TAOBAO": {"max_suborder_amount": "1.005"}}})

    def test_unknown_brand_and_fields_are_refused(self):
        with pytest.raises(PolicyError) as excinfo:
            Policy.from_json({"brands": {"JD": {}, "TMALL": {"colour": "red"}}})
        assert set(excinfo.value.errors) == {"brands.JD", "brands.TMALL"}

    def test_zero_or_negative_timeouts_are_refused(self):
        with pytest.raises(PolicyError) as excinfo:
            Policy.from_json({"timeouts": {"unshipped_review_hours": "0", "shipped_review_hours": "-3"}})
        assert set(excinfo.value.errors) == {"timeouts.unshipped_review_hours", "timeouts.shipped_review_hours"}

    def test_timeouts_parse(self):
        policy = Policy.from_json({"timeouts": {"unshipped_review_hours": "0.5"}})
        assert policy.timeouts.delta("unshipped_review_hours") == datetime.timedelta(minutes=30)
        assert policy.timeouts.delta("rejected_response_days") == datetime.timedelta(days=5)

    def test_bad_category_ids_are_refused(self):
        with pytest.raises(PolicyError):
            Policy.from_json({"brands": {"TMALL": {"excluded_categories": ["x"]}}})
        policy = Policy.from_json({"brands": {"TMALL": {"excluded_categories": ["3", 4]}}})
        assert policy.rules["TMALL"].excluded_categories == frozenset({3, 4})

    def test_not_an_object(self):
        with pytest.raises(PolicyError):
            Policy.from_json([1, 2])
