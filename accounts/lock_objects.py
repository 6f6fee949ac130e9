"""Row locks on accounts' tables. A shopper's address book is locked while its default moves (one default per
user is also a database constraint); no other lock is held with it. The user rows that serialise a shopper's
purchases are locked by orders (orders.lock_objects, where the project's lock order is written down)."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Address


def locked_addresses_of(user) -> QuerySet[Address]:
    """The user's addresses, locked when the query runs."""
    return Address.objects.select_for_update().filter(user=user)
