"""Shared storefront pages: the account menu kept by the browser in a signed cookie bound to the session, the
page cut at its placeholders, and product pages dropped when their stock moves."""

import threading

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import cache
from django.test import Client
from django.utils.translation import get_language

from shops import caching
from shops.views import page_cache
from tests.accounts.factories import UserFactory
from tests.shops.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def menu_cookie_expired(monkeypatch):
    """Every menu cookie is past its age: the next page looks the visitor up again."""

    def expire():
        monkeypatch.setattr(page_cache, "MENU_COOKIE_MAX_AGE", -1)

    return expire


@pytest.fixture
def session_loads(monkeypatch):
    loads = []
    original = SessionStore.load

    def counting_load(self):
        loads.append(self.session_key)
        return original(self)

    monkeypatch.setattr(SessionStore, "load", counting_load)
    return loads


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_signed_in_shoppers_browser_keeps_the_menu_so_pages_skip_the_session(session_loads, menu_cookie_expired):
    product = make_product(title="窗口页")
    shopper = signed_in(UserFactory(display_name="window_shopper"))
    assert "window_shopper" in shopper.get(f"/p/{product.pk}/").content.decode()
    session_key = shopper.cookies["sessionid"].value
    assert session_key in session_loads and page_cache.MENU_COOKIE in shopper.cookies
    session_loads.clear()
    pages = [shopper.get(f"/p/{product.pk}/").content.decode() for _ in range(3)]
    assert all("window_shopper" in page and "窗口页" in page for page in pages)
    assert session_loads == []

    menu_cookie_expired()
    assert "window_shopper" in shopper.get(f"/p/{product.pk}/").content.decode()
    assert session_loads == [session_key]


def test_a_renamed_shopper_shows_the_new_name_once_the_menu_cookie_expires(menu_cookie_expired):
    product = make_product()
    user = UserFactory(display_name="old_name")
    shopper = signed_in(user)
    assert "old_name" in shopper.get(f"/p/{product.pk}/").content.decode()
    user.display_name = "new_name"
    user.save()
    menu_cookie_expired()
    page = shopper.get(f"/p/{product.pk}/").content.decode()
    assert "new_name" in page and "old_name" not in page


def test_a_menu_cookie_is_worthless_with_another_session_or_tampered():
    product = make_product()
    alice = signed_in(UserFactory(display_name="alice_menu"))
    alice.get(f"/p/{product.pk}/")
    stolen = alice.cookies[page_cache.MENU_COOKIE].value
    bob = signed_in(UserFactory(display_name="bob_menu"))
    bob.cookies[page_cache.MENU_COOKIE] = stolen
    page = bob.get(f"/p/{product.pk}/").content.decode()
    assert "bob_menu" in page and "alice_menu" not in page

    stranger = Client()
    stranger.cookies["sessionid"] = "no-such-session"
    stranger.cookies[page_cache.MENU_COOKIE] = stolen.replace("alice", "mallory")
    page = stranger.get(f"/p/{product.pk}/").content.decode()
    assert "Log in" in page and "alice_menu" not in page and "mallory" not in page


def test_logging_out_voids_the_menu_at_once():
    product = make_product()
    shopper = signed_in(UserFactory(display_name="leaving_shopper"))
    old_cookie = shopper.cookies["sessionid"].value
    assert "leaving_shopper" in shopper.get(f"/p/{product.pk}/").content.decode()
    assert shopper.post("/accounts/logout/").status_code == 302

    assert "leaving_shopper" not in shopper.get(f"/p/{product.pk}/").content.decode()
    replay = Client()
    replay.cookies["sessionid"] = old_cookie  # the ended session's cookie, sent again
    page = replay.get(f"/p/{product.pk}/").content.decode()
    assert "leaving_shopper" not in page and "Log in" in page


def test_the_menu_is_display_only_actions_still_authenticate_fully():
    product = make_product()
    user = UserFactory(display_name="deactivated_shopper")
    shopper = signed_in(user)
    assert "deactivated_shopper" in shopper.get(f"/p/{product.pk}/").content.decode()
    user.is_active = False
    user.save()
    # Until the menu cookie expires the public page may still greet them, but their orders are out of reach at once.
    response = shopper.get("/orders/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_signed_out_visitors_get_a_log_in_link_back_to_the_page_they_are_on():
    first, second = make_product(), make_product()
    for product in (first, second):
        page = Client().get(f"/p/{product.pk}/").content.decode()
        assert f"/accounts/login/?next=/p/{product.pk}/" in page


def test_the_local_cache_stays_consistent_under_threads():
    local = caching.LocalCache(maxsize=8, ttl=60)
    errors = []

    def hammer(offset: int) -> None:
        try:
            for n in range(5_000):
                key = (offset + n) % 32
                local.set(key, key)
                found = local.get(key)
                assert found is None or found == key
        except Exception as error:  # noqa: BLE001 - any error in a thread is the failure being tested for
            errors.append(error)

    threads = [threading.Thread(target=hammer, args=(offset,)) for offset in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_a_shared_page_puts_in_the_menu_and_every_csrf_token():
    csrf, account = page_cache.CSRF_PLACEHOLDER, page_cache.ACCOUNT_PLACEHOLDER
    page = page_cache.SharedPage.cut(f"<p>{csrf}</p><nav>{account}</nav><form>{csrf}</form>价格")
    menu = page_cache._cut(f"<a>me</a><form>{csrf}</form>")
    assert page.personal(menu, "TOKEN").decode() == (
        "<p>TOKEN</p><nav><a>me</a><form>TOKEN</form></nav><form>TOKEN</form>价格"
    )
    without_menu = page_cache.SharedPage.cut(f"<form>{csrf}</form>")
    assert without_menu.personal(menu, "TOKEN") == b"<form>TOKEN</form>"


def redis_ttl(key: str) -> int:
    from django.core.cache import cache

    return cache._cache.get_client(key).ttl(cache.make_and_validate_key(key))


def test_a_product_page_shows_an_order_taking_its_last_units_at_once(django_capture_on_commit_callbacks):
    from django.db import transaction

    from shops import stock

    product = make_product(title="最后一件", stock=2)
    sku = product.skus.get()
    visitor = Client()
    assert "Sold out" not in visitor.get(f"/p/{product.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        draws = stock.reserve([stock.StockRequest("line", sku.pk, 2)])
    assert "Sold out" in visitor.get(f"/p/{product.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        stock.release(draws["line"])
    assert "Sold out" not in visitor.get(f"/p/{product.pk}/").content.decode()


def test_only_the_canonical_product_page_outlives_the_fragment_ttl():
    from django.utils.translation import get_language

    product = make_product()
    Client().get(f"/p/{product.pk}/")
    Client().get(f"/p/{product.pk}/?from=ad")
    canonical = redis_ttl(caching.page_key(get_language(), f"/p/{product.pk}/"))
    with_query = redis_ttl(caching.page_key(get_language(), f"/p/{product.pk}/?from=ad"))
    assert caching.FRAGMENT_TTL < canonical <= caching.PRODUCT_PAGE_TTL
    assert 0 < with_query <= caching.FRAGMENT_TTL


def test_a_page_rendered_afresh_is_built_again_and_stored_for_the_next_visitor():
    product = make_product(title="重绘页")
    key = caching.page_key(get_language(), f"/p/{product.pk}/")
    caching.local_pages.pop(key)
    cache.set(key, "<p>cached by another process</p>", 60)
    client = Client()
    assert "cached by another process" in client.get(f"/p/{product.pk}/").content.decode()

    caching.local_pages.pop(key)
    with caching.rendered_afresh():
        assert "重绘页" in client.get(f"/p/{product.pk}/").content.decode()
    assert "重绘页" in cache.get(key)
    assert "重绘页" in client.get(f"/p/{product.pk}/").content.decode()
