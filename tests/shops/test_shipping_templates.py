"""Shipping templates (运费模板): managed from the workbench and the API, scoped to the merchant's own stores."""

from decimal import Decimal

import pytest

from shops.models import ShippingTemplate
from tests.shops.factories import ProductFactory, ShippingTemplateFactory, StoreFactory

D = Decimal
pytestmark = pytest.mark.django_db


def test_merchant_creates_a_template_with_regions_and_assigns_products_on_the_page(client):
    store = StoreFactory()
    mine, other = ProductFactory(store=store), ProductFactory(store=store)
    client.force_login(store.merchant.owner)
    response = client.post(
        "/seller/shipping/new/",
        {"name": "全国包邮", "mode": "free_over", "free_over": "99", "first_fee": "8", "additional_fee": "2",
         "regions": "新疆, 西藏 | 20 | 10 | remote", "is_default": "on", "products": [mine.pk]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    template = ShippingTemplate.objects.get(store=store)
    assert (template.mode, template.free_over, template.is_default) == ("free_over", D("99.00"), True)
    assert template.regions == [{"provinces": ["新疆", "西藏"], "first_fee": "20.00", "additional_fee": "10.00",
                                 "remote": True}]  # fmt: skip
    assert list(template.products.all()) == [mine] and other.shipping_template is None
    page = client.get("/seller/shipping/").content.decode()
    assert "全国包邮" in page and "新疆, 西藏" in page
    bad = client.post("/seller/shipping/new/", {"name": "x", "mode": "by_region", "first_fee": "1",
                                                "additional_fee": "1", "regions": "新疆 | 20"})  # fmt: skip
    assert bad.status_code == 200 and "Regions" in bad.content.decode()


def test_another_stores_template_is_a_404_on_the_page(client):
    store = StoreFactory()
    client.force_login(store.merchant.owner)
    foreign = ShippingTemplateFactory()
    assert client.get(f"/seller/shipping/{foreign.pk}/").status_code == 404
    assert client.post(f"/seller/shipping/{foreign.pk}/delete/").status_code == 404
    assert ShippingTemplate.objects.filter(pk=foreign.pk).exists()


def test_api_creates_updates_and_keeps_one_default(api_client):
    store = StoreFactory()
    product = ProductFactory(store=store)
    api_client.force_authenticate(store.merchant.owner)
    url = f"/api/v1/seller/stores/{store.pk}/shipping-templates/"
    body = {
        "name": "按地区",
        "mode": "by_region",
        "first_fee": "10.00",
        "additional_fee": "5.00",
        "regions": [{"provinces": ["黑龙江"], "first_fee": "15.00", "additional_fee": "8.00"}],
        "is_default": True,
        "products": [product.pk],
    }
    first = api_client.post(url, body, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["product_ids"] == [product.pk] and first.json()["regions"][0]["remote"] is False
    second = api_client.post(url, {**body, "name": "包邮", "mode": "free", "products": []}, format="json")
    assert second.status_code == 201
    defaults = ShippingTemplate.objects.filter(store=store, is_default=True)
    assert list(defaults.values_list("name", flat=True)) == ["包邮"]
    duplicate = api_client.post(url, {**body, "is_default": False}, format="json")
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "duplicate_template"
    no_amount = api_client.post(url, {**body, "name": "满额", "mode": "free_over"}, format="json")
    assert no_amount.status_code == 400 and no_amount.json()["code"] == "invalid_free_over"
    changed = api_client.patch(f"/api/v1/seller/shipping-templates/{first.json()['id']}/", {"first_fee": "12.00"},
                               format="json")  # fmt: skip
    assert changed.status_code == 200 and changed.json()["first_fee"] == "12.00"
    assert api_client.delete(f"/api/v1/seller/shipping-templates/{first.json()['id']}/").status_code == 204
    product.refresh_from_db()
    assert product.shipping_template is None


def test_api_refuses_other_merchants_stores_templates_and_products(api_client):
    store = StoreFactory()
    api_client.force_authenticate(store.merchant.owner)
    foreign_store, foreign = StoreFactory(), ShippingTemplateFactory()
    assert api_client.get(f"/api/v1/seller/stores/{foreign_store.pk}/shipping-templates/").status_code == 404
    assert api_client.patch(f"/api/v1/seller/shipping-templates/{foreign.pk}/", {"name": "x"}).status_code == 404
    assert api_client.delete(f"/api/v1/seller/shipping-templates/{foreign.pk}/").status_code == 404
    body = {"name": "t", "mode": "free", "products": [ProductFactory().pk]}
    refused = api_client.post(f"/api/v1/seller/stores/{store.pk}/shipping-templates/", body, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "unknown_product"
    assert not ShippingTemplate.objects.filter(store=store).exists()
