"""Row locks on promotions' tables, each kind in pk order.

In the project's lock order (written down in orders.lock_objects) issued coupons come after the order, its
sub-orders and ledger accounts, then campaign spend (step 9): an order's transaction locks the coupons it uses (or
gives back), then the spend rows it returns. Campaign budgets themselves are charged with a conditional UPDATE, not
a lock taken in advance. Editing a campaign or a coupon template locks that one row alone; a grant of targeted
coupons locks its template after the customers app's campaign row (customers.lock_objects).
"""

from __future__ import annotations

from collections.abc import Iterable

from promotions.models import Campaign, CampaignSpend, CouponTemplate, IssuedCoupon


def locked_coupons(coupon_ids: Iterable[int]) -> list[IssuedCoupon]:
    """The issued coupons, locked in pk order (a checkout consuming them)."""
    return list(IssuedCoupon.objects.select_for_update().filter(pk__in=list(coupon_ids)).order_by("pk"))


def locked_used_coupons_of(order_ids: Iterable[int]) -> list[IssuedCoupon]:
    """The coupons the orders used, locked in pk order (given back when the orders close)."""
    return list(
        IssuedCoupon.objects.select_for_update()
        .filter(order_id__in=list(order_ids), status=IssuedCoupon.Status.USED)
        .order_by("pk")
    )


def locked_open_spends_of(order_ids: Iterable[int]) -> list[CampaignSpend]:
    """The orders' campaign spend not returned yet, locked in pk order."""
    return list(
        CampaignSpend.objects.select_for_update()
        .filter(order_id__in=list(order_ids), released_at__isnull=True)
        .order_by("pk")
    )


def locked_coupon_template(template_id: int) -> CouponTemplate:
    return CouponTemplate.objects.select_for_update().get(pk=template_id)


def locked_campaign(campaign_id: int) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign_id)
