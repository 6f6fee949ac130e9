"""Targeted coupons (定向券): sent to a segment with a random control group held out, straight into wallets,
budget and per-shopper limit holding under concurrent sends and grants, and the uplift report."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from customers import signals
from customers.models import CampaignRecipient, TargetedCampaign
from customers.services import targeting
from customers.services.segments import recompute
from marketplace.api import DomainError
from promotions.models import CouponTemplate, IssuedCoupon
from promotions.selectors import coupon_center
from promotions.services import granting
from promotions.services.claims import claim
from tests.customers.helpers import paid_order, shopper_with_address, sku_in, staff, token_client
from tests.orders.helpers import run_threads
from tests.shops.factories import StoreFactory, TmallStoreFactory

URL = "/api/v1/seller/targeted-coupons/"


def customers_of(store, count, price="100.00"):
    shoppers = []
    for _ in range(count):
        shopper, address = shopper_with_address()
        paid_order(shopper, address, (sku_in(store, price=price), 1))
        shoppers.append((shopper, address))
    recompute([store.merchant_id])
    return shoppers


def campaign_for(store, *, segment="new", budget=100, control_percent=0, per_shopper_limit=1, filters=None):
    audience = {"segment": segment} if segment else {}
    return targeting.create(
        by=store.merchant.owner, store=store, audience={**audience, **(filters or {})}, name="回头客券",
        off=Decimal("10.00"), threshold=Decimal("50.00"), valid_days=30, budget=budget,
        per_shopper_limit=per_shopper_limit, control_percent=control_percent,
    )  # fmt: skip


@pytest.mark.django_db
def test_send_puts_coupons_in_the_treatment_wallets_and_holds_out_a_random_control_group(
    django_capture_on_commit_callbacks,
):
    store = StoreFactory()
    shoppers = [shopper for shopper, _ in customers_of(store, 10)]
    campaign = campaign_for(store, control_percent=20)
    heard = []
    signals.targeted_coupon_issued.connect(lambda sender, **kw: heard.append(kw), dispatch_uid="test-heard", weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            issued = targeting.send(campaign.pk, rng=random.Random(7))
    finally:
        signals.targeted_coupon_issued.disconnect(dispatch_uid="test-heard")

    assert issued == 8
    campaign.refresh_from_db()
    assert (campaign.status, campaign.audience, campaign.control, campaign.issued) == ("sent", 10, 2, 8)
    treated = set(
        CampaignRecipient.objects.filter(campaign=campaign, group="treatment").values_list("shopper_id", flat=True)
    )
    held_out = set(
        CampaignRecipient.objects.filter(campaign=campaign, group="control").values_list("shopper_id", flat=True)
    )
    assert treated | held_out == {s.pk for s in shoppers} and not treated & held_out
    assert set(IssuedCoupon.objects.filter(template=campaign.template).values_list("shopper_id", flat=True)) == treated
    assert sorted(heard[0]["shopper_ids"]) == sorted(treated)
    # Targeted coupons are never in the coupon center and cannot be claimed by anyone.
    assert campaign.template not in coupon_center()
    with pytest.raises(DomainError) as refused:
        claim(shoppers[0], campaign.template)
    assert refused.value.code == "targeted_only"


@pytest.mark.django_db
def test_sending_twice_sends_once_and_the_budget_caps_the_treatment():
    store = StoreFactory()
    customers_of(store, 6)
    campaign = campaign_for(store, budget=4)
    assert targeting.send(campaign.pk) == 4
    assert targeting.send(campaign.pk) == 4
    template = CouponTemplate.objects.get(pk=campaign.template_id)
    assert template.issued_count == 4 == IssuedCoupon.objects.filter(template=template).count()


@pytest.mark.django_db
def test_saved_filter_audience_across_both_brands():
    store = StoreFactory()
    tmall = TmallStoreFactory(merchant=store.merchant)
    big, address = shopper_with_address()
    paid_order(big, address, (sku_in(store, price="300.00"), 1))
    paid_order(big, address, (sku_in(tmall, price="300.00"), 1))
    customers_of(store, 3, price="20.00")
    campaign = campaign_for(store, segment="", filters={"min_spend": "500.00"})
    assert targeting.audience_ids(campaign) == [big.pk]


@pytest.mark.django_db
def test_create_refuses_an_empty_audience_and_bad_coupons():
    store = StoreFactory()
    with pytest.raises(DomainError):
        campaign_for(store, segment="")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        targeting.create(by=store.merchant.owner, store=store, audience={"segment": "new"}, name="x",
                         off=Decimal("80.00"), threshold=Decimal("50.00"), valid_days=3, budget=5)  # fmt: skip
    assert not TargetedCampaign.objects.exists()


@pytest.mark.django_db
def test_report_compares_the_treatment_with_the_control_group():
    store = StoreFactory()
    people = customers_of(store, 4)
    campaign = campaign_for(store, control_percent=50)
    targeting.send(campaign.pk, rng=random.Random(1))
    groups = dict(CampaignRecipient.objects.filter(campaign=campaign).values_list("shopper_id", "group"))
    treated = [(s, a) for s, a in people if groups[s.pk] == "treatment"]
    held_out = [(s, a) for s, a in people if groups[s.pk] == "control"]
    for shopper, address in treated:  # both treated shoppers come back, using the coupon
        paid_order(shopper, address, (sku_in(store, price="100.00"), 1))
    paid_order(*held_out[0], (sku_in(store, price="100.00"), 1))  # one of the two held out comes back

    campaign.refresh_from_db()
    report = targeting.report(campaign)
    assert (report["treatment"], report["control"], report["issued"], report["used"]) == (2, 2, 2, 2)
    assert (report["treatment_orders"], report["treatment_buyers"]) == (2, 2)
    assert report["treatment_spend"] == Decimal("180.00")  # 100 - 10 each
    assert (report["control_orders"], report["control_spend"]) == (1, Decimal("100.00"))
    assert report["uplift"] == Decimal("0.5000")
    assert report["spend_per_shopper_uplift"] == Decimal("40.00")


@pytest.mark.django_db(transaction=True)
def test_concurrent_sends_of_one_campaign_send_once():
    store = StoreFactory()
    customers_of(store, 12)
    campaign = campaign_for(store, budget=10, control_percent=10)

    results, errors = run_threads(6, lambda index: targeting.send(campaign.pk))

    assert errors == []
    template = CouponTemplate.objects.get(pk=campaign.template_id)
    coupons = IssuedCoupon.objects.filter(template=template)
    assert set(results) == {10} and template.issued_count == 10 == coupons.count()
    assert coupons.values("shopper_id").distinct().count() == 10
    assert CampaignRecipient.objects.filter(campaign=campaign).count() == 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_never_pass_the_budget_or_the_per_shopper_limit():
    store = StoreFactory()
    shoppers = [shopper.pk for shopper, _ in customers_of(store, 6)]
    campaign = campaign_for(store, budget=9, per_shopper_limit=2)

    results, errors = run_threads(10, lambda index: granting.grant(campaign.template_id, shoppers[index % 3 :]))

    assert errors == []
    template = CouponTemplate.objects.get(pk=campaign.template_id)
    coupons = IssuedCoupon.objects.filter(template=template)
    assert template.issued_count == 9 == coupons.count() == sum(len(granted) for granted in results)
    held = {pk: coupons.filter(shopper_id=pk).count() for pk in shoppers}
    assert max(held.values()) <= 2
    for pk, count in held.items():  # each shopper's coupons are numbered 1..n: no seq taken twice
        assert sorted(coupons.filter(shopper_id=pk).values_list("seq", flat=True)) == list(range(1, count + 1))


@pytest.mark.django_db
def test_campaign_api_scoped_to_the_merchant_and_its_marketing_staff():
    store = StoreFactory()
    customers_of(store, 3)
    owner = token_client(store.merchant.owner)
    payload = {"name": "新客券", "store": store.pk, "segment": "new", "off": "5.00", "threshold": "30.00",
               "budget": 10, "control_percent": 0, "send": True}  # fmt: skip

    created = owner.post(URL, payload, format="json")

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "sent" and body["report"]["issued"] == 3 and body["coupon"]["budget"] == 10
    other = StoreFactory()
    outsider = token_client(other.merchant.owner)
    assert outsider.get(f"{URL}{body['id']}/").status_code == 404
    assert outsider.post(URL, {**payload, "store": store.pk}, format="json").status_code == 404
    service = token_client(staff(store))  # customer service cannot run promotions
    assert service.post(URL, payload, format="json").status_code == 404
    assert owner.post(URL, {**payload, "segment": "vip"}, format="json").status_code == 400
    assert owner.get(URL).json()[0]["report"]["issued"] == 3
