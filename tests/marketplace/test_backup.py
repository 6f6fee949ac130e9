"""`make backup` / `make restore`: a dump of the database restores into a fresh database whose ledger checks pass."""

import io
import subprocess
import sys
from decimal import Decimal

import psycopg2
import pytest
from django.core.management import call_command
from psycopg2 import sql

from marketplace import backup
from payments import ledger
from payments.models import JournalEntry, Posting
from tests.conftest import BASE_DIR, RUN_ID, worker_environment
from tests.conftest import test_database_url as run_database_url


def post_payment(key: str, amount: str) -> None:
    ledger.post(
        "payment",
        "backup test",
        [(ledger.account(ledger.SHOPPER_PAYMENTS), -Decimal(amount)), (ledger.account(ledger.ESCROW), Decimal(amount))],
        idempotency_key=key,
    )


def count_rows(database_url: str, table: str) -> int:
    connection = psycopg2.connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            return cursor.fetchone()[0]
    finally:
        connection.close()


@pytest.fixture
def fresh_database_url():
    url = backup.with_database(run_database_url(), f"restore_{RUN_ID}")
    yield url
    connection = psycopg2.connect(backup.with_database(url, "postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(f"restore_{RUN_ID}")))
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_and_the_ledger_checks_pass(tmp_path, fresh_database_url):
    # The demo's money: paid, shipped, refunded and settled orders, so every ledger check has rows to look at.
    call_command("seed_demo", stdout=io.StringIO())
    entries = JournalEntry.objects.count()
    assert entries > 5
    dump = backup.backup(run_database_url(), tmp_path)
    assert dump.suffix == ".dump" and dump.stat().st_size > 0
    assert not list(tmp_path.glob("*.partial"))

    backup.restore(dump, fresh_database_url, create=True)
    assert count_rows(fresh_database_url, "payments_journalentry") == entries
    assert count_rows(fresh_database_url, "payments_posting") == Posting.objects.count()

    env = {**worker_environment(), "DATABASE_URL": fresh_database_url}
    checked = subprocess.run(
        [sys.executable, "manage.py", "check_ledger"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stderr
    assert "ledger OK" in checked.stdout


@pytest.mark.django_db(transaction=True)
def test_the_command_line_writes_and_restores_a_dump(tmp_path, fresh_database_url):
    post_payment("backup-cli", "5.00")
    env = {**worker_environment(), "DATABASE_URL": run_database_url()}
    out = tmp_path / "site.dump"
    written = subprocess.run(
        [sys.executable, "-m", "marketplace.backup", "backup", "--output", str(out)],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert out.exists()
    restored = subprocess.run(
        [sys.executable, "-m", "marketplace.backup", "restore", str(out), "--database-url", fresh_database_url,
         "--create"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert restored.returncode == 0, restored.stderr
    assert count_rows(fresh_database_url, "payments_journalentry") == 1


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(backup.BackupError, match="no such dump"):
        backup.restore(tmp_path / "missing.dump", "postgres://nowhere/db")
