"""Posting to the double-entry ledger. ``post`` is the one write path; accounts are created on first use.

Sign convention (see payments.models.ledger): positive = into the account, negative = out of it; every entry's
postings sum to zero (checked here, and again by the database at commit).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class EntrySpec:
    kind: str
    memo: str
    postings: tuple[tuple[Account, Decimal], ...]
    idempotency_key: str
    reference: str = ""


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
    spec = EntrySpec(kind, memo, tuple(postings), idempotency_key, reference)
    return post_many([spec])[idempotency_key]


def post_many(specs: list[EntrySpec]) -> dict[str, JournalEntry]:
    """Write many balanced entries in three statements (a batch of refunds); keys already posted are returned
    as they are and written again never. Returns idempotency key -> entry."""
    checked = {spec.idempotency_key: (spec, _balanced_lines(spec)) for spec in specs}
    if len(checked) != len(specs):
        raise UnbalancedEntry("the same idempotency key twice in one batch")
    found = {entry.idempotency_key: entry for entry in JournalEntry.objects.filter(idempotency_key__in=list(checked))}
    new = [key for key in checked if key not in found]
    if not new:
        return found
    try:
        with transaction.atomic():
            entries = JournalEntry.objects.bulk_create(
                JournalEntry(kind=checked[key][0].kind, memo=checked[key][0].memo[:300], idempotency_key=key,
                             reference=checked[key][0].reference[:120])
                for key in new
            )  # fmt: skip
            Posting.objects.bulk_create(
                Posting(entry=entry, account=acct, amount=amount)
                for entry in entries
                for acct, amount in checked[entry.idempotency_key][1]
            )
    except IntegrityError:
        # A concurrent writer posted some of these keys first: theirs stand; write the rest one by one.
        if len(new) == 1:
            return found | {
                entry.idempotency_key: entry for entry in JournalEntry.objects.filter(idempotency_key__in=new)
            }
        return found | {key: post_many([checked[key][0]])[key] for key in new}
    return found | {entry.idempotency_key: entry for entry in entries}


def _balanced_lines(spec: EntrySpec) -> list[tuple[Account, Decimal]]:
    lines = [(acct, to_money(amount)) for acct, amount in spec.postings if to_money(amount) != 0]
    if len(lines) < 2:
        raise UnbalancedEntry("a journal entry needs at least two non-zero postings")
    total = sum((amount for _acct, amount in lines), Decimal("0.00"))
    if total != 0:
        raise UnbalancedEntry(f"postings of {spec.kind!r} sum to {total}, not 0")
    return lines
