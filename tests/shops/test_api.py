import datetime

import pytest
from django.utils import timezone

from shops import services
from shops.models import (
    SKU,
    Brand,
    BrandAuthorization,
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
from tests.accounts.factories import OperatorFactory, UserFactory
from tests.shops.factories import MerchantFactory, OutletFactory, StoreFactory, TmallStoreFactory, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return services.save_category(name="连衣裙", name_en="Dresses", slug="dresses")


@pytest.fixture
def victim(category):
    """Another merchant's store with one of everything."""
    store = TmallStoreFactory(name="别人的旗舰店")
    product = make_product(store, title="别人的连衣裙", category=category, stock=5)
    sku = product.skus.get()
    outlet = OutletFactory(store=store)
    services.set_stock(sku=sku, outlet=outlet, pool=StockPool.SHARED, quantity=2)
    today = timezone.localdate()
    closure = services.schedule_closure(store=store, starts_on=today + datetime.timedelta(days=5),
                                        ends_on=today + datetime.timedelta(days=6))  # fmt: skip
    member = StoreStaff.objects.get(store=store)
    job = ImportJob.objects.create(store=store, content="title\n", filename="x.csv")
    return {"store": store, "product": product, "sku": sku, "outlet": outlet, "closure": closure,
            "staff": member, "job": job}  # fmt: skip


def snapshot(victim):
    store = victim["store"]
    return {
        "store": list(Store.objects.filter(pk=store.pk).values()),
        "products": list(Product.objects.filter(store=store).values("id", "title", "status", "min_price")),
        "skus": list(SKU.objects.filter(store=store).values()),
        "stock": list(StockLevel.objects.filter(sku__store=store).values()),
        "outlets": list(Outlet.objects.filter(store=store).values()),
        "closures": list(StoreClosure.objects.filter(store=store).values()),
        "staff": list(StoreStaff.objects.filter(store=store).values()),
        "authorizations": list(BrandAuthorization.objects.filter(store=store).values()),
        "jobs": list(ImportJob.objects.filter(store=store).values("id", "status")),
    }


MERCHANT_ENDPOINTS = [
    ("get", "/api/v1/seller/stores/{store}/", None),
    ("patch", "/api/v1/seller/stores/{store}/", {"name": "hacked"}),
    ("post", "/api/v1/seller/stores/{store}/open/", None),
    ("get", "/api/v1/seller/stores/{store}/brand-authorizations/", None),
    ("post", "/api/v1/seller/stores/{store}/brand-authorizations/", {"brand_name": "x", "document_note": "y"}),
    ("get", "/api/v1/seller/stores/{store}/products/", None),
    (
        "post",
        "/api/v1/seller/stores/{store}/products/",
        {"category": "dresses", "title": "x", "skus": [{"code": "H1", "price": "1"}]},
    ),
    ("get", "/api/v1/seller/products/{product}/", None),
    ("patch", "/api/v1/seller/products/{product}/", {"title": "hacked"}),
    ("post", "/api/v1/seller/products/{product}/skus/", {"code": "H2", "price": "1"}),
    ("get", "/api/v1/seller/skus/{sku}/", None),
    ("patch", "/api/v1/seller/skus/{sku}/", {"price": "0.01"}),
    ("get", "/api/v1/seller/skus/{sku}/stock/", None),
    ("put", "/api/v1/seller/skus/{sku}/stock/", {"outlet": None, "pool": "online", "quantity": 0}),
    ("post", "/api/v1/seller/skus/{sku}/stock/adjust/", {"outlet": None, "pool": "online", "delta": -5}),
    ("get", "/api/v1/seller/stores/{store}/outlets/", None),
    (
        "post",
        "/api/v1/seller/stores/{store}/outlets/",
        {"name": "x", "address": "y", "latitude": "1", "longitude": "1"},
    ),
    ("get", "/api/v1/seller/outlets/{outlet}/", None),
    ("patch", "/api/v1/seller/outlets/{outlet}/", {"name": "hacked"}),
    ("get", "/api/v1/seller/stores/{store}/closures/", None),
    ("post", "/api/v1/seller/stores/{store}/closures/", {"starts_on": "2030-01-01", "ends_on": "2030-01-02"}),
    ("delete", "/api/v1/seller/closures/{closure}/", None),
    ("get", "/api/v1/seller/stores/{store}/service-card/", None),
    ("put", "/api/v1/seller/stores/{store}/service-card/", {"ship_within_hours": 24}),
    ("get", "/api/v1/seller/stores/{store}/staff/", None),
    ("post", "/api/v1/seller/stores/{store}/staff/", {"username": "attacker", "role": "owner"}),
    ("delete", "/api/v1/seller/staff/{staff}/", None),
    ("post", "/api/v1/seller/stores/{store}/imports/", {"csv": "title,category,sku_code,price\nx,dresses,H3,1\n"}),
    ("get", "/api/v1/seller/imports/{job}/", None),
]


@pytest.mark.parametrize("method,url,payload", MERCHANT_ENDPOINTS)
def test_a_merchant_never_reaches_another_merchants_store(api_client, victim, method, url, payload):
    attacker = StoreFactory()  # a real merchant with a store of its own
    attacker.merchant.owner.username = "attacker"
    attacker.merchant.owner.save()
    before = snapshot(victim)
    api_client.force_authenticate(attacker.merchant.owner)
    ids = {key: getattr(value, "pk", None) for key, value in victim.items()}
    response = getattr(api_client, method)(url.format(**ids), payload, format="json")
    assert response.status_code == 404, response.content
    assert "别人的" not in response.content.decode()
    assert snapshot(victim) == before


def test_customer_service_cannot_use_catalog_or_store_endpoints_of_its_own_store(api_client, victim):
    agent = UserFactory()
    StoreStaff.objects.create(store=victim["store"], user=agent, role=StaffRole.CUSTOMER_SERVICE)
    api_client.force_authenticate(agent)
    assert api_client.get(f"/api/v1/seller/stores/{victim['store'].pk}/").status_code == 200
    assert api_client.patch(f"/api/v1/seller/products/{victim['product'].pk}/", {"title": "x"}).status_code == 404
    assert api_client.get(f"/api/v1/seller/stores/{victim['store'].pk}/staff/").status_code == 404


def test_anonymous_users_get_no_merchant_endpoint(api_client, victim):
    assert api_client.get("/api/v1/seller/stores/").status_code in (401, 403)
    assert api_client.get(f"/api/v1/seller/products/{victim['product'].pk}/").status_code in (401, 403)


def test_merchant_creates_products_skus_stock_and_bad_input_is_a_400(api_client, category):
    store = StoreFactory()
    api_client.force_authenticate(store.merchant.owner)
    url = f"/api/v1/seller/stores/{store.pk}/products/"
    created = api_client.post(url, {"category": "dresses", "title": "接口连衣裙", "skus": [
        {"code": "A1", "price": "99.00", "attributes": {"尺码": "M"}, "stock": 3}]}, format="json")  # fmt: skip
    assert created.status_code == 201, created.content
    product_id = created.json()["id"]
    sku_id = created.json()["skus"][0]["id"]
    assert created.json()["min_price"] == "99.00"
    for payload, code in [
        ({"category": "dresses", "title": "x", "skus": [{"code": "B1", "price": "-1"}]}, "negative_price"),
        ({"category": "dresses", "title": "x", "skus": [{"code": "A1", "price": "1"}]}, "duplicate_sku_code"),
        ({"category": "dresses", "title": "x", "skus": []}, "sku_required"),
    ]:
        response = api_client.post(url, payload, format="json")
        assert response.status_code == 400 and response.json()["code"] == code
    assert Product.objects.filter(store=store).count() == 1
    assert api_client.post(url, {"category": "nope", "title": "x", "skus": []}, format="json").status_code == 400
    stock_url = f"/api/v1/seller/skus/{sku_id}/stock/"
    assert api_client.put(stock_url, {"quantity": -1}, format="json").json()["code"] == "negative_stock"
    assert api_client.put(stock_url, {"quantity": 8}, format="json").json()["quantity"] == 8
    outlet = OutletFactory(store=store)
    shared = api_client.put(stock_url, {"outlet": outlet.pk, "pool": "shared", "quantity": 2}, format="json")
    assert shared.status_code == 200
    assert api_client.post(f"{stock_url}adjust/", {"delta": -9}, format="json").status_code == 400
    assert api_client.post(f"{stock_url}adjust/", {"delta": -8}, format="json").json()["quantity"] == 0
    detail = api_client.get(f"/api/v1/products/{product_id}/").json()
    assert detail["skus"][0]["delivery_stock"] == 2
    assert detail["skus"][0]["pickup_stock"] == [{"outlet": outlet.pk, "quantity": 2}]


def test_tmall_store_via_api_waits_for_approval_and_closure_dates_are_checked(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)
    created = api_client.post("/api/v1/seller/stores/", {"name": "新旗舰店", "brand": "TMALL",
                                                         "merchant_name": "新公司"}, format="json")  # fmt: skip
    assert created.status_code == 201 and created.json()["status"] == "pending"
    store_id = created.json()["id"]
    refused = api_client.post(f"/api/v1/seller/stores/{store_id}/open/")
    assert refused.status_code == 400 and refused.json()["code"] == "brand_not_approved"
    assert Store.objects.get(pk=store_id).status == Store.Status.PENDING
    closure = api_client.post(f"/api/v1/seller/stores/{store_id}/closures/",
                              {"starts_on": "2030-01-05", "ends_on": "2030-01-01"}, format="json")  # fmt: skip
    assert closure.status_code == 400 and closure.json()["code"] == "ends_before_start"
    assert not StoreClosure.objects.filter(store_id=store_id).exists()
    submitted = api_client.post(f"/api/v1/seller/stores/{store_id}/brand-authorizations/",
                                {"brand_name": "新", "document_note": "TM 5"}, format="json")  # fmt: skip
    assert submitted.status_code == 201
    operator = OperatorFactory()
    api_client.force_authenticate(operator)
    queue = api_client.get("/api/v1/ops/brand-authorizations/").json()["results"]
    assert [row["store"]["id"] for row in queue] == [store_id]
    decide = f"/api/v1/ops/brand-authorizations/{submitted.json()['id']}/decide/"
    assert api_client.post(decide, {"decision": "reject"}, format="json").json()["code"] == "reason_required"
    assert api_client.post(decide, {"decision": "approve", "reason": "ok"}, format="json").status_code == 200
    assert Store.objects.get(pk=store_id).status == Store.Status.OPEN


def test_operator_endpoints_are_for_operators_only(api_client):
    store = StoreFactory(name="搜索我")
    api_client.force_authenticate(store.merchant.owner)
    assert api_client.get("/api/v1/ops/stores/").status_code == 403
    assert api_client.get("/api/v1/ops/merchants/").status_code == 403
    api_client.force_authenticate(OperatorFactory())
    assert [row["name"] for row in api_client.get("/api/v1/ops/stores/?q=搜索").json()["results"]] == ["搜索我"]
    merchants = api_client.get("/api/v1/ops/merchants/", {"q": store.merchant.name}).json()["results"]
    assert [row["id"] for row in merchants] == [store.merchant.pk]


def test_public_catalog_search_and_filters(api_client, category):
    make_product(StoreFactory(), title="淘宝连衣裙", title_en="Taobao dress", category=category)
    make_product(TmallStoreFactory(), title="天猫连衣裙", title_en="Tmall dress", category=category)
    results = api_client.get("/api/v1/products/", {"q": "dress", "brand": "TMALL"}).json()["results"]
    assert [row["title"] for row in results] == ["天猫连衣裙"]
    assert results[0]["store"]["brand"] == Brand.TMALL
    assert len(api_client.get("/api/v1/products/", {"q": "连衣裙"}).json()["results"]) == 2
    assert api_client.get("/api/v1/products/", {"min_price": "-1"}).status_code == 400
    assert api_client.get("/api/v1/products/", {"category": "nope"}).status_code == 400
    assert api_client.get("/api/v1/products/", {"sort": "bogus"}).status_code == 400
    assert api_client.get("/api/v1/categories/").json()[0]["slug"] == "dresses"
    assert len(api_client.get("/api/v1/stores/").json()["results"]) == 2
    assert api_client.get("/api/v1/products/999999/").status_code == 404


def test_closed_store_is_reported_as_not_purchasable(api_client):
    store = StoreFactory()
    product = make_product(store, title="休假")
    services.close_now(store=store, until=timezone.localdate() + datetime.timedelta(days=1))
    detail = api_client.get(f"/api/v1/products/{product.pk}/").json()
    assert detail["purchasable"] is False and detail["closed_until"] and "closed until" in detail["problem"]


def test_pending_merchant_stores_list_shows_roles(api_client):
    merchant = MerchantFactory()
    services.create_store(merchant=merchant, name="甲", brand=Brand.TAOBAO)
    api_client.force_authenticate(merchant.owner)
    rows = api_client.get("/api/v1/seller/stores/").json()
    assert [(row["name"], row["role"]) for row in rows] == [("甲", "owner")]


def test_a_merchant_cannot_lift_an_operators_suspension(api_client):
    store = StoreFactory()
    services.set_store_suspended(store, True)
    api_client.force_authenticate(store.merchant.owner)
    response = api_client.post(f"/api/v1/seller/stores/{store.pk}/open/")
    assert response.status_code == 400 and response.json()["code"] == "suspended"
    assert Store.objects.get(pk=store.pk).status == Store.Status.SUSPENDED
