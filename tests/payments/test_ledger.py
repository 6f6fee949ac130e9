"""The ledger is append-only and balanced, in the model and in the database; check_ledger reports violations."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, InternalError, connection, transaction

from payments import checks, ledger, ledger_checks
from payments.models import JournalEntry, LedgerImmutableError, Posting

D = Decimal
pytestmark = pytest.mark.django_db


def payment_entry(key="k1", amount="10.00"):
    return ledger.post(
        "payment",
        "test",
        [(ledger.account(ledger.SHOPPER_PAYMENTS), -D(amount)), (ledger.account(ledger.ESCROW), D(amount))],
        idempotency_key=key,
    )


def test_post_is_idempotent_per_key():
    first = payment_entry()
    assert payment_entry() == first
    assert JournalEntry.objects.count() == 1 and Posting.objects.count() == 2
    assert ledger.balance(ledger.ESCROW) == D("10.00")


def test_unbalanced_entries_are_refused_by_the_service():
    with pytest.raises(ledger.UnbalancedEntry):
        ledger.post(
            "payment",
            "x",
            [(ledger.account(ledger.SHOPPER_PAYMENTS), D("-10")), (ledger.account(ledger.ESCROW), D("9"))],
            idempotency_key="u",
        )
    with pytest.raises(ledger.UnbalancedEntry):
        ledger.post("payment", "x", [(ledger.account(ledger.ESCROW), D("9"))], idempotency_key="u")
    assert not JournalEntry.objects.exists()


def test_models_refuse_update_and_delete():
    entry = payment_entry()
    entry.memo = "changed"
    with pytest.raises(LedgerImmutableError):
        entry.save()
    with pytest.raises(LedgerImmutableError):
        entry.delete()
    with pytest.raises(LedgerImmutableError):
        entry.postings.first().delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE payments_posting SET amount = amount + 1",
        "DELETE FROM payments_posting",
        "UPDATE payments_journalentry SET memo = 'x'",
        "DELETE FROM payments_journalentry",
    ],
)
def test_database_refuses_update_and_delete(sql):
    payment_entry()
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert Posting.objects.count() == 2


def test_database_refuses_an_unbalanced_entry_at_commit():
    escrow = ledger.account(ledger.ESCROW)
    with pytest.raises(IntegrityError), transaction.atomic():
        entry = JournalEntry.objects.create(kind="x", memo="raw", idempotency_key="raw")
        Posting.objects.create(entry=entry, account=escrow, amount=D("5.00"))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what COMMIT would do
    assert not JournalEntry.objects.filter(idempotency_key="raw").exists()


def test_check_ledger_lists_problems_and_exits_non_zero(capsys):
    payment_entry()  # a payment posted without any gateway payment behind it
    problems = checks.run_all()
    assert any(p.check == "payments_match_gateway" for p in problems)
    with pytest.raises(CommandError):
        call_command("check_ledger")
    assert "payments_match_gateway" in capsys.readouterr().err


def test_checks_registry_accepts_new_checks(monkeypatch):
    def always_bad():
        return [checks.Problem("custom", "boom")]

    monkeypatch.setattr(ledger_checks, "CHECKS", [*ledger_checks.CHECKS, always_bad])
    assert any(p.check == "custom" for p in checks.run_all())
