"""The public catalog's API shapes: categories, stores, products, SKUs, outlets and catalog queries."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shops.models import Brand, Category, Outlet, Product, Store, StoreRating


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "parent", "vertical", "name", "name_en", "slug", "position"]


class StoreBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Store
        fields = ["id", "name", "slug", "brand", "rating"]


class ServiceCardSerializer(serializers.Serializer):
    """A store's promises (服务卡), as shopper-facing facts."""

    ship_within_hours = serializers.IntegerField(help_text="A paid order ships within this many hours")
    presale_ship_date = serializers.DateField(allow_null=True, help_text="Pre-sale: orders ship by this date")
    no_reason_return_days = serializers.IntegerField(help_text="7 (7天无理由退货) or 0")
    return_shipping_insurance = serializers.BooleanField(help_text="运费险: the platform pays return postage")
    return_insurance_cap = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    instant_refund = serializers.BooleanField()
    genuine_guarantee = serializers.BooleanField(help_text="正品保障 (Tmall stores)")


class ServiceCardInputSerializer(serializers.Serializer):
    ship_within_hours = serializers.IntegerField(required=False)
    presale_ship_date = serializers.DateField(required=False, allow_null=True)
    no_reason_returns = serializers.BooleanField(required=False)
    return_shipping_insurance = serializers.BooleanField(required=False)
    return_address = serializers.CharField(required=False, allow_blank=True, max_length=255)


class StoreDSRSerializer(serializers.Serializer):
    """A store's ratings over the last 180 days. The three means are null while fewer than 10 scores exist
    (below the floor); ``count`` is always the number of scores in the window."""

    description = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, allow_null=True)
    service = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, allow_null=True)
    logistics = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False, allow_null=True)
    count = serializers.IntegerField()


NO_RATINGS = {"description": None, "service": None, "logistics": None, "count": 0}


class StoreSerializer(serializers.ModelSerializer):
    closed_until = serializers.SerializerMethodField()
    service_card = serializers.SerializerMethodField()
    dsr = serializers.SerializerMethodField()

    class Meta:
        model = Store
        fields = [
            "id",
            "name",
            "slug",
            "brand",
            "status",
            "description",
            "rating",
            "closed_until",
            "service_card",
            "dsr",
        ]

    @extend_schema_field(ServiceCardSerializer)
    def get_service_card(self, store) -> dict:
        from shops.selectors.promises import service_card

        return service_card(store, self.context.get("service_catalogue"))

    def get_closed_until(self, store) -> str | None:
        closures = self.context.get("closures")  # store id -> closure, from the view (one query per page)
        closure = closures.get(store.pk) if closures is not None else store.active_closure()
        return closure.ends_on.isoformat() if closure else None

    @extend_schema_field(StoreDSRSerializer)
    def get_dsr(self, store) -> dict:
        try:
            rating = store.dsr  # written by the reviews worker
        except StoreRating.DoesNotExist:
            return dict(NO_RATINGS)
        return StoreDSRSerializer(rating).data


class ProductListSerializer(serializers.ModelSerializer):
    store = StoreBriefSerializer()
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    image = serializers.SerializerMethodField()
    closed_until = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["id", "title", "title_en", "min_price", "sales_count", "featured", "image", "store", "category",
                  "closed_until"]  # fmt: skip

    def get_image(self, product) -> str | None:
        return product.image.url if product.image else None

    def get_closed_until(self, product) -> str | None:
        closure = getattr(product, "closure", None)
        return closure.ends_on.isoformat() if closure else None


class ProductPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Matches, counted up to a cap")
    count_capped = serializers.BooleanField(help_text="True when there are at least `count` matches")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = ProductListSerializer(many=True)


class PickupStockSerializer(serializers.Serializer):
    outlet = serializers.IntegerField()
    quantity = serializers.IntegerField()


class PublicSKUSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="sku.pk")
    code = serializers.CharField(source="sku.code")
    attributes = serializers.DictField(source="sku.attributes", child=serializers.CharField())
    label = serializers.CharField(source="sku.label")
    price = serializers.DecimalField(source="sku.price", max_digits=12, decimal_places=2)
    per_shopper_limit = serializers.IntegerField(source="sku.per_shopper_limit", allow_null=True)
    delivery_stock = serializers.IntegerField()
    pickup_stock = serializers.SerializerMethodField()

    @extend_schema_field(PickupStockSerializer(many=True))
    def get_pickup_stock(self, view) -> list[dict]:
        return [{"outlet": outlet, "quantity": quantity} for outlet, quantity in view.pickup_stock.items()]


class PublicOutletSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "name", "address", "latitude", "longitude", "pickup_hours"]


class ProductDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="product.pk")
    title = serializers.CharField(source="product.title")
    title_en = serializers.CharField(source="product.title_en")
    description = serializers.CharField(source="product.description")
    min_price = serializers.DecimalField(source="product.min_price", max_digits=12, decimal_places=2)
    sales_count = serializers.IntegerField(source="product.sales_count")
    category = serializers.CharField(source="product.category.slug")
    image = serializers.SerializerMethodField()
    pictures = serializers.ListField(
        source="product.pictures", child=serializers.CharField(), help_text="The gallery: the main image first"
    )
    store = StoreBriefSerializer(source="product.store")
    skus = PublicSKUSerializer(many=True)
    outlets = PublicOutletSerializer(many=True)
    closed_until = serializers.SerializerMethodField()
    purchasable = serializers.SerializerMethodField()
    problem = serializers.CharField(allow_null=True)
    service_card = ServiceCardSerializer(source="service", allow_null=True)
    ships_after = serializers.DateField(allow_null=True, help_text="A platform holiday: parcels move from this day")

    def get_image(self, detail) -> str | None:
        return detail.product.image.url if detail.product.image else None

    def get_closed_until(self, detail) -> str | None:
        return detail.closure.ends_on.isoformat() if detail.closure else None

    def get_purchasable(self, detail) -> bool:
        return detail.problem is None and detail.in_stock


class CatalogQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    brand = serializers.ChoiceField(choices=Brand.choices, required=False, allow_blank=True)
    category = serializers.CharField(required=False, allow_blank=True, help_text="Category slug or id")
    min_price = serializers.DecimalField(required=False, max_digits=12, decimal_places=2, min_value=0)
    max_price = serializers.DecimalField(required=False, max_digits=12, decimal_places=2, min_value=0)
    in_stock = serializers.BooleanField(required=False)
    sort = serializers.ChoiceField(
        choices=["relevance", "recommended", "price_asc", "price_desc", "newest", "sales"], required=False
    )
    page = serializers.IntegerField(required=False, min_value=1)
