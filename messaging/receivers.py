"""Messaging listens to the lower apps' signals and turns them into notifications, written by a worker.

Each row of RECEIVERS is (signal, source, how to read the event). Receivers only enqueue, on commit;
``messaging.services.notifications.EVENT_HANDLERS[source]`` decides who is told what. To wire a new signal (refunds,
reviews, logistics, customers), add a row here and a handler there.
"""

from __future__ import annotations

from django.db import transaction

from messaging.services.notifications import SUBORDER_NOTICES
from orders.signals import suborder_state_changed


def enqueue(source: str, object_id: int, state: str) -> None:
    from messaging.tasks import deliver_event

    transaction.on_commit(lambda: deliver_event.delay(source, object_id, state))


def _suborder(sender, suborder, to_state, **kwargs):
    return (suborder.pk, to_state) if to_state in SUBORDER_NOTICES else None


RECEIVERS = [
    (suborder_state_changed, "suborder", _suborder),
]


def _connect(signal, source, read):
    def receiver(sender, **kwargs):
        event = read(sender, **kwargs)
        if event is not None:
            enqueue(source, *event)

    signal.connect(receiver, weak=False, dispatch_uid=f"messaging.{source}")


for _signal, _source, _read in RECEIVERS:
    _connect(_signal, _source, _read)
