"""Shoppers claim coupons (center and live room); the sweep that marks held coupons past their end as expired."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from promotions.models import CouponTemplate, IssuedCoupon


def claim(shopper, template: CouponTemplate, *, live_stream_id: int | None = None, at=None) -> IssuedCoupon:
    """Give ``shopper`` one coupon of ``template``.

    Total quantity: a conditional UPDATE (issued_count < total_quantity) that also locks the template row, so
    concurrent claims of one template queue behind each other and the count is exact. Per-shopper limit: counted
    under that lock, and backed by the unique (template, shopper, seq) constraint.
    Live-channel coupons are claimable only in their live room (``live_stream_id`` must match).
    """
    at = at or timezone.now()
    if shopper is None or not shopper.is_authenticated:
        raise DomainError(_("Log in to claim coupons."), code="login_required", status_code=403)
    check_claimable(template, live_stream_id, at)
    try:
        with transaction.atomic():
            taken = CouponTemplate.objects.filter(pk=template.pk, is_active=True, issued_count__lt=F("total_quantity"))
            if not taken.update(issued_count=F("issued_count") + 1):
                raise DomainError(_("All of these coupons have been claimed."), code="sold_out", status_code=409)
            held = IssuedCoupon.objects.filter(template=template, shopper=shopper).count()
            if held >= template.per_shopper_limit:
                raise DomainError(limit_message(template), code="limit_reached", status_code=409)
            valid_from, valid_to = template.validity_for_claim(at)
            return IssuedCoupon.objects.create(
                template=template,
                shopper=shopper,
                seq=held + 1,
                valid_from=valid_from,
                valid_to=valid_to,
                live_stream_id=live_stream_id if template.channel == CouponTemplate.Channel.LIVE else None,
                claimed_at=at,
            )
    except IntegrityError as exc:  # the unique seq caught a concurrent claim by the same shopper
        raise DomainError(limit_message(template), code="limit_reached", status_code=409) from exc


def limit_message(template: CouponTemplate) -> str:
    return _("You can hold at most %(limit)s of this coupon.") % {"limit": template.per_shopper_limit}


def check_claimable(template: CouponTemplate, live_stream_id: int | None, at) -> None:
    if template.channel == CouponTemplate.Channel.TARGETED:
        raise DomainError(_("This coupon is sent by the store to chosen shoppers."), code="targeted_only")
    if template.channel == CouponTemplate.Channel.LIVE and live_stream_id != template.live_stream_id:
        raise DomainError(_("This coupon can only be claimed in its live stream."), code="live_only")
    if not template.is_active:
        raise DomainError(_("This coupon is no longer offered."), code="not_offered")
    if template.claim_from and at < template.claim_from:
        raise DomainError(_("This coupon cannot be claimed yet."), code="not_started")
    if not template.claimable_now(at):
        raise DomainError(_("This coupon can no longer be claimed."), code="claim_ended")


def expire_coupons(at=None) -> int:
    """Mark held coupons past their end as expired (a sweep; pricing already ignores them). Returns how many."""
    at = at or timezone.now()
    return IssuedCoupon.objects.filter(status__in=IssuedCoupon.USABLE_STATUSES, valid_to__lt=at).update(
        status=IssuedCoupon.Status.EXPIRED
    )
