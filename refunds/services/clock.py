"""Review deadlines that stand still while the store is on holiday closure (or the platform pauses logistics).

A stage's clock keeps when it started and when it would run out without pauses; ``deadline_at`` is that deadline
with every paused day from the start onwards skipped (shops.pauses). It is recomputed whenever the store's closures
or the platform's holiday windows change, and again by the time-out beat before a request is decided, so a
closure of N days makes the time-out come N days later. Instant refunds have no clock: they need no merchant.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from refunds.models import RefundRequest
from shops import selectors as shop_selectors
from shops.pauses import extend_deadline

CLOCK_FIELDS = ["clock_started_at", "deadline_base_at", "deadline_at"]


def start(request: RefundRequest, deadline: datetime.datetime, now: datetime.datetime) -> list[str]:
    """Start the stage's clock: it would run out at ``deadline``. Returns the fields to save."""
    request.clock_started_at = now
    request.deadline_base_at = deadline
    request.deadline_at = effective_deadline(request)
    return CLOCK_FIELDS


def stop(request: RefundRequest) -> list[str]:
    request.clock_started_at = request.deadline_base_at = request.deadline_at = None
    return CLOCK_FIELDS


def effective_deadline(request: RefundRequest) -> datetime.datetime | None:
    if request.deadline_base_at is None or request.clock_started_at is None:
        return request.deadline_at
    tz = timezone.get_current_timezone()
    since = request.clock_started_at.astimezone(tz).date()
    days = shop_selectors.paused_days(request.store_id, since)
    return extend_deadline(request.clock_started_at, request.deadline_base_at, days, tz)


def refresh(request: RefundRequest) -> bool:
    """Recompute a (locked or freshly read) request's deadline; True when it moved (and was saved)."""
    deadline = effective_deadline(request)
    if deadline == request.deadline_at:
        return False
    RefundRequest.objects.filter(pk=request.pk).update(deadline_at=deadline)
    request.deadline_at = deadline
    return True


def refresh_store(store_id: int | None) -> int:
    """A store's closures (or, with None, the platform's holidays) changed: recompute the running clocks."""
    from refunds.services.review import TIMED_STATUSES

    running = RefundRequest.objects.filter(status__in=TIMED_STATUSES, deadline_base_at__isnull=False)
    if store_id is not None:
        running = running.filter(store_id=store_id)
    return sum(refresh(request) for request in running.order_by("pk"))
