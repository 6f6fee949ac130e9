"""Raw data for operators: payments and the ledger, read-only (the ledger is append-only anyway)."""

from django.contrib import admin

from marketplace.admin import ReadOnlyAdmin
from payments.models import Account, CallbackDelivery, GatewayRefund, JournalEntry, Payment, PaymentCallback, Posting


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "order", "amount", "status", "created_at", "completed_at")
    list_filter = ("status", "gateway")
    search_fields = ("reference", "order__number")


@admin.register(PaymentCallback)
class PaymentCallbackAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "payment", "accepted", "outcome")
    list_filter = ("accepted",)


admin.site.register(CallbackDelivery, ReadOnlyAdmin)
admin.site.register(GatewayRefund, ReadOnlyAdmin)
admin.site.register(Account, ReadOnlyAdmin)


class PostingInline(admin.TabularInline):
    model = Posting
    fields = ("account", "amount")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "memo", "reference", "created_at")
    list_filter = ("kind",)
    search_fields = ("memo", "reference", "idempotency_key")
    inlines = [PostingInline]
