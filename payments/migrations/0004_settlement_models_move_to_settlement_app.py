from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0003_settlementrun_commissionrate_payout_settlement'),
    ]

    # CommissionRate, Settlement, SettlementRun and Payout now belong to the settlement app (its 0001 takes them
    # over with the same tables): forget them here without touching the database.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='payout',
                    name='entry',
                ),
                migrations.RemoveField(
                    model_name='payout',
                    name='store',
                ),
                migrations.RemoveField(
                    model_name='settlement',
                    name='entry',
                ),
                migrations.RemoveField(
                    model_name='settlement',
                    name='run',
                ),
                migrations.RemoveField(
                    model_name='settlement',
                    name='store',
                ),
                migrations.RemoveField(
                    model_name='settlement',
                    name='suborder',
                ),
                migrations.RemoveField(
                    model_name='settlementrun',
                    name='started_by',
                ),
                migrations.DeleteModel(
                    name='CommissionRate',
                ),
                migrations.DeleteModel(
                    name='Payout',
                ),
                migrations.DeleteModel(
                    name='Settlement',
                ),
                migrations.DeleteModel(
                    name='SettlementRun',
                ),
            ],
            database_operations=[],
        ),
    ]
