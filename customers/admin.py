from django.contrib import admin

from customers.models import (
    CampaignRecipient,
    Customer,
    Footprint,
    ProductFavourite,
    SegmentSettings,
    SegmentSnapshot,
    StoreFollow,
    TargetedCampaign,
)


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["shopper", "merchant", "orders", "spend", "last_order_at", "is_new", "is_high_value", "is_lost"]
    list_filter = ["is_new", "is_regular", "is_high_value", "is_at_risk", "is_lost", "is_follower_only"]
    raw_id_fields = ["shopper", "merchant"]


@admin.register(SegmentSettings)
class SegmentSettingsAdmin(admin.ModelAdmin):
    list_display = ["merchant", "new_days", "regular_days", "high_value_percent", "at_risk_days", "lost_days"]


@admin.register(SegmentSnapshot)
class SegmentSnapshotAdmin(admin.ModelAdmin):
    list_display = ["merchant", "day", "customers", "new", "regular", "high_value", "at_risk", "lost", "follower"]


@admin.register(TargetedCampaign)
class TargetedCampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "merchant", "store", "segment", "status", "audience", "control", "issued", "sent_at"]
    raw_id_fields = ["template"]


admin.site.register(CampaignRecipient, raw_id_fields=["shopper", "campaign"])
admin.site.register(StoreFollow, raw_id_fields=["shopper", "store"])
admin.site.register(ProductFavourite, raw_id_fields=["shopper", "product"])
admin.site.register(Footprint, raw_id_fields=["shopper", "product"])
