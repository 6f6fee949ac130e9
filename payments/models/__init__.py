"""Payments models: the gateway side (payments, callbacks, refunds) and the double-entry ledger.

Settlement (commission rates, settlements, runs, payouts) is the settlement app's.
"""

from payments.models.gateway import CallbackDelivery, GatewayRefund, Payment, PaymentCallback
from payments.models.ledger import Account, JournalEntry, LedgerImmutableError, Posting

__all__ = [
    "Account",
    "CallbackDelivery",
    "GatewayRefund",
    "JournalEntry",
    "LedgerImmutableError",
    "Payment",
    "PaymentCallback",
    "Posting",
]
