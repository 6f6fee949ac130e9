"""Orders consume what a priced cart used (coupons, campaign budgets) inside the order's transaction, and release
it when the order is cancelled or closed before shipping."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from promotions.adapter import PricedCart
from promotions.lock_objects import locked_coupons, locked_open_spends_of, locked_used_coupons_of
from promotions.models import Campaign, IssuedCoupon


def consume_for_order(*, shopper, priced: PricedCart, order_id: int) -> None:
    """Inside the caller's transaction: mark the priced cart's coupons USED by ``order_id`` and charge each
    campaign's budget with its platform-funded part. Raises DomainError (the caller rolls back) when a coupon is
    no longer usable or a budget would be overspent. Coupons are locked in id order so concurrent checkouts that
    share coupons cannot deadlock; budgets use a conditional UPDATE (spent + x <= budget)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("consume_for_order must run inside the order's transaction")
    now = timezone.now()
    ids = sorted(set(priced.coupons_used))
    coupons = locked_coupons(ids)
    if len(coupons) != len(ids):
        raise DomainError(_("A coupon in this order no longer exists."), code="coupon_unusable")
    for coupon in coupons:
        if coupon.shopper_id != shopper.pk or not coupon.usable_at(now):
            raise DomainError(
                _("The coupon “%(name)s” can no longer be used; please review your order.")
                % {"name": coupon.template.name},
                code="coupon_unusable",
                status_code=409,
            )
    IssuedCoupon.objects.filter(pk__in=ids).update(
        status=IssuedCoupon.Status.USED, order_id=order_id, used_at=now, returned_at=None
    )
    for campaign_id, amount in sorted(priced.campaign_platform_funding().items()):
        charge_campaign(campaign_id, amount, order_id)


def charge_campaign(campaign_id: int, amount: Decimal, order_id: int) -> None:
    if amount <= 0:
        return
    fits = Q(budget__isnull=True) | Q(budget__gte=F("spent") + amount)
    if not Campaign.objects.filter(pk=campaign_id).filter(fits).update(spent=F("spent") + amount):
        name = Campaign.objects.filter(pk=campaign_id).values_list("name", flat=True).first() or campaign_id
        raise DomainError(
            _("The campaign “%(name)s” has run out of budget; please review your order.") % {"name": name},
            code="budget_exhausted",
            status_code=409,
        )
    if not record_spend(campaign_id, order_id, amount):
        raise DomainError(_("This order has already used its promotions."), code="already_consumed")


def record_spend(campaign_id: int, order_id: int, amount: Decimal) -> bool:
    """Insert the order's spend row; False when the order already has one for this campaign. ON CONFLICT instead of
    a savepoint around a failing INSERT: one statement where a checkout had three."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO promotions_campaignspend (campaign_id, order_id, amount, created_at) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [campaign_id, order_id, amount, timezone.now()],
        )
        return cursor.rowcount == 1


@transaction.atomic
def release_for_order(*, order_id: int) -> None:
    release_for_orders(order_ids=[order_id])


def release_for_orders(*, order_ids: list[int]) -> None:
    """Give back what the orders used (cancelled unpaid order, or every sub-order closed before shipping):
    their coupons go back to the shoppers (usable again while still valid) and the campaigns' spend is returned.
    Idempotent: a second call finds nothing left to release."""
    now = timezone.now()
    coupons = locked_used_coupons_of(order_ids)
    for coupon in coupons:
        expired = coupon.valid_to is not None and coupon.valid_to < now
        coupon.status = IssuedCoupon.Status.EXPIRED if expired else IssuedCoupon.Status.RETURNED
        coupon.returned_at = now
        coupon.order_id = None
        coupon.save(update_fields=["status", "returned_at", "order_id"])
    spends = locked_open_spends_of(order_ids)
    for spend in spends:
        Campaign.objects.filter(pk=spend.campaign_id).update(spent=F("spent") - spend.amount)
        spend.released_at = now
        spend.save(update_fields=["released_at"])
