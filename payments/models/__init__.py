"""Payments models: the gateway side (payments, callbacks, refunds) and the double-entry ledger.

Other modules (e.g. settlement) add their own file here and a re-export line below.
"""

from payments.models.gateway import CallbackDelivery, GatewayRefund, Payment, PaymentCallback
from payments.models.ledger import Account, JournalEntry, LedgerImmutableError, Posting
from payments.models.settlement import CommissionRate, Payout, Settlement, SettlementRun  # noqa: F401 (settlement)

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
