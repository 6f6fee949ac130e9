"""Operator actions land in the audit log with who, when and what changed, shown in /ops/ and the API."""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from rest_framework.authtoken.models import Token

from shops import services
from shops.models import Brand, BrandAuthorization, Store
from tests.accounts.factories import OperatorFactory, UserFactory
from tests.shops.factories import MerchantFactory, StoreFactory

pytestmark = pytest.mark.django_db


def token_client(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")


def pending_authorization() -> BrandAuthorization:
    store = services.create_store(merchant=MerchantFactory(), name="审计旗舰店", brand=Brand.TMALL)
    return services.submit_brand_authorization(store=store, brand_name="审计", document_note="证书")


def test_a_brand_decision_through_the_api_records_the_operator_from_the_token():
    authorization = pending_authorization()
    operator = OperatorFactory()
    response = token_client(operator).post(
        f"/api/v1/ops/brand-authorizations/{authorization.pk}/decide/",
        {"decision": "reject", "reason": "证书过期"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    entry = LogEntry.objects.get_for_object(authorization).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == operator
    assert entry.changes_dict["status"] == ["pending", "rejected"]
    assert entry.timestamp is not None


def test_a_console_action_records_the_operator_and_what_changed():
    store = StoreFactory()
    operator = OperatorFactory()
    client = Client()
    client.force_login(operator)
    client.post(f"/ops/stores/{store.pk}/status/", {"action": "suspend"})
    assert Store.objects.get(pk=store.pk).status == Store.Status.SUSPENDED
    suspended = LogEntry.objects.get_for_object(store).filter(actor=operator).latest("timestamp")
    assert suspended.changes_dict["status"] == ["open", "suspended"]
    client.post(f"/ops/stores/{store.pk}/status/", {"action": "reinstate"})
    entry = LogEntry.objects.get_for_object(store).filter(actor=operator).latest("timestamp")
    assert entry.changes_dict["status"] == ["suspended", "open"]


def test_the_console_page_and_the_api_show_the_log_with_filters():
    authorization = pending_authorization()
    operator = OperatorFactory(username="ops-audit")
    token_client(operator).post(
        f"/api/v1/ops/brand-authorizations/{authorization.pk}/decide/",
        {"decision": "approve", "reason": ""},
        content_type="application/json",
    )
    client = Client()
    client.force_login(operator)
    page = client.get("/ops/audit/", {"model": "shops.brandauthorization", "actor": "ops-audit"})
    assert page.status_code == 200
    assert "审计" in page.content.decode() and "approved" in page.content.decode()
    assert client.get("/ops/audit/", {"actor": "someone-else"}).content.decode().count("<tr>") == 2  # head + empty

    rows = token_client(operator).get("/api/v1/ops/audit/", {"actor": "ops-audit", "action": "update"}).json()
    assert rows["count"] >= 1
    row = rows["results"][0]
    assert row["actor"] == "ops-audit" and row["model"] == "shops.brandauthorization"
    assert row["changes"]["status"] == ["pending", "approved"]


def test_only_operators_read_the_audit_log():
    shopper = UserFactory()
    assert token_client(shopper).get("/api/v1/ops/audit/").status_code == 403
    client = Client()
    client.force_login(shopper)
    assert client.get("/ops/audit/").status_code == 403
