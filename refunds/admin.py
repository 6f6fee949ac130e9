"""Raw data in the Django admin, read-only: every change goes through refunds.services (audited, locked)."""

from django.contrib import admin

from marketplace.admin import ReadOnlyAdmin
from payments.models import CommissionRate, Payout, Settlement, SettlementRun
from refunds.models import PolicyAuditEntry, RefundLine, RefundPolicyVersion, RefundRequest


class RefundLineInline(admin.TabularInline):
    model = RefundLine
    extra = 0
    can_delete = False
    readonly_fields = ["order_line", "quantity", "amount", "restocked"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RefundRequest)
class RefundRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "suborder", "store", "shopper", "kind", "amount", "status", "instant", "created_at"]
    list_filter = ["status", "kind", "instant"]
    search_fields = ["suborder__number", "shopper__username"]
    inlines = [RefundLineInline]


@admin.register(RefundPolicyVersion)
class RefundPolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ["number", "status", "author", "created_at", "published_at", "note"]


@admin.register(PolicyAuditEntry)
class PolicyAuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "version", "actor"]


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
