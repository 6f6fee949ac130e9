"""Row locks on settlement's side of the ledger. In the project's lock order (orders.lock_objects) a store's payable
account comes after the sub-orders: settling locks the sub-order first, a payout locks only the account."""

from __future__ import annotations

from payments import ledger
from payments.models import Account


def locked_store_payable(store_id: int) -> Account:
    return Account.objects.select_for_update().get(pk=ledger.store_payable(store_id).pk)
