"""Coupon drops in a live room: releasing a live-only store coupon and viewers claiming it."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from livestream.lock_objects import locked_stream
from livestream.models import CouponDrop, Stream
from livestream.services.common import MAX_DROP_QUANTITY, broadcast, is_id
from livestream.services.featured import promotions_errors
from marketplace.api import DomainError


def drop_coupon(
    stream: Stream, *, by, name: str, off, threshold, quantity: int, per_shopper_limit: int = 1, valid_days: int = 7
) -> CouponDrop:
    """Release a live-only store coupon in the room: claimable while the stream is live, up to ``quantity``.
    The coupon itself is a promotions coupon template of the live channel (promotions validates it)."""
    from promotions.services import coupons

    with transaction.atomic():
        stream = locked_stream(stream)
        if not stream.is_live:
            raise DomainError(_("Coupons are dropped while the stream is live."), code="not_live")
        if stream.host_kind != Stream.HostKind.STORE:
            raise DomainError(
                _("Live coupons are funded by a store; creators cannot drop them."), code="creator_cannot_drop"
            )
        quantity = _positive_int(quantity, _("quantity"), MAX_DROP_QUANTITY)
        data = {
            "name": (name or "").strip()[:120] or str(_("Live coupon")),
            "off": off,
            "threshold": threshold,
            "total_quantity": quantity,
            "per_shopper_limit": per_shopper_limit,
            "claim_from": timezone.now(),
            "valid_days": valid_days,
            "channel": "live",
            "live_stream_id": stream.pk,
        }
        with promotions_errors():
            template = coupons.save_coupon_template(by=by, data=data, store=stream.store)
        drop = CouponDrop.objects.create(stream=stream, template=template, dropped_by=by)
        from livestream.selectors import drop_payload

        broadcast(stream.pk, {"type": "coupon", "drop": drop_payload(drop)})
    return drop


def _positive_int(value, label, maximum: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Enter a whole number for %(field)s.") % {"field": label}, code="invalid_number") from exc
    if not 1 <= number <= maximum:
        raise DomainError(
            _("%(field)s must be between 1 and %(max)s.") % {"field": label, "max": maximum}, code="invalid_number"
        )
    return number


def close_coupon_drops(stream: Stream) -> None:
    from promotions.services import coupons

    coupons.close_live_coupons(live_stream_id=stream.pk)


def claim_drop(stream_id: int, drop_id: int, user):
    """A viewer claims a dropped coupon in the room. Quantity and per-shopper limits are enforced by promotions
    (conditional updates and a unique constraint), so they hold however many viewers claim at once."""
    from promotions.services import claims

    if not user or not user.is_authenticated:
        raise DomainError(_("Log in to claim coupons."), code="login_required", status_code=403)
    drop = None
    if is_id(drop_id):
        drop = CouponDrop.objects.select_related("stream", "template").filter(pk=drop_id, stream_id=stream_id).first()
    if drop is None:
        raise DomainError(_("No such coupon in this stream."), code="no_drop", status_code=404)
    if not drop.stream.is_live:
        raise DomainError(_("This stream has ended; its live coupons can no longer be claimed."), code="not_live")
    issued = claims.claim(user, drop.template, live_stream_id=stream_id)
    remaining = (
        type(drop.template)
        .objects.filter(pk=drop.template_id)
        .values_list(F("total_quantity") - F("issued_count"), flat=True)[0]
    )
    broadcast(stream_id, {"type": "coupon_stock", "drop": drop.pk, "remaining": max(remaining, 0)})
    return issued
