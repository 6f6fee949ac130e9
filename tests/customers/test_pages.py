"""Workbench and storefront pages of customers: render, filter, mask, act; Chinese text present."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from customers.models import Customer, StoreFollow, TargetedCampaign
from customers.services import footprints
from customers.services.segments import recompute
from tests.accounts.factories import PASSWORD, UserFactory
from tests.customers.helpers import days_ago, paid_order, shopper_with_address, sku_in, staff
from tests.shops.factories import ProductFactory, StoreFactory, TmallStoreFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def world():
    store = StoreFactory()
    tmall = TmallStoreFactory(merchant=store.merchant)
    alice, address = shopper_with_address(username="alice-buyer", phone="13700001111")
    paid_order(alice, address, (sku_in(store, price="120.00"), 1))
    paid_order(alice, address, (sku_in(tmall, price="80.00"), 1))
    bob, bob_address = shopper_with_address(username="bob-buyer")
    paid_order(bob, bob_address, (sku_in(store, price="10.00"), 1), at=days_ago(200))
    recompute([store.merchant_id])
    return store, tmall, alice, bob


def test_customer_list_filters_searches_and_sorts(client, world):
    store, _tmall, alice, bob = world
    login(client, store.merchant.owner)

    page = client.get("/seller/customers/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="customer-row"') == 2
    new = client.get("/seller/customers/", {"segment": "new"}).content.decode()
    assert "alice-buyer" in new or str(alice) in new
    assert str(bob) not in new
    lost = client.get("/seller/customers/", {"segment": "lost"}).content.decode()
    assert str(bob) in lost and str(alice) not in lost
    found = client.get("/seller/customers/", {"q": "1111"}).content.decode()
    assert found.count('data-testid="customer-row"') == 1
    ordered = client.get("/seller/customers/", {"sort": "spend"}).content.decode()
    assert ordered.index(str(bob)) < ordered.index(str(alice))
    bad = client.get("/seller/customers/", {"segment": "vip"})
    assert bad.status_code == 200 and "Unknown segment" in bad.content.decode()


def test_customer_page_masks_contacts_for_staff_without_the_owner_role(client, world):
    store, tmall, alice, _bob = world
    customer = Customer.objects.get(shopper=alice)
    owner_view = login(client, store.merchant.owner).get(f"/seller/customers/{customer.pk}/").content.decode()
    assert "13700001111" in owner_view and "文一西路" in owner_view
    client.logout()
    service_view = login(client, staff(tmall)).get(f"/seller/customers/{customer.pk}/").content.decode()
    assert "13700001111" not in service_view and "137****1111" in service_view
    assert "文一西路" not in service_view
    client.logout()
    assert login(client, StoreFactory().merchant.owner).get(f"/seller/customers/{customer.pk}/").status_code == 404


def test_segments_page_shows_definitions_trend_and_saves_parameters(client, world):
    store, *_ = world
    login(client, store.merchant.owner)
    page = client.get("/seller/customers/segments/").content.decode()
    assert 'data-testid="segment-trend"' in page and "<svg" in page
    assert "First order within the last 30 days." in page
    saved = client.post("/seller/customers/segments/", {
        "new_days": 10, "regular_days": 180, "regular_min_orders": 2, "high_value_percent": 10,
        "at_risk_days": 90, "lost_days": 180,
    }, follow=True)  # fmt: skip
    assert "First order within the last 10 days." in saved.content.decode()
    refused = client.post("/seller/customers/segments/", {
        "new_days": 10, "regular_days": 180, "regular_min_orders": 2, "high_value_percent": 10,
        "at_risk_days": 90, "lost_days": 60,
    })  # fmt: skip
    assert refused.status_code == 200 and "must take more days" in refused.content.decode()
    with translation.override("zh-hans"):
        assert client.post("/seller/customers/recompute/").status_code == 302


def test_targeted_coupon_pages_create_and_send(client, world):
    store, *_ = world
    login(client, store.merchant.owner)
    assert client.get("/seller/targeted-coupons/new/").status_code == 200
    response = client.post("/seller/targeted-coupons/new/", {
        "name": "回头礼", "store": store.pk, "segment": "new", "off": "5.00", "threshold": "50.00",
        "valid_days": 30, "budget": 100, "per_shopper_limit": 1, "control_percent": 0,
    })  # fmt: skip
    campaign = TargetedCampaign.objects.get()
    assert response.status_code == 302
    detail = client.get(f"/seller/targeted-coupons/{campaign.pk}/").content.decode()
    assert "Customers matching now: 1" in detail
    client.post(f"/seller/targeted-coupons/{campaign.pk}/send/")
    campaign.refresh_from_db()
    assert campaign.status == "sent" and campaign.issued == 1
    assert 'data-testid="campaign-report"' in client.get(f"/seller/targeted-coupons/{campaign.pk}/").content.decode()
    client.logout()
    login(client, staff(store))  # customer service: no promotions
    assert client.get("/seller/targeted-coupons/").status_code == 403


def test_shopper_pages_follow_favourite_and_footprints(client):
    store = StoreFactory()
    product = ProductFactory(store=store)
    shopper = UserFactory()
    login(client, shopper)

    store_page = client.get(f"/s/{store.slug}/").content.decode()
    assert 'data-testid="follow-store"' in store_page
    assert client.post(f"/s/{store.slug}/follow/", {"next": f"/s/{store.slug}/"}).status_code == 302
    assert StoreFollow.objects.filter(shopper=shopper, store=store).exists()
    assert store.name in client.get("/me/follows/").content.decode()

    assert 'data-testid="favourite-product"' in client.get(f"/p/{product.pk}/").content.decode()
    client.post(f"/p/{product.pk}/favourite/", {"next": "https://evil.example/"})
    assert product.title in client.get("/me/favourites/").content.decode()

    footprints.record(shopper, product.pk)
    page = client.get("/me/footprints/").content.decode()
    assert product.title in page
    client.post("/me/footprints/clear/")
    assert product.title not in client.get("/me/footprints/").content.decode()
    client.post(f"/s/{store.slug}/follow/", {"action": "unfollow"})
    assert not StoreFollow.objects.exists()


def test_shopper_pages_need_a_login(client):
    for url in ("/me/follows/", "/me/favourites/", "/me/footprints/"):
        assert client.get(url).status_code == 302


def test_the_product_pages_store_card_shows_the_dsr_and_follows_the_store_with_the_visitors_token():
    from shops.models import StoreRating

    store = StoreFactory()
    StoreRating.objects.create(store=store, description="4.90", service="4.80", logistics="4.70", count=120)
    product = ProductFactory(store=store)
    shopper = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    login(browser, shopper)
    html = browser.get(f"/p/{product.pk}/").content.decode()
    card = html[html.index('data-testid="store-card"') :]
    card = card[: card.index("</section>")]
    assert 'data-testid="dsr-description"' in card and 'data-testid="follow-store"' in card
    assert f'action="/s/{store.slug}/follow/" id="follow-store"' in card
    # The body is cached for everyone; the token joins the form from the page around it.
    token = html.split('form="follow-store"')[0].rsplit('value="', 1)[1].split('"')[0]
    response = browser.post(f"/s/{store.slug}/follow/", {"next": f"/p/{product.pk}/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == f"/p/{product.pk}/"
    assert StoreFollow.objects.filter(shopper=shopper, store=store).exists()


@pytest.mark.parametrize("button", ["follow", "favourite"])
def test_a_visitor_pressing_follow_or_favourite_logs_in_and_comes_back_to_the_page(client, button):
    store = StoreFactory()
    product = ProductFactory(store=store)
    action = f"/s/{store.slug}/follow/" if button == "follow" else f"/p/{product.pk}/favourite/"
    response = client.post(action, {"next": f"/p/{product.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next=/p/{product.pk}/"
    shopper = UserFactory()
    back = client.post(response["Location"], {"username": shopper.username, "password": PASSWORD})
    assert back["Location"] == f"/p/{product.pk}/" and client.get(back["Location"]).status_code == 200
    from_elsewhere = Client().post(
        action, {"next": "https://evil.example/"}, HTTP_REFERER=f"http://testserver/s/{store.slug}/"
    )
    assert from_elsewhere["Location"] == f"/accounts/login/?next=http%3A//testserver/s/{store.slug}/"
