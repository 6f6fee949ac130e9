import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from shops import selectors, services
from shops.models import Brand, StockPool
from shops.selectors import CatalogFilters, catalog, purchasable_problem
from tests.shops.factories import CategoryFactory, OutletFactory, StoreFactory, TmallStoreFactory, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def apparel():
    vertical = services.save_category(name="服饰", name_en="Apparel", slug="apparel")
    dresses = services.save_category(name="连衣裙", name_en="Dresses", slug="dresses", parent=vertical)
    shirts = services.save_category(name="T恤", name_en="T-shirts", slug="tshirts", parent=vertical)
    return vertical, dresses, shirts


def titles(filters: CatalogFilters) -> list[str]:
    return [product.title for product in catalog(filters)]


def test_chinese_and_english_queries_find_the_dresses_ranked_by_relevance(apparel):
    _vertical, dresses, shirts = apparel
    make_product(title="夏季碎花连衣裙", title_en="Summer floral dress", category=dresses, description="雪纺面料")
    make_product(title="纯棉T恤", title_en="Cotton T-shirt", category=shirts, description="Goes well with a dress")
    make_product(title="蓝牙耳机", title_en="Bluetooth earbuds", category=CategoryFactory())

    chinese = titles(CatalogFilters(q="连衣裙"))
    english = titles(CatalogFilters(q="dress"))
    assert chinese == ["夏季碎花连衣裙"]
    # The T-shirt mentions "dress" only in its description: it comes after the title match.
    assert english == ["夏季碎花连衣裙", "纯棉T恤"]
    assert titles(CatalogFilters(q="Dresses")) == ["夏季碎花连衣裙"]  # category name, any case
    assert titles(CatalogFilters(q="蓝牙")) == ["蓝牙耳机"]


def test_single_characters_multiword_queries_and_typos_still_find_products(apparel):
    _vertical, dresses, _shirts = apparel
    make_product(title="真丝连衣裙", title_en="Silk dress", category=dresses)
    make_product(title="羊毛大衣", title_en="Wool coat", category=CategoryFactory())
    assert titles(CatalogFilters(q="裙")) == ["真丝连衣裙"]
    assert titles(CatalogFilters(q="真丝 连衣裙")) == ["真丝连衣裙"]
    assert titles(CatalogFilters(q="红色连衣裙")) == ["真丝连衣裙"]  # no red one: best partial match
    assert titles(CatalogFilters(q="drss")) == ["真丝连衣裙"]  # trigram fallback for a typo
    assert titles(CatalogFilters(q="'&|!:*() dress")) == ["真丝连衣裙"]  # operators are not syntax


def test_search_combines_with_brand_and_price_filters(apparel):
    _vertical, dresses, _shirts = apparel
    taobao, tmall = StoreFactory(), TmallStoreFactory()
    make_product(taobao, title="淘宝连衣裙", title_en="dress", category=dresses, prices=("80.00",))
    make_product(tmall, title="天猫连衣裙", title_en="dress", category=dresses, prices=("300.00",))
    assert titles(CatalogFilters(q="dress", brand=Brand.TMALL)) == ["天猫连衣裙"]
    assert titles(CatalogFilters(q="连衣裙", max_price=Decimal("100"))) == ["淘宝连衣裙"]


def test_listing_filters_by_category_descendants_price_and_stock(apparel):
    vertical, dresses, shirts = apparel
    a = make_product(title="A", category=dresses, prices=("50.00",))
    b = make_product(title="B", category=shirts, prices=("150.00",), stock=0)
    make_product(title="C", category=CategoryFactory(), prices=("70.00",))
    assert set(titles(CatalogFilters(category=vertical.pk))) == {"A", "B"}
    assert titles(CatalogFilters(category=dresses.pk)) == ["A"]
    assert titles(CatalogFilters(min_price=Decimal("100"))) == ["B"]
    assert set(titles(CatalogFilters(in_stock=True))) == {"A", "C"}
    outlet = OutletFactory(store=b.store)
    services.set_stock(sku=b.skus.get(), outlet=outlet, pool=StockPool.OUTLET, quantity=2)
    assert set(titles(CatalogFilters(in_stock=True))) == {"A", "B", "C"}  # pickup stock counts
    assert titles(CatalogFilters(sort="price_asc")) == ["A", "C", "B"]
    assert titles(CatalogFilters(sort="price_desc")) == ["B", "C", "A"]
    assert titles(CatalogFilters(sort="newest"))[0] == "C"
    a.sales_count = 99
    a.save()
    assert titles(CatalogFilters(sort="sales"))[0] == "A"


def test_filters_from_query_parameters_drop_bad_values_with_a_message(apparel):
    filters = CatalogFilters.from_params({"brand": "amazon", "min_price": "-3", "category": "nope", "sort": "x"})
    assert filters.brand == "" and filters.min_price is None and filters.category is None
    assert filters.sort == ""
    assert len(filters.errors) == 4


def test_pending_stores_and_disabled_products_are_not_listed():
    tmall = services.create_store(merchant=StoreFactory().merchant, name="待审旗舰店", brand=Brand.TMALL)
    make_product(tmall, title="看不见")
    make_product(title="下架", status="disabled")
    make_product(title="可见")
    assert titles(CatalogFilters()) == ["可见"]


def test_holiday_closure_blocks_buying_but_keeps_the_ranking_position():
    closed_store = StoreFactory()
    products = [make_product(title=f"P{n}") for n in range(3)]
    middle = make_product(closed_store, title="休假店商品")
    products.append(make_product(title="P3"))
    for rank, product in enumerate([*products[:2], middle, *products[2:]]):
        product.sales_count = product.recommend_score = 1000 - rank
        product.save()
    before = {sort: titles(CatalogFilters(sort=sort)) for sort in selectors.SORTS}
    today = timezone.localdate()
    services.schedule_closure(store=closed_store, starts_on=today, ends_on=today + datetime.timedelta(days=3))
    after = {sort: titles(CatalogFilters(sort=sort)) for sort in selectors.SORTS}
    assert after == before
    assert before["recommended"].index("休假店商品") == 2
    sku = middle.skus.get()
    assert "closed until" in purchasable_problem(sku)
    assert purchasable_problem(sku, on=today + datetime.timedelta(days=4)) is None
    assert purchasable_problem(products[0].skus.get()) is None


def test_purchasable_problem_names_the_reason():
    product = make_product(title="X")
    sku = product.skus.get()
    assert purchasable_problem(sku.pk) is None
    sku.is_active = False
    sku.save()
    assert "no longer sold" in purchasable_problem(sku)
    product.status = "disabled"
    product.save()
    assert "off the shelf" in purchasable_problem(sku)
    product.store.status = "suspended"
    product.store.save()
    assert "not open" in purchasable_problem(sku)
    assert purchasable_problem(999999) == "This item does not exist."


def test_product_detail_has_per_sku_delivery_and_pickup_stock():
    product = make_product(title="X", prices=("10.00", "20.00"), stock=4)
    cheap, dear = product.skus.order_by("price")
    outlet = OutletFactory(store=product.store)
    services.set_stock(sku=cheap, outlet=outlet, pool=StockPool.SHARED, quantity=3)
    services.set_stock(sku=dear, outlet=outlet, pool=StockPool.OUTLET, quantity=5)
    detail = selectors.product_detail(product.pk)
    views = {view.sku.pk: view for view in detail.skus}
    assert views[cheap.pk].delivery_stock == 7 and views[cheap.pk].pickup_stock == {outlet.pk: 3}
    assert views[dear.pk].delivery_stock == 4 and views[dear.pk].pickup_stock == {outlet.pk: 5}
    assert detail.pickup_table == [(outlet, [3, 5])]
    assert detail.problem is None


def test_pages_of_a_fallback_search_and_past_the_end(apparel):
    from shops.selectors import catalog_page

    _vertical, dresses, _shirts = apparel
    for n in range(30):
        make_product(title=f"真丝连衣裙{n}", title_en="Silk dress", category=dresses)
    first = catalog_page(CatalogFilters(q="drss"), 1)  # typo: only the trigram stage finds them
    second = catalog_page(CatalogFilters(q="drss"), 2)
    assert (first.count, len(first), second.count, len(second)) == (30, 24, 30, 6)
    assert not {p.pk for p in first} & {p.pk for p in second}
    beyond = catalog_page(CatalogFilters(q="连衣裙"), 9)
    assert beyond.number == 2 and len(beyond) == 6  # past the end: the last page
    assert catalog_page(CatalogFilters(q="不存在的东西"), 1).count == 0
