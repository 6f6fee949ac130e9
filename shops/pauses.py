"""Deadlines that stop while a store is closed or the platform pauses logistics (pure: dates in, datetime out).

A paused day moves a running deadline by one whole day: a closure of N days that begins before the deadline is
reached pushes it N days later (the days already over when the clock started do not count). Whole days, because
closures and holiday windows are declared in days, and "N days later" is what merchants and shoppers are told.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

ONE_DAY = datetime.timedelta(days=1)


def days_between(starts_on: datetime.date, ends_on: datetime.date) -> list[datetime.date]:
    return [starts_on + datetime.timedelta(days=n) for n in range((ends_on - starts_on).days + 1)]


def extend_deadline(
    started_at: datetime.datetime, deadline: datetime.datetime, paused_days: Iterable[datetime.date], tz
) -> datetime.datetime:
    """The deadline once every paused day from the clock's start onwards is skipped.

    ``started_at`` is when the clock started, ``deadline`` when it would run out without pauses, ``tz`` the zone the
    days are in. A day counts when it is not before the start's date and begins before the (moving) deadline."""
    start_day = started_at.astimezone(tz).date()
    for day in sorted(set(paused_days)):
        if day < start_day:
            continue
        if datetime.datetime.combine(day, datetime.time.min, tzinfo=tz) >= deadline:
            break
        deadline += ONE_DAY
    return deadline
