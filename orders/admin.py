"""Raw data for operators. Orders change only through orders.services, so the admin is read-only."""

from django.contrib import admin

from marketplace.admin import ReadOnlyAdmin
from orders.models import Cart, CartItem, Order, OrderLine, OrderLineDiscount, StockDraw, SubOrder, SubOrderEvent


class SubOrderInline(admin.TabularInline):
    model = SubOrder
    fields = ("number", "store", "state", "fulfilment", "payable", "tracking_number")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "shopper", "status", "payable", "created_at", "paid_at")
    list_filter = ("status",)
    search_fields = ("number", "shopper__username")
    inlines = [SubOrderInline]


class EventInline(admin.TabularInline):
    model = SubOrderEvent
    fields = ("at", "kind", "from_state", "to_state", "actor", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(SubOrder)
class SubOrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "store", "state", "fulfilment", "payable", "refund_open", "created_at")
    list_filter = ("state", "fulfilment", "store__brand")
    search_fields = ("number", "order__number", "store__name")
    inlines = [EventInline]


@admin.register(OrderLine)
class OrderLineAdmin(ReadOnlyAdmin):
    list_display = ("suborder", "title", "quantity", "unit_price", "payable", "source")
    search_fields = ("title", "suborder__number", "source")


admin.site.register(OrderLineDiscount, ReadOnlyAdmin)
admin.site.register(StockDraw, ReadOnlyAdmin)


class CartItemInline(admin.TabularInline):
    model = CartItem
    extra = 0


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ("pk", "shopper", "session_key", "updated_at")
    inlines = [CartItemInline]
