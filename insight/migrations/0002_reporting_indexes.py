"""Indexes the analytics and forecast queries need on other apps' tables (paid sub-orders of a store by date,
refunds of a store by date). Kept here so the owning apps' migrations stay theirs; IF NOT EXISTS so the owner can
later adopt them under the same names."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("insight", "0001_initial"), ("orders", "0001_initial"), ("refunds", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS insight_suborder_store_paid ON orders_suborder (store_id, paid_at) "
            "WHERE paid_at IS NOT NULL",
            "DROP INDEX IF EXISTS insight_suborder_store_paid",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS insight_refund_store_refunded ON refunds_refundrequest (store_id, refunded_at) "
            "WHERE status = 'refunded'",
            "DROP INDEX IF EXISTS insight_refund_store_refunded",
        ),
    ]
