from django.contrib import admin

from logistics.models import CarrierCallback, LateShipment, SandboxParcel, ShipByClock, TrackingEvent


@admin.register(LateShipment)
class LateShipmentAdmin(admin.ModelAdmin):
    list_display = ("suborder", "store", "ship_by", "compensation", "detected_at")
    list_filter = ("store",)
    readonly_fields = [field.name for field in LateShipment._meta.fields]


@admin.register(TrackingEvent)
class TrackingEventAdmin(admin.ModelAdmin):
    list_display = ("suborder", "carrier", "tracking_number", "status", "occurred_at")
    search_fields = ("tracking_number",)


@admin.register(CarrierCallback)
class CarrierCallbackAdmin(admin.ModelAdmin):
    list_display = ("received_at", "carrier", "accepted", "outcome")
    list_filter = ("accepted",)


admin.site.register(ShipByClock)
admin.site.register(SandboxParcel)
