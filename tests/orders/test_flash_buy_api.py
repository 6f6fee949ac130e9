"""The flash-sale buy API as a token client meets it: answered from Redis alone (no SQL), with the same answers,
token checks and address rules as the full DRF way."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orders import flash, flash_orders
from tests.accounts.factories import AddressFactory
from tests.orders.helpers import shopper_with_address, sku_in


@pytest.fixture(autouse=True)
def no_writer(monkeypatch):
    monkeypatch.setattr(flash_orders, "schedule_writer", lambda sku_id: None)


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def buy(client, sku, address_id, key=None, **extra):
    body = {"idempotency_key": key or uuid.uuid4().hex, "address": address_id, **extra}
    return client.post(f"/api/v1/flash/{sku.pk}/buy/", body, format="json")


@pytest.mark.django_db
def test_buyers_who_opened_the_sale_are_answered_without_sql(armed):
    sku = sku_in(stock=1)
    armed(sku)
    first, first_address = shopper_with_address()
    late, late_address = shopper_with_address()
    first_client, late_client = token_client(first), token_client(late)
    sale = first_client.get(f"/api/v1/flash/{sku.pk}/").json()
    assert sale["units_left"] == 1 and [a["id"] for a in sale["addresses"]] == [first_address.pk]
    late_client.get(f"/api/v1/flash/{sku.pk}/")
    with CaptureQueriesContext(connection) as queries:
        admitted = buy(first_client, sku, first_address.pk, key="k1")
        again = buy(first_client, sku, first_address.pk, key="k1")
        refused = buy(late_client, sku, late_address.pk)
    assert len(queries.captured_queries) == 0
    assert admitted.status_code == 202 and admitted.json()["status"] == "queued"
    assert admitted.json() == {"ticket": admitted.json()["ticket"], "status": "queued", "sku": sku.pk, "units": 1}
    assert again.status_code == 200 and again.json()["ticket"] == admitted.json()["ticket"]
    assert refused.status_code == 409 and refused.json()["code"] == "out_of_stock"
    flash_orders.write_queued(sku.pk)
    placed = buy(first_client, sku, first_address.pk, key="k1")
    assert placed.status_code == 200 and placed.json()["status"] == "placed" and placed.json()["ticket"] is None
    assert flash.reconcile(sku.pk).agrees


@pytest.mark.django_db
def test_a_revoked_token_is_refused_at_once_and_takes_nothing(armed):
    sku = sku_in(stock=5)
    armed(sku)
    user, address = shopper_with_address()
    client = token_client(user)
    assert buy(client, sku, address.pk).status_code == 202  # this process now remembers the token's user
    Token.objects.filter(user=user).delete()
    assert buy(client, sku, address.pk).status_code in (401, 403)  # as DRF answers a bad token
    other, other_address = shopper_with_address()
    other_client = token_client(other)
    assert buy(other_client, sku, other_address.pk).status_code == 202
    other.is_active = False
    other.save()  # deactivated: the token's cache entry goes, and the remembered user with it
    assert buy(other_client, sku, other_address.pk).status_code in (401, 403)
    assert flash.client().get(flash.key(sku.pk)) == b"3"


@pytest.mark.django_db
def test_only_the_shoppers_own_addresses_are_accepted_even_when_added_during_the_sale(armed):
    sku = sku_in(stock=5)
    armed(sku)
    user, address = shopper_with_address()
    client = token_client(user)
    client.get(f"/api/v1/flash/{sku.pk}/")
    foreign = buy(client, sku, AddressFactory().pk)
    assert foreign.status_code == 400 and foreign.json()["code"] == "invalid_address"
    added = AddressFactory(user=user)  # after the sale page was opened
    assert buy(client, sku, added.pk).status_code == 202
    address.delete()
    assert buy(client, sku, address.pk).json()["code"] == "invalid_address"
    assert flash.client().get(flash.key(sku.pk)) == b"4"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, code",
    [
        ({"quantity": 0}, "invalid_quantity"),
        ({"quantity": 1.5}, "invalid"),
        ({"address": "x"}, "invalid_address"),
        ({"address": 2**70}, "invalid_address"),
        ({"idempotency_key": "a\x00b"}, "invalid"),
        ({"idempotency_key": ""}, "invalid_key"),
        ({"source": ["live"]}, "invalid"),
    ],
)
def test_bad_input_is_a_400_and_takes_nothing(armed, body, code):
    sku = sku_in(stock=2)
    armed(sku)
    user, address = shopper_with_address()
    client = token_client(user)
    answer = client.post(
        f"/api/v1/flash/{sku.pk}/buy/", {"idempotency_key": "k", "address": address.pk, **body}, format="json"
    )
    assert answer.status_code == 400 and answer.json()["code"] == code
    not_an_object = client.post(f"/api/v1/flash/{sku.pk}/buy/", [1, 2], format="json")
    assert not_an_object.status_code == 400
    assert flash.client().get(flash.key(sku.pk)) == b"2"


@pytest.mark.django_db
def test_the_sale_api_is_for_signed_in_shoppers_and_only_while_a_sale_is_on(armed):
    sku = sku_in(stock=2)
    assert APIClient().get(f"/api/v1/flash/{sku.pk}/").status_code in (401, 403)
    user, _address = shopper_with_address()
    client = token_client(user)
    assert client.get(f"/api/v1/flash/{sku.pk}/").status_code == 404
    armed(sku)
    assert client.get(f"/api/v1/flash/{sku.pk}/").json()["units_left"] == 2
