from django.contrib import admin

from livestream.models import CouponDrop, Creator, CreatorPolicy, FeaturedProduct, MetricSample, Mute, Stream


class FeaturedInline(admin.TabularInline):
    model = FeaturedProduct
    extra = 0
    raw_id_fields = ["product"]
    readonly_fields = ["store", "live_promotion_id", "commission_rate"]


@admin.register(Stream)
class StreamAdmin(admin.ModelAdmin):
    list_display = ["title", "host_kind", "store", "creator", "state", "scheduled_at", "peak_viewers", "like_count"]
    list_filter = ["state", "host_kind"]
    search_fields = ["title"]
    raw_id_fields = ["store", "creator", "pinned", "created_by"]
    inlines = [FeaturedInline]
    # State changes go through the console (they open/close live prices and coupons), never the admin.
    readonly_fields = ["state", "started_at", "ended_at", "like_count", "peak_viewers"]


@admin.register(Creator)
class CreatorAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "is_active", "created_at"]
    search_fields = ["display_name", "user__username"]
    raw_id_fields = ["user"]


@admin.register(CreatorPolicy)
class CreatorPolicyAdmin(admin.ModelAdmin):
    list_display = ["store", "allows_creators", "commission_rate", "updated_at"]
    raw_id_fields = ["store", "updated_by"]


admin.site.register(CouponDrop, list_display=["stream", "template", "dropped_at"], raw_id_fields=["stream", "template"])
admin.site.register(Mute, list_display=["stream", "user", "muted_by", "created_at"], raw_id_fields=["stream", "user"])
admin.site.register(MetricSample, list_display=["stream", "minute", "viewers", "likes", "messages"])
