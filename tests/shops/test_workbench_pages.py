import datetime
import re

import pytest
from django.utils import timezone

from shops.models import SKU, BrandAuthorization, Outlet, Product, StaffRole, StockLevel, StoreStaff
from tests.accounts.factories import UserFactory
from tests.shops.factories import OutletFactory, StoreFactory, TmallStoreFactory, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    from shops import services

    return services.save_category(name="连衣裙", name_en="Dresses", slug="dresses")


@pytest.fixture
def owner_client(client):
    store = StoreFactory()
    client.force_login(store.merchant.owner)
    client.store = store
    return client


def sku_rows(rows):
    data = {"sku-TOTAL_FORMS": "3", "sku-INITIAL_FORMS": "0", "sku-MIN_NUM_FORMS": "0", "sku-MAX_NUM_FORMS": "50"}
    for n, row in enumerate(rows):
        data.update({f"sku-{n}-{key}": value for key, value in row.items()})
    return data


def test_owner_creates_a_product_with_skus_and_stock(owner_client, category):
    response = owner_client.post("/seller/products/new/", {
        "title": "新款连衣裙", "title_en": "New dress", "category": category.pk, "status": "active",
        **sku_rows([{"code": "D-1", "attributes": "颜色=红; 尺码=M", "price": "199.00", "stock": "5", "is_active": "on"},
                    {"code": "D-2", "attributes": "颜色=蓝", "price": "189.00", "stock": "0", "is_active": "on"}]),
    })  # fmt: skip
    assert response.status_code == 302
    product = Product.objects.get(title="新款连衣裙")
    assert product.store == owner_client.store
    assert str(product.min_price) == "189.00"
    assert SKU.objects.get(code="D-1").attributes == {"颜色": "红", "尺码": "M"}
    assert StockLevel.objects.get(sku__code="D-1", outlet=None).quantity == 5
    assert owner_client.get(response.url).status_code == 200


def test_bad_product_form_shows_errors_and_saves_nothing(owner_client, category):
    make_product(owner_client.store, title="已有")
    taken = SKU.objects.get(store=owner_client.store).code
    for bad_row, message in [
        ({"code": "X-1", "price": "-5"}, "Price cannot be negative."),
        ({"code": "X-1", "price": "5", "stock": "-1"}, "Stock cannot be negative."),
        ({"code": taken, "price": "5"}, "already used in this store"),
        ({"code": "X-1", "price": "5", "attributes": "颜色"}, "Attributes must look like"),
    ]:
        page = owner_client.post("/seller/products/new/", {"title": "坏", "category": category.pk,
                                                           "status": "active", **sku_rows([bad_row])})  # fmt: skip
        assert page.status_code == 200
        assert message in page.content.decode()
    assert not Product.objects.filter(title="坏").exists()


def test_stock_grid_saves_every_location_and_pool_or_nothing(owner_client):
    product = make_product(owner_client.store, title="库存", stock=1)
    sku = product.skus.get()
    outlet = OutletFactory(store=owner_client.store)
    url = f"/seller/products/{product.pk}/stock/"
    ok = owner_client.post(url, {f"stock:{sku.pk}:w:online": "7", f"stock:{sku.pk}:{outlet.pk}:outlet": "2",
                                 f"stock:{sku.pk}:{outlet.pk}:shared": "3"})  # fmt: skip
    assert ok.status_code == 302
    assert StockLevel.objects.filter(sku=sku).for_delivery().total() == 10
    bad = owner_client.post(url, {f"stock:{sku.pk}:w:online": "50", f"stock:{sku.pk}:{outlet.pk}:shared": "-3"})
    assert bad.status_code == 400 and "Stock cannot be negative." in bad.content.decode()
    assert StockLevel.objects.get(sku=sku, outlet=None).quantity == 7  # the valid cell was not saved either
    foreign = OutletFactory()
    assert owner_client.post(url, {f"stock:{sku.pk}:{foreign.pk}:shared": "3"}).status_code == 404


def test_another_stores_product_is_not_found_in_the_workbench(owner_client):
    other = make_product(StoreFactory(), title="别人的")
    assert owner_client.get(f"/seller/products/{other.pk}/").status_code == 404
    assert (
        owner_client.post(f"/seller/products/{other.pk}/skus/new/", {"new-code": "Z", "new-price": "1"}).status_code
        == 404
    )
    assert owner_client.get(f"/seller/outlets/{OutletFactory().pk}/").status_code == 404


def test_add_sku_and_outlet_pages(owner_client):
    product = make_product(owner_client.store, title="加规格", prices=("50.00",))
    response = owner_client.post(f"/seller/products/{product.pk}/skus/new/",
                                 {"new-code": "NEW", "new-price": "30", "new-attributes": "尺码=L",
                                  "new-is_active": "on", "new-stock": "4"})  # fmt: skip
    assert response.status_code == 302
    product.refresh_from_db()
    assert str(product.min_price) == "30.00"
    bad = owner_client.post(f"/seller/products/{product.pk}/skus/new/", {"new-code": "NEW", "new-price": "30"})
    assert bad.status_code == 400 and "already used" in bad.content.decode()
    created = owner_client.post("/seller/outlets/new/", {"name": "滨江店", "address": "滨江区 1 号", "latitude": "30.2",
                                                         "longitude": "120.2", "pickup_hours": "9-21",
                                                         "is_active": "on"})  # fmt: skip
    assert created.status_code == 302
    assert Outlet.objects.get(name="滨江店").store == owner_client.store
    assert "滨江店" in owner_client.get("/seller/outlets/").content.decode()


def test_closure_scheduling_rejects_an_end_before_the_start(owner_client):
    today = timezone.localdate()
    bad = owner_client.post("/seller/closures/", {"starts_on": today + datetime.timedelta(days=3), "ends_on": today})
    assert "A closure cannot end before it starts." in bad.content.decode()
    assert not owner_client.store.closures.exists()
    owner_client.post("/seller/closures/", {"starts_on": today, "ends_on": today + datetime.timedelta(days=2)})
    closure = owner_client.store.closures.get()
    assert owner_client.store.active_closure() == closure
    owner_client.post(f"/seller/closures/{closure.pk}/end/")
    assert owner_client.store.active_closure() is None


def test_menus_and_pages_follow_the_staff_role(client):
    store = StoreFactory()
    agent = UserFactory()
    StoreStaff.objects.create(store=store, user=agent, role=StaffRole.CUSTOMER_SERVICE)
    client.force_login(agent)
    dashboard = client.get("/seller/")
    labels = [str(item["label"]) for item in dashboard.context["seller_menu"]]
    assert "Products" not in labels and "Staff" not in labels
    assert client.get("/seller/products/").status_code == 403
    assert client.get("/seller/closures/").status_code == 403
    operations = UserFactory()
    StoreStaff.objects.create(store=store, user=operations, role=StaffRole.OPERATIONS)
    client.force_login(operations)
    assert client.get("/seller/products/").status_code == 200
    assert client.get("/seller/staff/").status_code == 403


def test_staff_page_adds_members_and_keeps_an_owner(owner_client):
    helper = UserFactory()
    owner_client.post("/seller/staff/", {"username": helper.username, "role": StaffRole.OPERATIONS})
    assert owner_client.store.staff.get(user=helper).role == StaffRole.OPERATIONS
    owner_row = owner_client.store.staff.get(role=StaffRole.OWNER)
    owner_client.post(f"/seller/staff/{owner_row.pk}/remove/")
    assert owner_client.store.staff.filter(role=StaffRole.OWNER).exists()


def test_tmall_store_submits_its_brand_authorization(client):
    store = TmallStoreFactory()
    client.force_login(store.merchant.owner)
    missing = client.post("/seller/brand/", {"brand_name": "ACME"})
    assert "Attach the authorization document" in missing.content.decode()
    client.post("/seller/brand/", {"brand_name": "ACME", "document_note": "商标注册证 1"})
    assert store.brand_authorizations.filter(status=BrandAuthorization.Status.PENDING, brand_name="ACME").exists()


def test_owner_opens_a_tmall_store_that_waits_for_approval(owner_client):
    response = owner_client.post("/seller/stores/new/", {"name": "新旗舰店", "brand": "TMALL"})
    assert response.status_code == 302 and response.url == "/seller/brand/"
    store = owner_client.store.merchant.stores.get(name="新旗舰店")
    assert store.status == "pending"
    assert owner_client.get("/seller/").context["current_store"] == store  # switched to the new store


def test_editing_a_sku_price_moves_the_lowest_price(owner_client):
    product = make_product(owner_client.store, title="改价", prices=("50.00", "80.00"))
    cheap = product.skus.get(price="50.00")
    prefix = f"sku{cheap.pk}"
    response = owner_client.post(f"/seller/products/{product.pk}/skus/{cheap.pk}/",
                                 {f"{prefix}-code": cheap.code, f"{prefix}-price": "90.00",
                                  f"{prefix}-is_active": "on"})  # fmt: skip
    assert response.status_code == 302
    product.refresh_from_db()
    assert str(product.min_price) == "80.00"


def test_the_import_template_is_a_valid_file(owner_client):
    from shops import importer

    response = owner_client.get("/seller/imports/template.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows, errors = importer.parse_rows(response.content.decode("utf-8-sig"))
    assert errors == [] and len(rows) == 3


def picture(name: str, colour: str = "red"):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_more_pictures_make_the_product_pages_gallery_and_can_be_replaced_or_removed(owner_client, settings, tmp_path):
    from django.test import Client

    settings.MEDIA_ROOT = tmp_path
    product = make_product(owner_client.store, title="画廊连衣裙")
    form = {"title": product.title, "category": product.category_id, "status": "active"}
    edit = f"/seller/products/{product.pk}/"
    response = owner_client.post(edit, {**form, "image": picture("main.png"),
                                        "gallery": [picture("side.png", "blue"), picture("back.png", "green")]})  # fmt: skip
    assert response.status_code == 302
    product.refresh_from_db()
    assert len(product.gallery) == 2 and all((tmp_path / name).exists() for name in product.gallery)
    page = Client().get(f"/p/{product.pk}/").content.decode()
    sources = re.findall(r'<img src="/media/products/(\w+?)(?:_\w+)?\.png"[^>]*data-testid="gallery-image"', page)
    assert sources == ["main", "side", "back"] and "/3</span>" in page  # the main image first, then in order
    assert 'data-testid="product-pictures"' in owner_client.get(edit).content.decode()
    pictures = Client().get(f"/api/v1/products/{product.pk}/").json()["pictures"]
    assert [url.rsplit("/", 1)[1].split("_")[0].removesuffix(".png") for url in pictures] == ["main", "side", "back"]

    too_many = owner_client.post(edit, {**form, "gallery": [picture(f"p{n}.png") for n in range(9)]})
    assert too_many.status_code == 200 and "at most 8 more pictures" in too_many.content.decode()
    product.refresh_from_db()
    assert len(product.gallery) == 2

    assert owner_client.post(edit, {**form, "clear_gallery": "on"}).status_code == 302
    product.refresh_from_db()
    assert product.gallery == [] and product.pictures == [product.image.url]
    page = Client().get(f"/p/{product.pk}/").content.decode()
    assert page.count('data-testid="gallery-image"') == 1 and 'data-testid="gallery-count"' not in page
