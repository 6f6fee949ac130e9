"""Database-level ledger invariants, so no code path (raw SQL, admin, a bug) can break them:

- journal entries and postings are append-only: UPDATE and DELETE raise (TRUNCATE, used only by test teardown,
  is a statement-level operation these row triggers do not see);
- every journal entry balances: a deferred constraint trigger checks, at commit, that the postings of each entry
  touched in the transaction sum to zero and that an entry has at least two postings.
"""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER journal_entry_append_only BEFORE UPDATE OR DELETE ON payments_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER posting_append_only BEFORE UPDATE OR DELETE ON payments_posting
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE OR REPLACE FUNCTION ledger_check_entry_balances() RETURNS trigger AS $$
DECLARE
    total numeric;
    lines integer;
BEGIN
    SELECT COALESCE(SUM(amount), 0), COUNT(*) INTO total, lines
        FROM payments_posting WHERE entry_id = NEW.entry_id;
    IF total <> 0 OR lines < 2 THEN
        RAISE EXCEPTION 'journal entry % does not balance (sum %, % postings)', NEW.entry_id, total, lines
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER posting_entry_balances AFTER INSERT ON payments_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balances();

CREATE OR REPLACE FUNCTION ledger_check_entry_has_postings() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM payments_posting WHERE entry_id = NEW.id) THEN
        RAISE EXCEPTION 'journal entry % has no postings', NEW.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER journal_entry_has_postings AFTER INSERT ON payments_journalentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_has_postings();
"""

REVERSE = """
DROP TRIGGER IF EXISTS journal_entry_has_postings ON payments_journalentry;
DROP TRIGGER IF EXISTS posting_entry_balances ON payments_posting;
DROP TRIGGER IF EXISTS posting_append_only ON payments_posting;
DROP TRIGGER IF EXISTS journal_entry_append_only ON payments_journalentry;
DROP FUNCTION IF EXISTS ledger_check_entry_has_postings();
DROP FUNCTION IF EXISTS ledger_check_entry_balances();
DROP FUNCTION IF EXISTS ledger_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
