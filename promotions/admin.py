"""Raw data views for support; every business edit goes through the console and workbench pages (services)."""

from django.contrib import admin

from marketplace.admin import ReadOnlyAdmin
from promotions.models import Campaign, CampaignEnrollment, CampaignSpend, CouponTemplate, IssuedCoupon, StorePromotion


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "starts_at", "ends_at", "every", "off", "cap", "platform_share", "budget", "spent"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(CampaignEnrollment)
class CampaignEnrollmentAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "store", "enrolled_at"]


@admin.register(CampaignSpend)
class CampaignSpendAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "order_id", "amount", "created_at", "released_at"]
    search_fields = ["order_id"]


@admin.register(StorePromotion)
class StorePromotionAdmin(ReadOnlyAdmin):
    list_display = ["name", "store", "kind", "valid_from", "valid_to", "exclusive", "is_active", "live_stream_id"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "store__name"]


@admin.register(CouponTemplate)
class CouponTemplateAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "store", "off", "threshold", "issued_count", "total_quantity", "channel"]
    list_filter = ["kind", "channel", "is_active"]
    search_fields = ["name"]


@admin.register(IssuedCoupon)
class IssuedCouponAdmin(ReadOnlyAdmin):
    list_display = ["id", "template", "shopper", "status", "valid_to", "order_id", "claimed_at"]
    list_filter = ["status"]
    search_fields = ["shopper__username", "order_id"]
