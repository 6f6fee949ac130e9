"""Row locks on refunds' tables. Where they sit in the project's lock order is written down in
orders.lock_objects: a refund request is locked after its sub-order (and the sub-order's order lines), before
ledger accounts and coupons; refund lines after those, before stock draws and stock levels. Each kind in pk order.
"""

from __future__ import annotations

from collections.abc import Iterable

from orders.lock_objects import require_transaction
from refunds.models import RefundLine, RefundPolicyVersion, RefundRequest


def locked_request(request_id: int, *, with_related: bool = False) -> RefundRequest:
    """One refund request, locked (its sub-order is locked first by the caller). ``with_related`` loads the
    sub-order and the policy version with it (not locked: the sub-order already is, versions are never edited)."""
    require_transaction("refund requests")
    rows = RefundRequest.objects.select_for_update(of=("self",))
    if with_related:
        rows = rows.select_related("suborder", "policy_version")
    return rows.get(pk=request_id)


def locked_requests(request_ids: Iterable[int]) -> list[RefundRequest]:
    require_transaction("refund requests")
    return list(RefundRequest.objects.select_for_update().filter(pk__in=list(request_ids)).order_by("pk"))


def locked_lines_to_restock(requests: Iterable[RefundRequest]) -> list[RefundLine]:
    """The refund lines of ``requests`` whose units are not back on the shelf yet, locked (order lines and
    sub-orders joined, not locked)."""
    require_transaction("refund lines")
    return list(
        RefundLine.objects.select_for_update(of=("self",))
        .filter(request__in=list(requests), restocked=False)
        .select_related("order_line__suborder")
        .order_by("pk")
    )


def locked_policy_version(version_id: int) -> RefundPolicyVersion | None:
    """A refund policy version, locked while it is published (no other lock is held with it)."""
    require_transaction("refund policy versions")
    return RefundPolicyVersion.objects.select_for_update().filter(pk=version_id).first()
