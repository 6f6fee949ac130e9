"""Notification writes, run by workers: who is told what about an event, written once per event and reader
(``event_key``), then sent through the outside channels once each.

Events arrive two ways: signal receivers (messaging.receivers) enqueue ``tasks.deliver_event`` on commit, and the
beat sweep looks for what no signal announces yet (refund decisions, deadlines, expiring coupons).
"""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from customers.models import CampaignRecipient, StoreFollow, TargetedCampaign
from logistics.models import LateShipment
from messaging import catalogue, channels
from messaging.lock_objects import lock_delivery
from messaging.models import Delivery, Notification, Preference
from orders.models import SubOrder
from promotions.models import IssuedCoupon
from refunds.models import RefundRequest
from reviews.models import Review
from shops.models import Store, StoreStaff
from shops.permissions import Capability, roles_with

logger = logging.getLogger(__name__)

REFUND_DEADLINE_WARNING = datetime.timedelta(hours=6)
COUPON_EXPIRY_WARNING = datetime.timedelta(hours=24)
SWEEP_LOOKBACK = datetime.timedelta(minutes=15)
NOTIFY_BATCH = 1_000


def staff_recipients(store_id: int, capability: Capability) -> list[int]:
    return list(
        StoreStaff.objects.filter(store_id=store_id, role__in=roles_with(capability))
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def notify(user_ids, *, code: str, params: dict, event_key: str, store_id: int | None = None) -> list[Notification]:
    """Write the notification for each reader who does not have it yet; returns the new ones (already sent out)."""
    kind = catalogue.CATALOGUE[code]
    created = []
    for user_id in user_ids:
        try:
            with transaction.atomic():
                notification, is_new = Notification.objects.get_or_create(
                    recipient_id=user_id,
                    event_key=event_key,
                    defaults={"audience": kind.audience, "code": code, "params": params, "store_id": store_id},
                )
        except IntegrityError:  # a concurrent run wrote it first
            continue
        if is_new:
            created.append(notification)
    for notification in created:
        send_outside(notification)
    return created


def notify_each(items: list[tuple[int, str, dict]], *, code: str, store_id: int | None = None) -> int:
    """``notify`` for many readers at once, each with its own (user id, event key, parameters): a targeted coupon
    reaches thousands of shoppers, so rows are written in bulk. Returns how many were new. A concurrent run that
    wrote some of them first is harmless: the unique (reader, event) keeps one row, send_outside sends once."""
    kind = catalogue.CATALOGUE[code]
    written = 0
    for start in range(0, len(items), NOTIFY_BATCH):
        chunk = items[start : start + NOTIFY_BATCH]
        existing = set(
            Notification.objects.filter(event_key__in=[key for _user, key, _params in chunk]).values_list(
                "recipient_id", "event_key"
            )
        )
        fresh = [
            Notification(recipient_id=user_id, event_key=key, audience=kind.audience, code=code, params=params,
                         store_id=store_id)
            for user_id, key, params in chunk
            if (user_id, key) not in existing
        ]  # fmt: skip
        if not fresh:
            continue
        Notification.objects.bulk_create(fresh, ignore_conflicts=True)
        written += len(fresh)
        for notification in Notification.objects.filter(event_key__in=[n.event_key for n in fresh]).order_by("pk"):
            send_outside(notification)
    return written


def send_outside(notification: Notification) -> None:
    """Each active channel once: the Delivery row is claimed before sending, so a rerun never sends twice."""
    preference = Preference.objects.filter(user_id=notification.recipient_id).first()
    language = preference.language if preference else None
    for channel in channels.active_channels():
        Delivery.objects.get_or_create(notification=notification, channel=channel.name)
        with transaction.atomic():
            delivery = lock_delivery(notification.pk, channel.name)
            if delivery.status != Delivery.Status.PENDING:
                continue
            delivery.attempts += 1
            if not channel.wants(notification, preference):
                delivery.status = Delivery.Status.SKIPPED
            else:
                try:
                    channel.send(notification, catalogue.render(notification.code, notification.params, language))
                except Exception as exc:  # noqa: BLE001 - one failing channel must not lose the others
                    logger.warning("notification %s via %s failed: %s", notification.pk, channel.name, exc)
                    delivery.status, delivery.last_error = Delivery.Status.FAILED, str(exc)[:2000]
                else:
                    delivery.status, delivery.sent_at = Delivery.Status.SENT, timezone.now()
            delivery.save(update_fields=["status", "attempts", "last_error", "sent_at"])


# -- events -------------------------------------------------------------------------------------------------------


def _suborder_params(suborder: SubOrder) -> dict:
    return {
        "order_number": suborder.order.number,
        "suborder_number": suborder.number,
        "suborder_id": suborder.pk,
        "store_name": suborder.store.name,
        "amount": str(suborder.payable),
    }


# The carrier's delivery report is not a state of its own (the sub-order stays shipped until received).
DELIVERED = "delivered"
# to_state (or DELIVERED) -> [(code, who)]: "shopper" or a staff capability of the store.
SUBORDER_NOTICES: dict[str, list[tuple[str, object]]] = {
    SubOrder.State.AWAITING_SHIPMENT: [("order_paid", "shopper"), ("new_order", Capability.HANDLE_ORDERS)],
    SubOrder.State.SHIPPED: [("order_shipped", "shopper")],
    DELIVERED: [("order_delivered", "shopper")],
}


def suborder_event(suborder_id: int, to_state: str) -> int:
    suborder = SubOrder.objects.select_related("order", "store").filter(pk=suborder_id).first()
    if suborder is None:
        return 0
    params = _suborder_params(suborder)
    written = 0
    for code, who in SUBORDER_NOTICES.get(to_state, []):
        readers = [suborder.order.shopper_id] if who == "shopper" else staff_recipients(suborder.store_id, who)
        written += len(
            notify(readers, code=code, params=params, event_key=f"suborder:{suborder.pk}:{to_state}:{code}",
                   store_id=suborder.store_id)
        )  # fmt: skip
    return written


# refund status -> [(code, who)]
REFUND_NOTICES: dict[str, list[tuple[str, object]]] = {
    RefundRequest.Status.PENDING_REVIEW: [("refund_requested", Capability.HANDLE_REFUNDS)],
    RefundRequest.Status.APPROVED: [("refund_approved", "shopper")],
    RefundRequest.Status.AWAITING_RETURN: [("refund_return_requested", "shopper")],
    RefundRequest.Status.REJECTED: [("refund_rejected", "shopper")],
    RefundRequest.Status.REFUNDED: [("refund_paid", "shopper")],
}


def refund_event(refund_id: int, status: str) -> int:
    refund = RefundRequest.objects.select_related("suborder__order", "store").filter(pk=refund_id).first()
    if refund is None:
        return 0
    params = {**_suborder_params(refund.suborder), "refund_id": refund.pk, "amount": str(refund.amount)}
    written = 0
    for code, who in REFUND_NOTICES.get(status, []):
        readers = [refund.shopper_id] if who == "shopper" else staff_recipients(refund.store_id, who)
        written += len(
            notify(readers, code=code, params=params, event_key=f"refund:{refund.pk}:{status}:{code}",
                   store_id=refund.store_id)
        )  # fmt: skip
    return written


def late_shipment_event(late_shipment_id: int, state: str) -> int:
    late = LateShipment.objects.select_related("suborder__order", "suborder__store").filter(pk=late_shipment_id).first()
    if late is None or not late.compensation:
        return 0
    params = {**_suborder_params(late.suborder), "amount": str(late.compensation)}
    return len(
        notify([late.shopper_id], code="late_shipment_compensation", params=params,
               event_key=f"late_shipment:{late.pk}:{state}", store_id=late.store_id)
    )  # fmt: skip


def review_reply_event(review_id: int, state: str) -> int:
    review = Review.objects.select_related("store", "product").filter(pk=review_id, reply_at__isnull=False).first()
    if review is None:
        return 0
    params = {
        "store_name": review.store.name,
        "product_title": review.product.title,
        "product_id": review.product_id,
        "review_id": review.pk,
    }
    return len(
        notify([review.shopper_id], code="review_reply", params=params, event_key=f"review:{review.pk}:reply",
               store_id=review.store_id)
    )  # fmt: skip


def targeted_coupons_event(campaign_id: int, state: str) -> int:
    """Each shopper of the campaign's treatment group who got its coupon: one notice per coupon."""
    campaign = TargetedCampaign.objects.select_related("store", "template").filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    coupons = IssuedCoupon.objects.filter(
        pk__in=CampaignRecipient.objects.filter(campaign=campaign, coupon_id__isnull=False).values("coupon_id")
    )
    common = {"store_name": campaign.store.name, "coupon_name": campaign.template.name, "campaign_id": campaign.pk}
    items = [
        (
            shopper_id,
            f"coupon:{coupon_id}:targeted",
            {**common, "coupon_id": coupon_id, "valid_to": valid_to.isoformat() if valid_to else ""},
        )
        for coupon_id, shopper_id, valid_to in coupons.order_by("pk").values_list("pk", "shopper_id", "valid_to")
    ]
    return notify_each(items, code="targeted_coupon", store_id=campaign.store_id)


# Staff who act on followers (targeted coupons to the follower segment) hear of new ones.
FOLLOWER_NOTICE_CAPABILITY = Capability.MANAGE_PROMOTIONS


def store_followed_event(store_id: int, follower_id: str) -> int:
    """Told once per store and shopper (following again after unfollowing is not news); not if already unfollowed."""
    store = Store.objects.filter(pk=store_id).first()
    if store is None or not StoreFollow.objects.filter(store=store, shopper_id=follower_id).exists():
        return 0
    params = {"store_name": store.name, "store_id": store.pk, "followers": store.followers.count()}
    return len(
        notify(staff_recipients(store.pk, FOLLOWER_NOTICE_CAPABILITY), code="new_follower", params=params,
               event_key=f"store:{store.pk}:follower:{follower_id}", store_id=store.pk)
    )  # fmt: skip


EVENT_HANDLERS = {
    "suborder": suborder_event,
    "delivered": suborder_event,
    "refund": refund_event,
    "late_shipment": late_shipment_event,
    "review_reply": review_reply_event,
    "targeted_coupons": targeted_coupons_event,
    "store_followed": store_followed_event,
}


def handle_event(source: str, object_id: int, state: str) -> int:
    return EVENT_HANDLERS[source](object_id, state)


# -- the sweep: what no signal announces yet -------------------------------------------------------------------------


def sweep(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    return sweep_refunds(now) + sweep_refund_deadlines(now) + sweep_expiring_coupons(now)


def sweep_refunds(now: datetime.datetime) -> int:
    """Refund requests changed lately, told in their current status (refunds has no signal on main yet; the
    event key makes the sweep and a future signal receiver agree on one notification per status)."""
    recent = RefundRequest.objects.filter(updated_at__gte=now - SWEEP_LOOKBACK, status__in=list(REFUND_NOTICES))
    return sum(refund_event(pk, status) for pk, status in recent.values_list("pk", "status").order_by("pk"))


def sweep_refund_deadlines(now: datetime.datetime) -> int:
    written = 0
    due = RefundRequest.objects.filter(
        status=RefundRequest.Status.PENDING_REVIEW, deadline_at__gt=now, deadline_at__lte=now + REFUND_DEADLINE_WARNING
    ).select_related("suborder__order", "store")
    for refund in due.order_by("pk"):
        params = {
            **_suborder_params(refund.suborder),
            "refund_id": refund.pk,
            "amount": str(refund.amount),
            "deadline": refund.deadline_at.isoformat(),
        }
        written += len(
            notify(
                staff_recipients(refund.store_id, Capability.HANDLE_REFUNDS),
                code="refund_deadline_soon",
                params=params,
                event_key=f"refund:{refund.pk}:deadline:{refund.deadline_at.isoformat()}",
                store_id=refund.store_id,
            )
        )
    return written


def sweep_expiring_coupons(now: datetime.datetime) -> int:
    written = 0
    expiring = IssuedCoupon.objects.filter(
        status__in=IssuedCoupon.USABLE_STATUSES, valid_to__gt=now, valid_to__lte=now + COUPON_EXPIRY_WARNING
    ).select_related("template")
    for coupon in expiring.order_by("pk"):
        written += len(
            notify(
                [coupon.shopper_id],
                code="coupon_expiring",
                params={
                    "coupon_id": coupon.pk,
                    "coupon_name": coupon.template.name,
                    "valid_to": coupon.valid_to.isoformat(),
                },
                event_key=f"coupon:{coupon.pk}:expiring:{coupon.valid_to.isoformat()}",
            )
        )
    return written


# -- reading ------------------------------------------------------------------------------------------------------


def mark_read(user, notification_ids=None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given); returns how many changed."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return queryset.update(read_at=timezone.now())
