from django.contrib import admin

from shops import services
from shops.models import (
    SKU,
    BrandAuthorization,
    Category,
    ImportJob,
    Merchant,
    Outlet,
    Product,
    StockLevel,
    Store,
    StoreClosure,
    StoreStaff,
)


class StoreStaffInline(admin.TabularInline):
    model = StoreStaff
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "owner", "created_at"]
    search_fields = ["name", "owner__username"]
    raw_id_fields = ["owner"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "brand", "status", "merchant", "rating"]
    list_filter = ["brand", "status"]
    search_fields = ["name", "slug", "merchant__name"]
    inlines = [StoreStaffInline]


@admin.register(BrandAuthorization)
class BrandAuthorizationAdmin(admin.ModelAdmin):
    list_display = ["brand_name", "store", "status", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["brand_name", "store__name"]


@admin.register(StoreStaff)
class StoreStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "store", "role"]
    list_filter = ["role"]
    raw_id_fields = ["user", "store"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "parent", "vertical", "position"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.forget_category_tree()


class SKUInline(admin.TabularInline):
    model = SKU
    extra = 0
    fields = ["code", "attributes", "price", "is_active", "per_shopper_limit"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["title", "store", "category", "min_price", "status", "featured", "sales_count"]
    list_filter = ["status", "featured", "store__brand"]
    search_fields = ["title", "title_en"]
    raw_id_fields = ["store", "category"]
    readonly_fields = ["min_price", "search_title", "search_body"]
    inlines = [SKUInline]
    list_select_related = ["store", "category"]

    def save_model(self, request, obj, form, change):
        services.refresh_search_tokens(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.refresh_min_price(form.instance)


@admin.register(SKU)
class SKUAdmin(admin.ModelAdmin):
    list_display = ["code", "product", "store", "price", "is_active"]
    search_fields = ["code", "product__title"]
    raw_id_fields = ["product"]


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "store", "address", "is_active"]
    search_fields = ["name", "store__name"]


@admin.register(StockLevel)
class StockLevelAdmin(admin.ModelAdmin):
    list_display = ["sku", "outlet", "pool", "quantity"]
    list_filter = ["pool"]
    raw_id_fields = ["sku", "outlet"]


@admin.register(StoreClosure)
class StoreClosureAdmin(admin.ModelAdmin):
    list_display = ["store", "starts_on", "ends_on", "reason"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["pk", "store", "filename", "status", "total_rows", "products_created", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["errors"]
