"""Timeline events and the one guarded way to change ``SubOrder.state`` (``transition``); the table is
orders.models.TRANSITIONS. Callers hold the sub-order's row lock (orders.lock_objects).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from orders import signals
from orders.events import Why
from orders.models import SubOrder, SubOrderEvent

State = SubOrder.State

TIMESTAMP_OF = {
    State.AWAITING_SHIPMENT: "paid_at",
    State.SHIPPED: "shipped_at",
    State.RECEIVED: "received_at",
    State.COMPLETED: "completed_at",
    State.CLOSED: "closed_at",
}


@dataclass(frozen=True)
class Event:
    """``reason`` is an orders.events.Why (a code with parameters, rendered when read); plain text is kept only for
    words a person typed that have no code."""

    suborder: SubOrder
    kind: str
    actor: object = None
    reason: Why | str = ""
    data: dict | None = None

    def row(self, **states) -> SubOrderEvent:
        actor = self.actor if getattr(self.actor, "is_authenticated", False) else None
        if isinstance(self.reason, Why):
            reason = {"reason_code": self.reason.code, "reason_params": self.reason.to_params()}
        else:
            reason = {"reason": str(self.reason)[:300]}
        return SubOrderEvent(suborder=self.suborder, kind=self.kind, actor=actor, data=self.data or {}, **reason,
                             **states)  # fmt: skip


def record_event(
    suborder: SubOrder, kind: str, actor, reason: Why | str = "", data: dict | None = None
) -> SubOrderEvent:
    """Add a fact to the sub-order's timeline (who, when, why, data). Transitions call it themselves."""
    return record_events([Event(suborder, kind, actor, reason, data)])[0]


def record_events(events: list[Event], **states) -> list[SubOrderEvent]:
    """Many timeline facts in one statement (a batch of refunds); ``states`` (from_state, to_state) on each."""
    return SubOrderEvent.objects.bulk_create(event.row(**states) for event in events)


def transition(
    suborder: SubOrder, to_state: str, *, actor=None, reason: str = "", kind: str | None = None, data=None
) -> SubOrder:
    """Move ``suborder`` (row-locked by the caller) to ``to_state`` if the state machine allows it."""
    from_state = suborder.state
    check_transition(suborder, to_state)
    suborder.state = to_state
    fields = ["state"]
    if to_state in TIMESTAMP_OF:
        setattr(suborder, TIMESTAMP_OF[to_state], timezone.now())
        fields.append(TIMESTAMP_OF[to_state])
    suborder.save(update_fields=fields)
    record_events([Event(suborder, kind or to_state, actor, reason, data)], from_state=from_state, to_state=to_state)
    announce_state_change(suborder, from_state, to_state, actor)
    return suborder


def check_transition(suborder: SubOrder, to_state: str) -> None:
    """The guard of every state change (``transition`` and the bulk ``close_suborders``)."""
    if not suborder.can_become(to_state):
        raise DomainError(
            _("This sub-order is %(state)s and cannot become %(target)s.")
            % {"state": State(suborder.state).label, "target": State(to_state).label},
            code="invalid_transition",
            status_code=409,
        )


def announce_state_change(suborder: SubOrder, from_state: str, to_state: str, actor) -> None:
    signals.suborder_state_changed.send(
        sender=SubOrder, suborder=suborder, from_state=from_state, to_state=to_state, actor=actor
    )
