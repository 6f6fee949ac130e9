"""Row locks on logistics' tables (the project's lock order: orders/lock_objects.py). A sandbox parcel is locked on
its own, never together with a sub-order (the webhook it then calls locks the sub-order in a new transaction)."""

from __future__ import annotations

from logistics.models import SandboxParcel
from orders.lock_objects import require_transaction


def locked_parcel(parcel_id: int) -> SandboxParcel:
    require_transaction("sandbox parcels")
    return SandboxParcel.objects.select_for_update().get(pk=parcel_id)


def try_lock_parcel(parcel_id: int) -> SandboxParcel | None:
    """The parcel locked, or None when another run holds it (the beat comes back to it)."""
    require_transaction("sandbox parcels")
    return SandboxParcel.objects.select_for_update(skip_locked=True).filter(pk=parcel_id).first()
