import datetime
from decimal import Decimal

import factory
from django.db.models import F
from django.utils import timezone

from promotions.models import Campaign, CampaignEnrollment, CouponTemplate, IssuedCoupon, StorePromotion
from tests.accounts.factories import UserFactory
from tests.shops.factories import StoreFactory


def now():
    return timezone.now()


class CampaignFactory(factory.django.DjangoModelFactory):
    """Every 300 off 50, running from an hour ago for a week, all brands, merchant-funded."""

    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    starts_at = factory.LazyFunction(lambda: now() - datetime.timedelta(hours=1))
    ends_at = factory.LazyFunction(lambda: now() + datetime.timedelta(days=7))
    every = Decimal("300.00")
    off = Decimal("50.00")


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignEnrollment

    campaign = factory.SubFactory(CampaignFactory)
    store = factory.SubFactory(StoreFactory)


class StorePromotionFactory(factory.django.DjangoModelFactory):
    """A store threshold "every 200 off 20" unless told otherwise."""

    class Meta:
        model = StorePromotion

    store = factory.SubFactory(StoreFactory)
    kind = StorePromotion.Kind.STORE_THRESHOLD
    name = factory.Sequence(lambda n: f"Store promotion {n}")
    every = Decimal("200.00")
    off = Decimal("20.00")


class CouponTemplateFactory(factory.django.DjangoModelFactory):
    """A platform coupon 200 off 20, 100 of them, one per shopper, valid 7 days after claim."""

    class Meta:
        model = CouponTemplate

    kind = CouponTemplate.Kind.PLATFORM_COUPON
    name = factory.Sequence(lambda n: f"Coupon {n}")
    off = Decimal("20.00")
    threshold = Decimal("200.00")
    total_quantity = 100
    per_shopper_limit = 1
    valid_days = 7


class StoreCouponTemplateFactory(CouponTemplateFactory):
    kind = CouponTemplate.Kind.STORE_COUPON
    store = factory.SubFactory(StoreFactory)


class RedPacketTemplateFactory(CouponTemplateFactory):
    kind = CouponTemplate.Kind.RED_PACKET
    threshold = Decimal("0.00")
    off = Decimal("5.00")


class IssuedCouponFactory(factory.django.DjangoModelFactory):
    """A coupon held by a shopper, valid from an hour ago for a week (counts against the template's quantity)."""

    class Meta:
        model = IssuedCoupon
        skip_postgeneration_save = True

    template = factory.SubFactory(CouponTemplateFactory)
    shopper = factory.SubFactory(UserFactory)
    valid_from = factory.LazyFunction(lambda: now() - datetime.timedelta(hours=1))
    valid_to = factory.LazyFunction(lambda: now() + datetime.timedelta(days=7))
    seq = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def count_issue(obj, create, extracted, **kwargs):
        if create:
            CouponTemplate.objects.filter(pk=obj.template_id).update(issued_count=F("issued_count") + 1)
