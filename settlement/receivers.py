"""Settlement listens to orders: a sub-order that becomes received is settled by a worker right after the commit
(the ``settlement-settle-received`` beat sweep is the safety net)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import receiver

from orders.models import SubOrder
from orders.signals import suborder_state_changed
from settlement.tasks import settle_suborder

log = logging.getLogger(__name__)


@receiver(suborder_state_changed, sender=SubOrder, dispatch_uid="settlement.settle_when_received")
def settle_when_received(sender, suborder, to_state, **kwargs):
    if to_state != SubOrder.State.RECEIVED:
        return
    suborder_id = suborder.pk

    def send():
        try:
            settle_suborder.delay(suborder_id)
        except Exception:
            log.exception("could not enqueue settlement of %s", suborder_id)

    transaction.on_commit(send)
