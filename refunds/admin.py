"""Raw data in the Django admin, read-only: every change goes through refunds.services (audited, locked)."""

from django.contrib import admin

from marketplace.admin import ReadOnlyAdmin
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
