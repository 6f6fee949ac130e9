"""Service-level validation: clear field errors, nothing saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.api import DomainError
from promotions.models import CampaignEnrollment, CouponTemplate, StorePromotion
from promotions.services import campaigns, coupons, store_promotions
from tests.accounts.factories import OperatorFactory
from tests.promotions.factories import CampaignFactory, StorePromotionFactory
from tests.shops.factories import ProductFactory, SKUFactory, StoreFactory, TmallStoreFactory

pytestmark = pytest.mark.django_db
D = Decimal


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_store_threshold_tiers_and_steps():
    store = StoreFactory()
    save = store_promotions.save_store_promotion
    both = {"kind": "store_threshold", "name": "x", "tiers": [{"threshold": "100", "off": "10"}], "every": "100",
            "off": "5"}  # fmt: skip
    assert "tiers" in errors_of(lambda: save(store=store, data=both))
    too_big = {"kind": "store_threshold", "name": "x", "tiers": [{"threshold": "100", "off": "110"}]}
    assert "tiers" in errors_of(lambda: save(store=store, data=too_big))
    zero = {"kind": "store_threshold", "name": "x", "every": "0", "off": "5"}
    assert "every" in errors_of(lambda: save(store=store, data=zero))
    nothing = {"kind": "store_threshold", "name": "x"}
    assert {"every", "off"} <= set(errors_of(lambda: save(store=store, data=nothing)))
    three_places = {"kind": "store_threshold", "name": "x", "every": "100.001", "off": "5"}
    assert "every" in errors_of(lambda: save(store=store, data=three_places))
    assert not StorePromotion.objects.exists()
    ok = save(store=store, data={"kind": "store_threshold", "name": "ok", "every": "100", "off": "10", "cap": "30"})
    assert (ok.every, ok.off, ok.cap) == (D("100"), D("10"), D("30"))


def test_item_discount_rules():
    store = StoreFactory()
    sku = SKUFactory(product=ProductFactory(store=store), price=D("50.00"))
    base = {"kind": "item_discount", "name": "x", "skus": [sku.pk]}
    save = store_promotions.save_store_promotion
    assert "value" in errors_of(
        lambda: save(store=store, data={**base, "discount_type": "percent_off", "value": "100"})
    )
    assert "value" in errors_of(lambda: save(store=store, data={**base, "discount_type": "fixed_price", "value": "60"}))
    assert "value" in errors_of(lambda: save(store=store, data={**base, "discount_type": "amount_off", "value": "-1"}))
    assert "skus" in errors_of(lambda: save(store=store, data={**base, "skus": [], "discount_type": "amount_off",
                                                               "value": "1"}))  # fmt: skip
    later, earlier = timezone.now(), timezone.now() - datetime.timedelta(days=1)
    window = {**base, "discount_type": "amount_off", "value": "5", "valid_from": later, "valid_to": earlier}
    assert "valid_to" in errors_of(lambda: save(store=store, data=window))
    assert not StorePromotion.objects.exists()
    promotion = save(store=store, data={**base, "discount_type": "fixed_price", "value": "39.90", "live_stream_id": 3})
    assert promotion.live_stream_id == 3 and list(promotion.skus.all()) == [sku]


def test_first_order_gifts_cannot_overlap():
    store = StoreFactory()
    StorePromotionFactory(store=store, kind="first_order_gift", off=D("10.00"), threshold=D("0.00"), every=None)
    data = {"kind": "first_order_gift", "name": "again", "off": "5.00"}
    assert "valid_from" in errors_of(lambda: store_promotions.save_store_promotion(store=store, data=data))
    assert "off" in errors_of(
        lambda: store_promotions.save_store_promotion(
            store=StoreFactory(), data={**data, "off": "50", "threshold": "20"}
        )
    )


def test_coupon_windows_that_make_no_sense():
    now = timezone.now()
    base = {"kind": "platform_coupon", "name": "x", "off": "10", "threshold": "100", "total_quantity": 10}
    save = coupons.save_coupon_template
    expires_first = {
        **base,
        "claim_from": now + datetime.timedelta(days=5),
        "valid_to": now + datetime.timedelta(days=2),
    }
    assert "valid_to" in errors_of(lambda: save(by=None, data=expires_first))
    claims_after = {
        **base,
        "claim_until": now + datetime.timedelta(days=5),
        "valid_to": now + datetime.timedelta(days=2),
    }
    assert "claim_until" in errors_of(lambda: save(by=None, data=claims_after))
    both = {**base, "valid_days": 3, "valid_to": now + datetime.timedelta(days=2)}
    assert "valid_days" in errors_of(lambda: save(by=None, data=both))
    assert not CouponTemplate.objects.exists()


def test_store_coupon_gets_the_store_and_needs_a_threshold():
    store = StoreFactory()
    data = {"name": "x", "off": "10", "threshold": "0", "total_quantity": 10, "valid_days": 3}
    assert "threshold" in errors_of(lambda: coupons.save_coupon_template(by=None, data=data, store=store))
    template = coupons.save_coupon_template(
        by=None, data={**data, "threshold": "100", "kind": "red_packet"}, store=store
    )
    assert template.kind == CouponTemplate.Kind.STORE_COUPON and template.store == store


def test_campaign_total_quantity_and_budget_on_edit():
    campaign = CampaignFactory(budget=D("100.00"), spent=D("40.00"))
    data = {field: getattr(campaign, field) for field in campaigns.CAMPAIGN_FIELDS}
    assert "budget" in errors_of(
        lambda: campaigns.save_campaign(by=OperatorFactory(), data={**data, "budget": D("39.99")}, instance=campaign)
    )
    saved = campaigns.save_campaign(by=None, data={**data, "budget": D("40.00")}, instance=campaign)
    assert saved.budget == D("40.00")


def test_enrollment_rules():
    store = TmallStoreFactory()
    ended = CampaignFactory(starts_at=timezone.now() - datetime.timedelta(days=3),
                            ends_at=timezone.now() - datetime.timedelta(days=1))  # fmt: skip
    with pytest.raises(DomainError):
        campaigns.enroll(by=None, campaign=ended, store=store)
    running = CampaignFactory()
    campaigns.enroll(by=None, campaign=running, store=store)
    campaigns.enroll(by=None, campaign=running, store=store)  # twice: still one enrollment
    assert CampaignEnrollment.objects.filter(store=store).count() == 1
    with pytest.raises(DomainError, match="running"):
        campaigns.withdraw(campaign=running, store=store)


def test_promotion_windows_outside_sane_years_are_refused():
    """A campaign in the year 509 rendered a time with a seconds offset (local mean time), not RFC 3339."""
    long_ago = datetime.datetime(509, 3, 4, 15, 5, tzinfo=datetime.UTC)
    far_ahead = datetime.datetime(5294, 8, 7, tzinfo=datetime.UTC)
    data = {"name": "元旦", "starts_at": long_ago, "ends_at": far_ahead, "every": "300", "off": "50"}
    problems = errors_of(lambda: campaigns.save_campaign(by=OperatorFactory(), data=data))
    assert {"starts_at", "ends_at"} <= set(problems)
    coupon = {"name": "x", "amount": "5", "valid_from": long_ago, "valid_to": timezone.now()}
    assert "valid_from" in errors_of(lambda: coupons.clean_coupon_template(coupon, store=StoreFactory()))
