"""The refunds API: shapes, errors as 4xx JSON, and scoping (404 for other people's data)."""

import pytest

from refunds.models import RefundPolicyVersion, RefundRequest
from refunds.services import policies
from tests.accounts.factories import OperatorFactory, UserFactory
from tests.refunds.helpers import key, simple_paid
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db
Status = RefundRequest.Status


def create(api_client, shopper, suborder, line, quantity=1, idem=None):
    api_client.force_authenticate(shopper)
    return api_client.post(
        "/api/v1/refunds/",
        {"suborder": suborder.pk, "lines": [{"line": line.pk, "quantity": quantity}], "reason": "not_wanted",
         "idempotency_key": idem or key()},
        format="json",
    )  # fmt: skip


def test_shopper_creates_reads_and_replays(api_client):
    shopper, suborder, line = simple_paid(price="100.00", quantity=2)
    first = create(api_client, shopper, suborder, line, idem="same")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == Status.APPROVED and body["amount"] == "100.00" and body["instant"]
    assert body["lines"] == [{"line": line.pk, "title": line.title, "sku_label": line.sku_label, "quantity": 1,
                              "amount": "100.00"}]  # fmt: skip
    replay = create(api_client, shopper, suborder, line, idem="same")
    assert replay.status_code == 200 and replay.json()["id"] == body["id"]
    assert api_client.get(f"/api/v1/refunds/{body['id']}/").json()["id"] == body["id"]
    assert [r["id"] for r in api_client.get("/api/v1/refunds/").json()["results"]] == [body["id"]]
    refundable = api_client.get(f"/api/v1/refunds/refundable/{suborder.pk}/").json()
    assert refundable[0]["refundable_quantity"] == 1 and refundable[0]["refundable_amount"] == "100.00"


def test_bad_input_is_a_clear_400_and_saves_nothing(api_client):
    shopper, suborder, line = simple_paid(quantity=2)
    response = create(api_client, shopper, suborder, line, quantity=5)
    assert response.status_code == 400 and response.json()["code"] == "over_refund"
    response = create(api_client, shopper, suborder, line, quantity=0)
    assert response.status_code == 400 and "lines" in response.json()
    response = api_client.post("/api/v1/refunds/", {"suborder": suborder.pk, "lines": [], "reason": "x"},
                               format="json")  # fmt: skip
    assert response.status_code == 400
    assert not RefundRequest.objects.exists()


def test_another_shopper_gets_404(api_client):
    shopper, suborder, line = simple_paid()
    refund_id = create(api_client, shopper, suborder, line).json()["id"]
    stranger = UserFactory()
    assert create(api_client, stranger, suborder, line).status_code == 404
    assert api_client.get(f"/api/v1/refunds/{refund_id}/").status_code == 404
    assert api_client.post(f"/api/v1/refunds/{refund_id}/withdraw/").status_code == 404
    assert api_client.get(f"/api/v1/refunds/refundable/{suborder.pk}/").status_code == 404


def test_anonymous_is_refused(api_client):
    assert api_client.get("/api/v1/refunds/").status_code in (401, 403)
    assert api_client.get("/api/v1/ops/refund-policy/").status_code in (401, 403)


def test_merchant_reviews_only_own_stores(api_client):
    shopper, suborder, line = simple_paid(price="300.00", quantity=2)
    refund_id = create(api_client, shopper, suborder, line, quantity=2).json()["id"]
    other = StoreFactory()
    api_client.force_authenticate(other.merchant.owner)
    assert api_client.get("/api/v1/seller/refunds/").json()["results"] == []
    assert api_client.get(f"/api/v1/seller/refunds/{refund_id}/").status_code == 404
    assert api_client.post(f"/api/v1/seller/refunds/{refund_id}/approve/").status_code == 404
    api_client.force_authenticate(suborder.store.merchant.owner)
    listed = api_client.get("/api/v1/seller/refunds/?status=pending_review").json()["results"]
    assert [r["id"] for r in listed] == [refund_id]
    no_reason = api_client.post(f"/api/v1/seller/refunds/{refund_id}/reject/", {"reason": " "}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "missing_reason"
    rejected = api_client.post(f"/api/v1/seller/refunds/{refund_id}/reject/", {"reason": "Worn"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["status"] == Status.REJECTED
    again = api_client.post(f"/api/v1/seller/refunds/{refund_id}/approve/")
    assert again.status_code == 409
    api_client.force_authenticate(shopper)
    escalated = api_client.post(f"/api/v1/refunds/{refund_id}/escalate/", {"note": "Not worn"}, format="json")
    assert escalated.json()["status"] == Status.ESCALATED
    api_client.force_authenticate(OperatorFactory())
    decided = api_client.post(f"/api/v1/ops/refunds/{refund_id}/decide/", {"decision": "reject", "note": "Worn"},
                              format="json")  # fmt: skip
    assert decided.status_code == 200 and decided.json()["status"] == Status.CLOSED


def test_operator_policy_api_validates_versions_and_dry_runs(api_client):
    simple_paid(price="300.00", quantity=1)
    api_client.force_authenticate(OperatorFactory())
    overview = api_client.get("/api/v1/ops/refund-policy/").json()
    assert overview["current"]["rules"]["brands"]["TAOBAO"]["max_suborder_amount"] == "500.00"
    assert overview["presets"]["earlier"]["brands"]["TMALL"]["max_hours_since_payment"] == "2"
    count = RefundPolicyVersion.objects.count()
    bad = api_client.post("/api/v1/ops/refund-policy/versions/",
                          {"rules": {"brands": {"TAOBAO": {"max_suborder_amount": "-5"}}}}, format="json")  # fmt: skip
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_policy"
    assert RefundPolicyVersion.objects.count() == count
    draft = api_client.post("/api/v1/ops/refund-policy/versions/", {"rules": overview["presets"]["earlier"],
                            "note": "back to 2h"}, format="json")  # fmt: skip
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    assert policies.current_version().number == overview["current"]["number"]
    dry = api_client.post("/api/v1/ops/refund-policy/dry-run/", {"rules": overview["presets"]["earlier"], "last": 5},
                          format="json")  # fmt: skip
    assert dry.status_code == 200
    assert dry.json()["rows"][0]["draft"]["reasons"][0]["code"] == "amount_over_limit"
    assert dry.json()["rows"][0]["current"]["instant"] is True
    published = api_client.post(f"/api/v1/ops/refund-policy/versions/{draft.json()['number']}/publish/")
    assert published.status_code == 200 and policies.current_version().number == draft.json()["number"]


def test_shopper_cannot_use_operator_endpoints(api_client):
    api_client.force_authenticate(UserFactory())
    assert api_client.get("/api/v1/ops/refunds/").status_code == 403
    assert api_client.post("/api/v1/ops/finance/settlement-runs/").status_code == 403


def test_policy_with_unknown_categories_is_refused(api_client):
    api_client.force_authenticate(OperatorFactory())
    count = RefundPolicyVersion.objects.count()
    response = api_client.post("/api/v1/ops/refund-policy/versions/",
                               {"rules": {"brands": {"TMALL": {"excluded_categories": [999999]}}}}, format="json")  # fmt: skip
    assert response.status_code == 400 and "999999" in response.json()["detail"]
    assert RefundPolicyVersion.objects.count() == count
