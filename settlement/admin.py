"""Raw data in the Django admin, read-only: every change goes through settlement.services (ledger, row locks)."""

from django.contrib import admin

from marketplace.admin import ReadOnlyAdmin
from settlement.models import CommissionRate, Payout, Settlement, SettlementRun


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = ["suborder", "store", "paid_amount", "platform_subsidy", "commission", "store_amount", "created_at"]
    search_fields = ["suborder__number"]


@admin.register(SettlementRun)
class SettlementRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "status", "total", "done", "failed", "amount", "created_at"]


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ["store", "period", "amount", "created_at"]


@admin.register(CommissionRate)
class CommissionRateAdmin(ReadOnlyAdmin):
    list_display = ["vertical", "brand", "rate", "updated_by", "updated_at"]
