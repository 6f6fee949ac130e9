"""The seller workbench's API shapes: stores, brand authorizations, products, SKUs, stock, outlets, closures,
staff and imports. Input serializers check types; shops.services checks the rules.
"""

from __future__ import annotations

from rest_framework import serializers

from marketplace.serializers import ColumnBoundSerializer
from shops.models import (
    SKU,
    Brand,
    BrandAuthorization,
    Category,
    ImportJob,
    Outlet,
    Product,
    StaffRole,
    StockLevel,
    StockPool,
    Store,
    StoreClosure,
    StoreStaff,
)


class SellerStoreSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = Store
        fields = ["id", "name", "slug", "brand", "status", "description", "rating", "role"]
        read_only_fields = ["slug", "status", "rating", "role"]

    def get_role(self, store) -> str | None:
        return getattr(store, "role", None)


class StoreCreateSerializer(ColumnBoundSerializer):
    name = serializers.CharField(max_length=120)
    brand = serializers.ChoiceField(choices=Brand.choices)
    slug = serializers.SlugField(max_length=80, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    merchant_name = serializers.CharField(max_length=120, required=False, help_text="Creates your merchant if needed")


class StoreUpdateSerializer(ColumnBoundSerializer):
    name = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(required=False, allow_blank=True)


class BrandAuthorizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = BrandAuthorization
        fields = ["id", "store", "brand_name", "document", "document_note", "status", "decision_reason",
                  "submitted_at", "decided_at"]  # fmt: skip
        read_only_fields = ["store", "status", "decision_reason", "submitted_at", "decided_at"]


class SellerSKUSerializer(serializers.ModelSerializer):
    class Meta:
        model = SKU
        fields = ["id", "product", "code", "attributes", "price", "is_active", "per_shopper_limit"]
        read_only_fields = ["product"]


class SKUInputSerializer(ColumnBoundSerializer):
    class Meta:
        model = SKU

    code = serializers.CharField(max_length=64)
    attributes = serializers.DictField(child=serializers.CharField(max_length=60), required=False, default=dict)
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    is_active = serializers.BooleanField(required=False, default=True)
    per_shopper_limit = serializers.IntegerField(required=False, allow_null=True, min_value=1, default=None)
    stock = serializers.IntegerField(required=False, help_text="Initial online warehouse units")


class SKUUpdateSerializer(SKUInputSerializer):
    code = serializers.CharField(max_length=64, required=False)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    attributes = serializers.DictField(child=serializers.CharField(max_length=60), required=False)
    is_active = serializers.BooleanField(required=False)
    per_shopper_limit = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    stock = None


class SellerProductSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    skus = SellerSKUSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = ["id", "store", "category", "title", "title_en", "description", "status", "featured", "min_price",
                  "sales_count", "created_at", "skus"]  # fmt: skip
        read_only_fields = fields


class ProductInputSerializer(ColumnBoundSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
    title = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=Product.Status.choices, required=False, default=Product.Status.ACTIVE)
    featured = serializers.BooleanField(required=False, default=False)
    skus = SKUInputSerializer(many=True, help_text="At least one")


class ProductUpdateSerializer(ColumnBoundSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all(), required=False)
    title = serializers.CharField(max_length=200, required=False)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Product.Status.choices, required=False)
    featured = serializers.BooleanField(required=False)


class StockLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockLevel
        fields = ["id", "sku", "outlet", "pool", "quantity"]


class StockSetSerializer(ColumnBoundSerializer):
    outlet = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="null = warehouse")
    pool = serializers.ChoiceField(choices=StockPool.choices, default=StockPool.ONLINE)
    quantity = serializers.IntegerField()


class StockAdjustSerializer(ColumnBoundSerializer):
    outlet = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="null = warehouse")
    pool = serializers.ChoiceField(choices=StockPool.choices, default=StockPool.ONLINE)
    delta = serializers.IntegerField()


class OutletSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "store", "name", "address", "latitude", "longitude", "pickup_hours", "is_active"]
        read_only_fields = ["store"]


class ClosureSerializer(serializers.ModelSerializer):
    class Meta:
        model = StoreClosure
        fields = ["id", "store", "starts_on", "ends_on", "reason", "created_at"]
        read_only_fields = ["store", "created_at"]
        validators: list = []  # the model CHECK is enforced by shops.services with a clear message


class StaffSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = StoreStaff
        fields = ["id", "store", "username", "role"]
        read_only_fields = ["store"]


class StaffInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=StaffRole.choices)


class ImportJobSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = ["id", "store", "filename", "status", "total_rows", "processed_rows", "products_created",
                  "skus_created", "errors", "created_at", "finished_at", "progress"]  # fmt: skip
        read_only_fields = fields

    def get_progress(self, job) -> dict:
        from shops.importer import progress

        return progress(job)


class ImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="CSV file (multipart)")
    csv = serializers.CharField(required=False, help_text="or the CSV text itself", trim_whitespace=False)

    def validate(self, data):
        if not data.get("file") and not data.get("csv"):
            raise serializers.ValidationError("Send a CSV file or csv text.")
        if data.get("file"):
            try:
                data["content"] = data["file"].read().decode("utf-8-sig")
                data["filename"] = data["file"].name
            except UnicodeDecodeError:
                raise serializers.ValidationError("The file is not UTF-8 text.") from None
        else:
            data["content"], data["filename"] = data["csv"], "api.csv"
        return data
