"""运费险 (return-shipping insurance): the platform refunds the shopper's return postage, up to the catalogue's cap,
once the merchant has the goods back. Platform-funded (promotion expense -> shopper credits), exactly once."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from logistics import returns
from logistics.services.late import SHOPPER_CREDITS, shopper_credits_account
from payments import ledger
from payments.checks import Problem
from refunds.models import RefundRequest, ReturnInsurancePayout

ZERO = Decimal("0.00")


def ledger_key(request_id: int) -> str:
    return f"return_insurance:{request_id}"


def pay(request: RefundRequest) -> ReturnInsurancePayout | None:
    """Called with the request locked when the returned goods are in the merchant's hands."""
    if not request.return_insured or request.return_postage <= 0:
        return None
    existing = ReturnInsurancePayout.objects.filter(request=request).first()
    if existing is not None:
        return existing
    amount = min(request.return_postage, returns.insurance_cap())
    if amount <= 0:
        return None
    payout = ReturnInsurancePayout.objects.create(
        request=request, store_id=request.store_id, amount=amount, ledger_key=ledger_key(request.pk)
    )
    ledger.post(
        "return_shipping_insurance",
        f"Return-shipping insurance for refund {request.pk}",
        [(ledger.account(ledger.PROMOTION_EXPENSE), -amount), (shopper_credits_account(), amount)],
        idempotency_key=payout.ledger_key,
        reference=f"refund:{request.pk}",
    )
    return payout


def shopper_credits_match() -> list[Problem]:
    """Shopper credits = late-shipment compensations + return postage paid by 运费险; every payout is posted."""
    from logistics.models import LateShipment
    from payments.models import JournalEntry, Posting

    problems = []
    keys = set(JournalEntry.objects.filter(kind="return_shipping_insurance").values_list("idempotency_key", flat=True))
    expected = set(ReturnInsurancePayout.objects.values_list("ledger_key", flat=True))
    problems += [Problem("shopper_credits_match", f"运费险 payout {key} was never posted") for key in expected - keys]
    problems += [Problem("shopper_credits_match", f"entry {key} has no 运费险 payout") for key in keys - expected]
    credits = Posting.objects.filter(account__code=SHOPPER_CREDITS).aggregate(t=Sum("amount"))["t"] or ZERO
    compensations = LateShipment.objects.aggregate(t=Sum("compensation"))["t"] or ZERO
    insurance = ReturnInsurancePayout.objects.aggregate(t=Sum("amount"))["t"] or ZERO
    if credits != compensations + insurance:
        problems.append(
            Problem(
                "shopper_credits_match",
                f"shopper credits hold {credits}; compensations {compensations} + "
                f"return postage {insurance} = {compensations + insurance}",
            )  # fmt: skip
        )
    return problems
