"""Demo promotions (runs after shops' demo): a cross-store "every 300 off 50" across both brands with the open
stores enrolled, store thresholds, store coupons, platform coupons and red packets in the coupon center, a live
price and a live coupon, and a few coupons already claimed by alice. Idempotent: rows are found by name."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from promotions.models import Campaign, CampaignEnrollment, CouponTemplate, IssuedCoupon, StorePromotion
from promotions.services import claims
from shops.models import SKU, Category, Store

D = Decimal
CAMPAIGN_NAME = "双11 跨店满减 · 每满300减50"
DEMO_LIVE_STREAM_ID = 1


def seed(stdout):
    now = timezone.now()
    stores = {store.slug: store for store in Store.objects.filter(status=Store.Status.OPEN)}
    if not stores:
        stdout.write("promotions: no open stores (run shops' demo first); skipped")
        return []
    campaign = ensure_campaign(now, stores.values())
    seed_store_promotions(stores, now)
    seed_store_coupons(stores, now)
    templates = seed_platform_coupons(now)
    claimed = seed_alice(templates, stores)
    stdout.write(
        f"promotions: campaign “{campaign.name}” with {campaign.enrollments.count()} stores, "
        f"{StorePromotion.objects.count()} store promotions, {CouponTemplate.objects.count()} coupon templates, "
        f"alice holds {claimed} coupons"
    )
    return []


def ensure_campaign(now, stores) -> Campaign:
    campaign = Campaign.objects.filter(name=CAMPAIGN_NAME).first()
    if campaign is None:
        campaign = Campaign.objects.create(
            name=CAMPAIGN_NAME,
            description="天猫、淘宝参与店铺商品跨店累计，每满300元减50元，上不封顶。",
            starts_at=now - datetime.timedelta(days=1),
            ends_at=now + datetime.timedelta(days=30),
            every=D("300.00"),
            off=D("50.00"),
            brands=[],
            platform_share=D("0.40"),
            budget=D("200000.00"),
        )
    for store in stores:
        CampaignEnrollment.objects.get_or_create(campaign=campaign, store=store)
    return campaign


def ensure_promotion(store: Store, name: str, **fields) -> StorePromotion:
    promotion = StorePromotion.objects.filter(store=store, name=name).first()
    if promotion is None:
        promotion = StorePromotion.objects.create(store=store, name=name, **fields)
    return promotion


def seed_store_promotions(stores: dict[str, Store], now) -> None:
    if store := stores.get("youxuan-tmall"):
        ensure_promotion(store, "店铺满减 满200减20 / 满400减50", kind=StorePromotion.Kind.STORE_THRESHOLD,
                         tiers=[{"threshold": "200.00", "off": "20.00"}, {"threshold": "400.00", "off": "50.00"}])  # fmt: skip
        sku_discount(store, "新品直降 8.5 折", StorePromotion.DiscountType.PERCENT_OFF, D("15"), count=3)
    if store := stores.get("youxuan-taobao"):
        ensure_promotion(store, "每满100减10，最多减50", kind=StorePromotion.Kind.STORE_THRESHOLD,
                         every=D("100.00"), off=D("10.00"), cap=D("50.00"))  # fmt: skip
        ensure_promotion(store, "新客首单礼金 10 元", kind=StorePromotion.Kind.FIRST_ORDER_GIFT,
                         off=D("10.00"), threshold=D("50.00"))  # fmt: skip
    if store := stores.get("geek-tmall"):
        ensure_promotion(store, "数码满1000减80", kind=StorePromotion.Kind.STORE_THRESHOLD,
                         tiers=[{"threshold": "1000.00", "off": "80.00"}])  # fmt: skip
        live = sku_discount(store, "直播间专享价", StorePromotion.DiscountType.AMOUNT_OFF, D("50.00"), count=2)
        if live is not None and live.live_stream_id is None:
            live.live_stream_id = DEMO_LIVE_STREAM_ID
            live.save(update_fields=["live_stream_id"])


def sku_discount(store: Store, name: str, discount_type: str, value: Decimal, count: int) -> StorePromotion | None:
    skus = list(SKU.objects.filter(store=store, is_active=True, price__gt=value).order_by("id")[:count])
    if not skus:
        return None
    promotion = ensure_promotion(
        store, name, kind=StorePromotion.Kind.ITEM_DISCOUNT, discount_type=discount_type, value=value
    )
    if not promotion.skus.exists():
        promotion.skus.set(skus)
    return promotion


def ensure_template(name: str, **fields) -> CouponTemplate:
    template = CouponTemplate.objects.filter(name=name).first()
    if template is None:
        template = CouponTemplate.objects.create(name=name, **fields)
    return template


def seed_store_coupons(stores: dict[str, Store], now) -> None:
    specs = [
        ("youxuan-tmall", "优选旗舰店 满299减30", D("299.00"), D("30.00")),
        ("youxuan-tmall", "优选旗舰店 满99减10", D("99.00"), D("10.00")),
        ("youxuan-taobao", "优选小铺 满150减15", D("150.00"), D("15.00")),
        ("geek-tmall", "极客数码 满1500减100", D("1500.00"), D("100.00")),
        ("xiaomei-beauty", "小美美妆 满120减12", D("120.00"), D("12.00")),
    ]
    for slug, name, threshold, off in specs:
        if store := stores.get(slug):
            ensure_template(name, kind=CouponTemplate.Kind.STORE_COUPON, store=store, threshold=threshold, off=off,
                            total_quantity=1000, per_shopper_limit=1, valid_days=30)  # fmt: skip
    if store := stores.get("geek-tmall"):
        ensure_template("直播间专享 满500减60", kind=CouponTemplate.Kind.STORE_COUPON, store=store,
                        threshold=D("500.00"), off=D("60.00"), total_quantity=200, per_shopper_limit=1, valid_days=7,
                        channel=CouponTemplate.Channel.LIVE, live_stream_id=DEMO_LIVE_STREAM_ID)  # fmt: skip


def seed_platform_coupons(now) -> dict[str, CouponTemplate]:
    ends = now + datetime.timedelta(days=30)
    templates = {
        "platform": ensure_template("平台通用券 满300减30", kind=CouponTemplate.Kind.PLATFORM_COUPON,
                                    threshold=D("300.00"), off=D("30.00"), total_quantity=5000, per_shopper_limit=1,
                                    valid_days=15),
        "tmall": ensure_template("天猫购物津贴 满400减40", kind=CouponTemplate.Kind.PLATFORM_COUPON, brands=["TMALL"],
                                 threshold=D("400.00"), off=D("40.00"), total_quantity=3000, per_shopper_limit=2,
                                 valid_from=now - datetime.timedelta(days=1), valid_to=ends),
        "apparel": ensure_template("服饰品类券 满199减20", kind=CouponTemplate.Kind.PLATFORM_COUPON,
                                   threshold=D("199.00"), off=D("20.00"), total_quantity=2000, per_shopper_limit=1,
                                   valid_days=10),
        "red5": ensure_template("无门槛红包 5 元", kind=CouponTemplate.Kind.RED_PACKET, off=D("5.00"),
                                total_quantity=10000, per_shopper_limit=3, valid_days=7),
        "red20": ensure_template("双11 红包 20 元", kind=CouponTemplate.Kind.RED_PACKET, off=D("20.00"),
                                 total_quantity=500, per_shopper_limit=1, valid_from=now - datetime.timedelta(days=1),
                                 valid_to=ends),
    }  # fmt: skip
    apparel = Category.objects.filter(slug="apparel").first()
    if apparel and not templates["apparel"].categories.exists():
        templates["apparel"].categories.set([apparel])
    return templates


def seed_alice(templates: dict[str, CouponTemplate], stores: dict[str, Store]) -> int:
    alice = User.objects.filter(username="alice").first()
    if alice is None:
        return 0
    wanted = [templates["platform"], templates["red5"], templates["red20"]]
    store_coupon = CouponTemplate.objects.filter(name="优选旗舰店 满99减10").first()
    if store_coupon:
        wanted.append(store_coupon)
    for template in wanted:
        if not IssuedCoupon.objects.filter(template=template, shopper=alice).exists():
            claims.claim(alice, template)
    return IssuedCoupon.objects.filter(shopper=alice).count()
