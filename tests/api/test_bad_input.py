"""Hostile or malformed client input gets a 4xx JSON answer, never a 500 or an HTML page."""

import io

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from livestream.models import CreatorPolicy
from marketplace.parsers import BoundedJSONParser, RequestTooLarge
from shops.models import SKU
from tests.accounts.factories import OperatorFactory, UserFactory
from tests.shops.factories import SKUFactory, StoreFactory


def token_client(user) -> Client:
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}", raise_request_exception=False)


@pytest.fixture
def shopper_client(db):
    return token_client(UserFactory())


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/cart/items/", "/api/v1/checkout/", "/api/v1/refunds/"])
@pytest.mark.parametrize("body", ["[" * 100_000, '{"a":' * 5_000 + "1" + "}" * 5_000, '{"sku": ' + "[" * 200 + "]" * 200 + "}"])  # fmt: skip
def test_deeply_nested_json_is_a_400_json_error(shopper_client, path, body):
    response = shopper_client.post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "nested" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])  # `make run` serves with DEBUG on: Django's page was an HTML 400
def test_a_body_over_the_size_limit_is_a_400_json_error(shopper_client, settings, debug):
    settings.DEBUG = debug
    body = '{"sku": 1, "note": "' + "x" * (10 * 1024 * 1024) + '"}'
    response = shopper_client.post("/api/v1/cart/items/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "request_too_large"


@pytest.mark.django_db
def test_a_form_body_over_the_size_limit_is_a_400_json_error_too(shopper_client):
    body = "note=" + "x" * (3 * 1024 * 1024)
    response = shopper_client.post("/api/v1/cart/items/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "request_too_large"


def test_a_json_body_without_a_length_is_bounded_by_the_parser(settings):
    """A chunked body announces no length, so the middleware cannot refuse it: the parser reads one byte past the
    limit and stops there."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = io.BytesIO(b'{"note": "' + b"x" * 10_000 + b'"}')
    with pytest.raises(RequestTooLarge) as refused:
        BoundedJSONParser().parse(body)
    assert refused.value.status_code == 400 and refused.value.detail["code"] == "request_too_large"
    assert body.tell() == 1025
    assert BoundedJSONParser().parse(io.BytesIO(b'{"note": "short"}')) == {"note": "short"}


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_api_path_is_a_json_404_even_with_debug_on(settings, debug):
    settings.DEBUG = debug
    response = Client(raise_request_exception=False).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_a_crash_in_an_api_view_is_a_json_500_even_with_debug_on(settings, monkeypatch, shopper_client, debug):
    from accounts.api import MeView

    settings.DEBUG = debug

    def crash(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(MeView, "get_object", crash)
    response = shopper_client.get("/api/v1/me/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "server_error" and "boom" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/payments/ab%00cd/", "/api/v1/payments/ab%01cd/", "/api/v1/payments/%ff%fe/"])
def test_nul_and_control_characters_in_a_path_parameter_are_a_404(shopper_client, path):
    response = shopper_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_nul_in_a_page_path_is_a_404_not_a_500():
    response = Client(raise_request_exception=False).get("/stores/ab%00cd/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_nul_in_a_query_parameter_is_a_400_json_error_not_a_500():
    operator = OperatorFactory()
    response = token_client(operator).get("/api/v1/ops/stores/?status=a%00b&q=x")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_query"
    assert token_client(operator).get("/api/v1/ops/stores/?status=open").status_code == 200


@pytest.mark.django_db
def test_nul_in_a_page_query_is_a_400():
    response = Client(raise_request_exception=False).get("/search/?q=a%00b")
    assert response.status_code == 400


@pytest.mark.django_db
def test_creator_policy_put_without_fields_is_a_400_naming_them():
    store = StoreFactory()
    response = token_client(store.merchant.owner).put(
        f"/api/v1/live/stores/{store.pk}/creator-policy/", {}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"allows_creators", "commission_rate"}
    assert not CreatorPolicy.objects.filter(store=store).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", [23252584456034, 2**31, -(2**63) - 1])
def test_an_integer_beyond_its_database_column_is_a_400(value):
    sku = SKUFactory()
    response = token_client(sku.product.store.merchant.owner).patch(
        f"/api/v1/seller/skus/{sku.pk}/", {"per_shopper_limit": value}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "per_shopper_limit" in response.json()
    sku.refresh_from_db()
    assert sku.per_shopper_limit is None
    assert SKU.objects.filter(pk=sku.pk, per_shopper_limit=None).exists()


@pytest.mark.django_db
def test_the_largest_value_the_column_holds_is_accepted():
    sku = SKUFactory()
    response = token_client(sku.product.store.merchant.owner).patch(
        f"/api/v1/seller/skus/{sku.pk}/", {"per_shopper_limit": 2**31 - 1}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    sku.refresh_from_db()
    assert sku.per_shopper_limit == 2**31 - 1
