"""Posting to the double-entry ledger. ``post`` is the one write path; accounts are created on first use.

Sign convention (see payments.models.ledger): positive = into the account, negative = out of it; every entry's
postings sum to zero (checked here, and again by the database at commit).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction

from marketplace.money import to_money
from payments.models import Account, JournalEntry, Posting

Kind = Account.Kind

SHOPPER_PAYMENTS = "shopper_payments"
ESCROW = "escrow"
COMMISSION_REVENUE = "commission_revenue"
PROMOTION_EXPENSE = "promotion_expense"
PAYOUTS = "payouts"

PLATFORM_ACCOUNTS = {
    SHOPPER_PAYMENTS: (Kind.SHOPPER_PAYMENTS, "Shopper payments (external)"),
    ESCROW: (Kind.ESCROW, "Platform escrow"),
    COMMISSION_REVENUE: (Kind.COMMISSION_REVENUE, "Platform commission revenue"),
    PROMOTION_EXPENSE: (Kind.PROMOTION_EXPENSE, "Platform promotion expense"),
    PAYOUTS: (Kind.PAYOUTS, "Payouts (external)"),
}


class UnbalancedEntry(ValueError):
    pass


def account(code: str) -> Account:
    """A platform account by code (shopper_payments, escrow, commission_revenue, promotion_expense, payouts)."""
    kind, name = PLATFORM_ACCOUNTS[code]
    return Account.objects.get_or_create(code=code, defaults={"kind": kind, "name": name})[0]


def store_payable(store) -> Account:
    store_id = getattr(store, "pk", store)
    return Account.objects.get_or_create(
        code=f"store_payable:{store_id}",
        defaults={"kind": Kind.STORE_PAYABLE, "name": f"Store payable #{store_id}", "store_id": store_id},
    )[0]


def creator_payable(user) -> Account:
    user_id = getattr(user, "pk", user)
    return Account.objects.get_or_create(
        code=f"creator_payable:{user_id}",
        defaults={"kind": Kind.CREATOR_PAYABLE, "name": f"Creator payable #{user_id}", "user_id": user_id},
    )[0]


def balance(acct: Account | str) -> Decimal:
    if isinstance(acct, str):
        acct = account(acct)
    from django.db.models import Sum

    return acct.postings.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def post(
    kind: str,
    memo: str,
    postings: Iterable[tuple[Account, Decimal]],
    *,
    idempotency_key: str,
    reference: str = "",
) -> JournalEntry:
    """Write one balanced journal entry. A second call with the same ``idempotency_key`` returns the first entry
    and writes nothing (so a retried task never posts twice)."""
    lines = [(acct, to_money(amount)) for acct, amount in postings if to_money(amount) != 0]
    if len(lines) < 2:
        raise UnbalancedEntry("a journal entry needs at least two non-zero postings")
    total = sum((amount for _acct, amount in lines), Decimal("0.00"))
    if total != 0:
        raise UnbalancedEntry(f"postings of {kind!r} sum to {total}, not 0")
    existing = JournalEntry.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            entry = JournalEntry.objects.create(
                kind=kind, memo=memo[:300], idempotency_key=idempotency_key, reference=reference[:120]
            )
            Posting.objects.bulk_create(Posting(entry=entry, account=acct, amount=amount) for acct, amount in lines)
    except IntegrityError:
        existing = JournalEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing
    return entry
