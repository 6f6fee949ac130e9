"""Putting coupons straight into chosen shoppers' wallets (targeted coupons, 定向券), for the customers app.

Only templates of the "targeted" channel can be granted, and they can only be granted (never claimed). The total
quantity (the campaign's budget) and the per-shopper limit hold under concurrency: the template row is locked for
the whole grant, so grants (and claims) of one template queue; shoppers' holdings are counted under that lock and
the unique (template, shopper, seq) constraint backs the limit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from promotions.lock_objects import locked_coupon_template
from promotions.models import CouponTemplate, IssuedCoupon


@transaction.atomic
def grant(template_id: int, shopper_ids: Iterable[int], *, at: datetime.datetime | None = None) -> dict[int, int]:
    """Issue one coupon of the template to each shopper (in id order) while the budget lasts and the shopper holds
    fewer than the per-shopper limit. Returns {shopper id: issued coupon id} for the coupons issued now."""
    at = at or timezone.now()
    template = locked_coupon_template(template_id)
    if template.channel != CouponTemplate.Channel.TARGETED:
        raise DomainError(_("Only a targeted coupon can be sent to chosen shoppers."), code="not_targeted")
    if not template.is_active:
        raise DomainError(_("This coupon is no longer offered."), code="not_offered")
    if template.valid_to is not None and template.valid_to < at:
        raise DomainError(_("This coupon has already ended."), code="claim_ended")
    wanted = sorted({int(pk) for pk in shopper_ids})
    held = dict(
        IssuedCoupon.objects.filter(template=template, shopper_id__in=wanted)
        .values_list("shopper_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    eligible = [pk for pk in wanted if held.get(pk, 0) < template.per_shopper_limit]
    chosen = eligible[: max(template.total_quantity - template.issued_count, 0)]
    if not chosen:
        return {}
    valid_from, valid_to = template.validity_for_claim(at)
    coupons = IssuedCoupon.objects.bulk_create(
        IssuedCoupon(
            template=template, shopper_id=pk, seq=held.get(pk, 0) + 1, valid_from=valid_from, valid_to=valid_to,
            claimed_at=at,
        )
        for pk in chosen
    )  # fmt: skip
    template.issued_count += len(coupons)
    template.save(update_fields=["issued_count"])
    return {coupon.shopper_id: coupon.pk for coupon in coupons}
