import datetime

import pytest
from django.utils import timezone

from shops import services
from shops.models import StockPool
from tests.shops.factories import OutletFactory, StoreFactory, TmallStoreFactory, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def dresses():
    vertical = services.save_category(name="服饰", name_en="Apparel", slug="apparel")
    return services.save_category(name="连衣裙", name_en="Dresses", slug="dresses", parent=vertical)


def test_home_mixes_both_brands_and_lists_categories(client, dresses):
    make_product(StoreFactory(), title="淘宝精选", category=dresses, featured=True)
    make_product(TmallStoreFactory(), title="天猫精选", category=dresses, featured=True)
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "淘宝精选" in html and "天猫精选" in html
    assert 'href="/c/apparel/"' in html


def test_category_page_filters_sorts_and_paginates(client, dresses, django_assert_max_num_queries):
    store = StoreFactory()
    for n in range(30):
        make_product(store, title=f"裙子{n:02d}", category=dresses, prices=(f"{100 + n}.00",))
    with django_assert_max_num_queries(12):  # no N+1: store, category and closures come in fixed queries
        page = client.get("/c/apparel/?sort=price_asc")
    assert page.status_code == 200
    products = page.context["products"]
    assert len(products) == 24 and products[0].title == "裙子00"
    assert 'data-testid="next-page"' in page.content.decode()
    second = client.get("/c/apparel/?sort=price_asc&page=2")
    assert [p.title for p in second.context["products"]] == [f"裙子{n}" for n in range(24, 30)]
    filtered = client.get("/c/dresses/?min_price=125&max_price=126&sort=price_desc")
    assert [p.title for p in filtered.context["products"]] == ["裙子26", "裙子25"]
    assert client.get("/c/nope/").status_code == 404
    bad = client.get("/c/apparel/?min_price=abc&brand=x")
    assert bad.status_code == 200 and "Prices must be positive amounts." in bad.content.decode()


def test_htmx_filter_changes_return_only_the_results(client, dresses):
    make_product(title="连衣裙甲", category=dresses)
    partial = client.get("/search/?q=连衣裙&partial=results", HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "连衣裙甲" in html and "<html" not in html


def test_search_page_finds_chinese_and_english(client, dresses):
    make_product(title="碎花连衣裙", title_en="Floral dress", category=dresses)
    for query in ("连衣裙", "dress"):
        page = client.get("/search/", {"q": query})
        assert [p.title for p in page.context["products"]] == ["碎花连衣裙"]


def test_product_page_shows_sku_prices_stock_brand_store_and_outlets(client):
    store = TmallStoreFactory(name="旗舰店")
    product = make_product(store, title="好物", prices=("10.00", "20.00"), stock=4)
    outlet = OutletFactory(store=store, name="西湖店")
    services.set_stock(sku=product.skus.get(price="20.00"), outlet=outlet, pool=StockPool.OUTLET, quantity=6)
    html = client.get(f"/p/{product.pk}/").content.decode()
    assert 'class="badge TMALL"' in html
    assert f'href="/s/{store.slug}/"' in html
    assert 'action="/cart/items/"' in html and 'name="sku"' in html and 'name="quantity"' in html
    assert "¥10.00" in html and "¥20.00" in html and "4 in stock" in html
    assert "西湖店" in html and "<td>6</td>" in html
    assert 'data-testid="add-to-cart">' in html  # enabled
    assert client.get("/p/999999/").status_code == 404


def test_closed_store_product_says_closed_until_and_cannot_be_added(client):
    store = StoreFactory()
    product = make_product(store, title="休息中")
    until = timezone.localdate() + datetime.timedelta(days=5)
    services.close_now(store=store, until=until)
    html = client.get(f"/p/{product.pk}/").content.decode()
    assert f"Closed until {until.isoformat()}" in html
    assert 'disabled data-testid="add-to-cart"' in html
    listing = client.get(f"/s/{store.slug}/").content.decode()
    assert f"Closed until {until.isoformat()}" in listing


def test_sold_out_product_cannot_be_added(client):
    product = make_product(title="卖光了", stock=0)
    html = client.get(f"/p/{product.pk}/").content.decode()
    assert "Sold out" in html and 'disabled data-testid="add-to-cart"' in html


def test_sessionless_visitors_share_a_cached_page_with_their_own_csrf_token(dresses):
    from django.test import Client

    product = make_product(title="缓存页", category=dresses)
    visitors = [Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)]
    pages = [visitor.get(f"/p/{product.pk}/").content.decode() for visitor in visitors]
    assert all("缓存页" in page and "__shops_csrf_placeholder__" not in page for page in pages)
    tokens = [page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0] for page in pages]
    # Each visitor's own token passes Django's CSRF check with its own cookie; the other visitor's token is refused.
    assert visitors[0].post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": tokens[0]}).status_code == 302
    assert visitors[1].post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": tokens[1]}).status_code == 302
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/")
    assert stranger.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": "x" * 64}).status_code == 403
    # A catalog write shows at once (the cache is keyed by the catalog version).
    services.save_product(store=product.store, product=product, category=dresses, title="改名了")
    assert "改名了" in Client().get(f"/p/{product.pk}/").content.decode()


def test_signed_in_shoppers_share_the_cached_page_but_see_their_own_account_menu(dresses):
    from types import SimpleNamespace

    from django.contrib import messages
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import Client

    from tests.accounts.factories import UserFactory

    product = make_product(title="共享页", category=dresses)
    alice, bob = UserFactory(display_name="alice_cache"), UserFactory(display_name="bob_cache", is_staff=True)
    shoppers = {}
    for user in (alice, bob):
        shoppers[str(user)] = Client()
        shoppers[str(user)].force_login(user)
    pages = {name: shopper.get(f"/p/{product.pk}/").content.decode() for name, shopper in shoppers.items()}
    assert "alice_cache" in pages["alice_cache"] and "bob_cache" not in pages["alice_cache"]
    assert "bob_cache" in pages["bob_cache"] and "alice_cache" not in pages["bob_cache"]
    assert all("共享页" in page and "__shops_" not in page for page in pages.values())
    assert "/ops/" in pages["bob_cache"] and "/ops/" not in pages["alice_cache"]  # the console link is staff-only
    assert "Log in" in Client().get(f"/p/{product.pk}/").content.decode()

    # A pending flash message is never lost to the cache: that visitor gets a fully rendered page with it.
    storage = CookieStorage(SimpleNamespace(COOKIES={}))
    storage.add(messages.INFO, "欢迎回来")
    carrier = HttpResponse()
    storage.update(carrier)
    shoppers["alice_cache"].cookies["messages"] = carrier.cookies["messages"].value
    assert "欢迎回来" in shoppers["alice_cache"].get(f"/p/{product.pk}/").content.decode()
