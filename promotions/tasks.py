"""Thin Celery wrappers around promotions.services."""

from celery import shared_task

from promotions.services import claims


@shared_task(name="promotions.expire_coupons")
def expire_coupons() -> int:
    """Mark held coupons past their end as expired (pricing already ignores them; this keeps lists honest)."""
    return claims.expire_coupons()
