import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
import marketplace.money
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


MODELS = ["commissionrate", "payout", "settlement", "settlementrun"]


def _relabel(apps, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    taken = set(content_type.objects.filter(app_label=new, model__in=MODELS).values_list("model", flat=True))
    content_type.objects.filter(app_label=old, model__in=set(MODELS) - taken).update(app_label=new)


def move_content_types(apps, schema_editor):
    _relabel(apps, "payments", "settlement")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "settlement", "payments")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('orders', '0001_initial'),
        ('payments', '0004_settlement_models_move_to_settlement_app'),
        ('shops', '0003_listing_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The models move here from payments; their tables (payments_*) already exist, so only Django's state changes.
    # Their content types follow them, keeping admin permissions and log entries attached.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SettlementRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=20)),
                        ('total', models.PositiveIntegerField(default=0)),
                        ('done', models.PositiveIntegerField(default=0)),
                        ('skipped', models.PositiveIntegerField(default=0)),
                        ('failed', models.PositiveIntegerField(default=0)),
                        ('amount', marketplace.money.MoneyField(decimal_places=2, default=0, max_digits=12)),
                        ('error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('started_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'payments_settlementrun',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='CommissionRate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('brand', models.CharField(blank=True, choices=[('', 'Any brand'), ('TAOBAO', 'Taobao'), ('TMALL', 'Tmall')], max_length=10, verbose_name='brand')),
                        ('rate', models.DecimalField(decimal_places=4, help_text='A fraction: 0.0500 is 5%.', max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('0.5'))], verbose_name='rate')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('vertical', models.ForeignKey(blank=True, limit_choices_to={'parent__isnull': True}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='shops.category', verbose_name='vertical')),
                    ],
                    options={
                        'db_table': 'payments_commissionrate',
                        'ordering': ['vertical_id', 'brand'],
                        'constraints': [models.UniqueConstraint(fields=('vertical', 'brand'), name='one_commission_rate_per_scope', nulls_distinct=False), models.CheckConstraint(condition=models.Q(('rate__gte', 0), ('rate__lte', Decimal('0.5'))), name='commission_rate_range')],
                    },
                ),
                migrations.CreateModel(
                    name='Payout',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period', models.CharField(max_length=20)),
                        ('amount', marketplace.money.MoneyField(decimal_places=2, max_digits=12)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('entry', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='payout', to='payments.journalentry')),
                        ('store', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payouts', to='shops.store')),
                    ],
                    options={
                        'db_table': 'payments_payout',
                        'ordering': ['-created_at', '-id'],
                        'constraints': [models.UniqueConstraint(fields=('store', 'period'), name='one_payout_per_store_period'), models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='payout_amount_positive')],
                    },
                ),
                migrations.CreateModel(
                    name='Settlement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('paid_amount', marketplace.money.MoneyField(decimal_places=2, max_digits=12)),
                        ('platform_subsidy', marketplace.money.MoneyField(decimal_places=2, default=0, max_digits=12)),
                        ('commission', marketplace.money.MoneyField(decimal_places=2, default=0, max_digits=12)),
                        ('adjustments', models.JSONField(blank=True, default=list)),
                        ('adjustments_total', marketplace.money.MoneyField(decimal_places=2, default=0, max_digits=12)),
                        ('store_amount', marketplace.money.MoneyField(decimal_places=2, max_digits=12)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('entry', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='settlement', to='payments.journalentry')),
                        ('store', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='settlements', to='shops.store')),
                        ('suborder', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='settlement', to='orders.suborder')),
                        ('run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='settlements', to='settlement.settlementrun')),
                    ],
                    options={
                        'db_table': 'payments_settlement',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['store', 'created_at'], name='payments_se_store_i_a14540_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('store_amount', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('paid_amount'), '+', models.F('platform_subsidy')), '-', models.F('commission')), '-', models.F('adjustments_total')))), name='settlement_adds_up')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=True),
    ]
