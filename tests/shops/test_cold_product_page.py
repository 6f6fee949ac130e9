"""A never-seen product page renders from two queries; what it shows of the store and the platform comes from
caches keyed by the catalog version, so every write to them still shows on the next page rendered."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shops import caching, services
from shops.models import StockPool, StoreRating
from tests.shops.factories import OutletFactory, StoreFactory, make_product

pytestmark = pytest.mark.django_db


def page(product) -> str:
    response = Client().get(f"/p/{product.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_never_seen_product_of_a_known_store_costs_two_queries():
    store = StoreFactory()
    OutletFactory(store=store, name="西湖店")
    first, second = make_product(store, title="第一件"), make_product(store, title="第二件", prices=("5.00", "6.00"))
    page(first)  # the store's header, outlets and the platform's terms are now cached
    with CaptureQueriesContext(connection) as queries:
        html = page(second)
    assert len(queries) == 2, [query["sql"][:120] for query in queries]
    assert "第二件" in html and "¥5.00" in html and "¥6.00" in html and "西湖店" in html


def test_each_product_gets_its_own_title_path_and_id_in_the_shared_frame():
    store = StoreFactory()
    plain, tricky = make_product(store, title="普通"), make_product(store, title='<b>"粗体"</b> & co')
    page(plain)
    html = page(tricky)
    assert "<title>&lt;b&gt;&quot;粗体&quot;&lt;/b&gt; &amp; co · " in html
    assert f'action="/p/{tricky.pk}/favourite/"' in html and f'value="/p/{tricky.pk}/"' in html
    assert f"product={tricky.pk}" in html and "__shops_" not in html
    assert f"next=/p/{tricky.pk}/" in html  # the signed-out menu's log-in link comes back here
    assert f"/p/{plain.pk}/" not in html


def test_store_promises_outlets_and_dsr_written_after_a_page_show_on_the_next_page():
    store = StoreFactory()
    before, after = make_product(store, title="之前"), make_product(store, title="之后")
    assert "西湖店" not in page(before)
    services.set_service_card(store, return_shipping_insurance=True)
    outlet = services.save_outlet(store=store, name="西湖店", address="文三路 1 号", latitude=30, longitude=120)
    services.set_stock(sku=after.skus.get(), outlet=outlet, pool=StockPool.OUTLET, quantity=3)
    StoreRating.objects.create(store=store, description="4.90", service="4.80", logistics="4.70", count=120)
    caching.bump_catalog()  # the reviews worker's DSR shows once the cached store header expires; here at once
    html = page(after)
    assert 'data-testid="badge-insurance"' in html
    assert "西湖店" in html and "<td>3</td>" in html
    assert 'data-testid="dsr-description"' in html and "4.90" in html
