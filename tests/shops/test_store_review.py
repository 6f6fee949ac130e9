"""A new seller's first store waits for an operator; store names and descriptions are checked."""

import pytest

from shops.models import Merchant, Store
from tests.accounts.factories import OperatorFactory, UserFactory
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db


def open_first_store(api_client, user, **fields):
    api_client.force_authenticate(user)
    body = {"name": "山里好货", "brand": "TAOBAO", "merchant_name": f"{user.username} 的小店", **fields}
    return api_client.post("/api/v1/seller/stores/", body, format="json")


def test_a_shoppers_first_store_waits_for_an_operator_then_opens(api_client):
    shopper = UserFactory()
    created = open_first_store(api_client, shopper)
    assert created.status_code == 201, created.content
    store_id = created.json()["id"]
    assert created.json()["status"] == "pending"
    refused = api_client.post(f"/api/v1/seller/stores/{store_id}/open/")
    assert refused.status_code == 400 and refused.json()["code"] == "awaiting_approval"
    assert Store.objects.get(pk=store_id).status == Store.Status.PENDING

    api_client.force_authenticate(shopper)
    assert api_client.post(f"/api/v1/ops/stores/{store_id}/approve/").status_code == 403
    api_client.force_authenticate(OperatorFactory())
    approved = api_client.post(f"/api/v1/ops/stores/{store_id}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "open"
    assert Store.objects.get(pk=store_id).status == Store.Status.OPEN


def test_an_established_seller_opens_another_taobao_store_at_once(api_client):
    store = StoreFactory()
    created = open_first_store(api_client, store.merchant.owner, name="第二家店")
    assert created.status_code == 201 and created.json()["status"] == "open"


def test_the_operator_console_approves_a_pending_first_store(client, api_client):
    created = open_first_store(api_client, UserFactory()).json()
    client.force_login(OperatorFactory())
    page = client.get("/ops/stores/?status=pending")
    assert b'data-testid="approve-store"' in page.content
    client.post(f"/ops/stores/{created['id']}/status/", {"action": "reinstate"})
    assert Store.objects.get(pk=created["id"]).status == Store.Status.OPEN


@pytest.mark.parametrize(
    "name",
    ["bad\x00name", "tab\tname", "bell\x07", "right\u202eleft", "!!!", "★★★ ---", "店" * 61, "   "],
)
def test_garbage_store_names_are_refused(api_client, name):
    response = open_first_store(api_client, UserFactory(), name=name)
    assert response.status_code == 400
    assert not Store.objects.exists()
    assert not Merchant.objects.filter(stores__isnull=False).exists()


def test_control_characters_in_a_description_are_refused_but_line_breaks_are_fine(api_client):
    assert open_first_store(api_client, UserFactory(), description="a\x1b[31mred").status_code == 400
    ok = open_first_store(api_client, UserFactory(), name="好店 2", description="第一行\n第二行")
    assert ok.status_code == 201, ok.content


def test_renaming_a_store_is_checked_too(api_client):
    store = StoreFactory()
    api_client.force_authenticate(store.merchant.owner)
    response = api_client.patch(f"/api/v1/seller/stores/{store.pk}/", {"name": "..."}, format="json")
    assert response.status_code == 400
    store.refresh_from_db()
    assert store.name != "..."


def test_a_merchant_name_with_control_characters_is_refused(api_client):
    response = open_first_store(api_client, UserFactory(), merchant_name="好\x1b[31m商家")
    assert response.status_code == 400 and response.json()["code"] == "invalid_name"
    assert not Merchant.objects.exists() and not Store.objects.exists()
