"""Messaging listens to the lower apps' signals and turns them into notifications, written by a worker.

Each row of RECEIVERS is (signal, source, how to read the event). Receivers only enqueue, on commit;
``messaging.services.notifications.EVENT_HANDLERS[source]`` decides who is told what. To wire a new signal (refunds,
reviews, logistics, customers), add a row here and a handler there.
"""

from __future__ import annotations

from django.db import transaction

from customers.signals import store_followed, targeted_coupon_issued
from logistics.signals import late_shipment_compensated, parcel_delivered
from messaging.services.notifications import DELIVERED, SUBORDER_NOTICES
from orders.signals import suborder_state_changed
from reviews.signals import review_replied


def enqueue(source: str, object_id: int, state: str) -> None:
    from messaging.tasks import deliver_event

    transaction.on_commit(lambda: deliver_event.delay(source, object_id, state))


def _suborder(sender, suborder, to_state, **kwargs):
    return (suborder.pk, to_state) if to_state in SUBORDER_NOTICES else None


def _delivered(sender, suborder, **kwargs):
    return suborder.pk, DELIVERED


def _late_shipment(sender, late_shipment, **kwargs):
    return late_shipment.pk, "compensated"


def _review_replied(sender, review, **kwargs):
    return review.pk, "replied"


def _targeted_coupons(sender, campaign, **kwargs):
    return campaign.pk, "sent"  # the worker reads the campaign's recipients: one task per send, however large


def _store_followed(sender, store, shopper, **kwargs):
    return store.pk, str(shopper.pk)  # the event's "state" names the follower


RECEIVERS = [
    (suborder_state_changed, "suborder", _suborder),
    (parcel_delivered, "delivered", _delivered),
    (late_shipment_compensated, "late_shipment", _late_shipment),
    (review_replied, "review_reply", _review_replied),
    (targeted_coupon_issued, "targeted_coupons", _targeted_coupons),
    (store_followed, "store_followed", _store_followed),
]


def _connect(signal, source, read):
    def receiver(sender, **kwargs):
        event = read(sender, **kwargs)
        if event is not None:
            enqueue(source, *event)

    signal.connect(receiver, weak=False, dispatch_uid=f"messaging.{source}")


for _signal, _source, _read in RECEIVERS:
    _connect(_signal, _source, _read)
