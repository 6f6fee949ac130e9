from decimal import Decimal

import factory

from shops.models import (
    SKU,
    Brand,
    BrandAuthorization,
    Category,
    Merchant,
    Outlet,
    Product,
    StaffRole,
    StockLevel,
    StockPool,
    Store,
    StoreStaff,
)
from tests.accounts.factories import UserFactory


class MerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merchant

    name = factory.Sequence(lambda n: f"Merchant {n}")
    owner = factory.SubFactory(UserFactory)


class StoreFactory(factory.django.DjangoModelFactory):
    """An open Taobao store whose merchant's owner is on its staff as owner."""

    class Meta:
        model = Store
        skip_postgeneration_save = True

    merchant = factory.SubFactory(MerchantFactory)
    name = factory.Sequence(lambda n: f"店铺 {n}")
    slug = factory.Sequence(lambda n: f"store-{n}")
    brand = Brand.TAOBAO
    status = Store.Status.OPEN

    @factory.post_generation
    def owner_staff(obj, create, extracted, **kwargs):
        if create:
            StoreStaff.objects.get_or_create(store=obj, user=obj.merchant.owner, defaults={"role": StaffRole.OWNER})


class TmallStoreFactory(StoreFactory):
    brand = Brand.TMALL

    @factory.post_generation
    def approved_brand(obj, create, extracted, **kwargs):
        if create:
            BrandAuthorization.objects.create(
                store=obj, brand_name=f"{obj.name} brand", status=BrandAuthorization.Status.APPROVED
            )


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"类目{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    store = factory.SubFactory(StoreFactory)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"商品 {n}")
    title_en = factory.Sequence(lambda n: f"Product {n}")
    description = "A fine product."
    min_price = Decimal("100.00")


class SKUFactory(factory.django.DjangoModelFactory):
    """A SKU with `stock` units in the online warehouse (default 100)."""

    class Meta:
        model = SKU
        skip_postgeneration_save = True

    product = factory.SubFactory(ProductFactory)
    code = factory.Sequence(lambda n: f"SKU-{n:05d}")
    attributes = factory.LazyFunction(lambda: {"颜色": "红", "尺码": "M"})
    price = Decimal("100.00")

    @factory.post_generation
    def stock(obj, create, extracted, **kwargs):
        if create:
            StockLevel.objects.create(sku=obj, pool=StockPool.ONLINE, quantity=100 if extracted is None else extracted)


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    store = factory.SubFactory(StoreFactory)
    name = factory.Sequence(lambda n: f"门店 {n}")
    address = "杭州市西湖区文三路 1 号"
    latitude = Decimal("30.274084")
    longitude = Decimal("120.155070")


def make_product(
    store=None, *, title="商品", title_en="", description="", category=None, prices=("100.00",), stock=10, **fields
):
    """A product built through shops.services (search tokens and min_price kept), one SKU per price. Indexed at
    once (index_now): tests of the deferred indexing call the services without it."""
    from shops import services

    store = store or StoreFactory()
    category = category or CategoryFactory()
    skus = [
        {"code": f"P{Product.objects.count()}-{n}-{store.pk}", "price": price, "attributes": {"规格": f"{n}"},
         "stock": stock}
        for n, price in enumerate(prices)
    ]  # fmt: skip
    return services.create_product(store=store, category=category, skus=skus, title=title, title_en=title_en,
                                   description=description, index_now=True, **fields)  # fmt: skip


class ShippingTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "shops.ShippingTemplate"

    store = factory.SubFactory(StoreFactory)
    name = factory.Sequence(lambda n: f"Template {n}")
    mode = "by_region"
    first_fee = Decimal("10.00")
    additional_fee = Decimal("5.00")
