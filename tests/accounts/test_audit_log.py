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


def entry_by(operator, model: str) -> LogEntry:
    app_label, model_name = model.split(".")
    return LogEntry.objects.filter(
        actor=operator, content_type__app_label=app_label, content_type__model=model_name
    ).latest("timestamp")


def test_campaigns_coupons_policy_and_commission_decisions_record_the_operator():
    from django.utils import timezone

    operator = OperatorFactory()
    api = token_client(operator)
    now = timezone.now()
    campaign = api.post(
        "/api/v1/promotions/campaigns/",
        {"name": "审计满减", "starts_at": now.isoformat(), "ends_at": (now + timezone.timedelta(days=5)).isoformat(),
         "every": "300.00", "off": "50.00", "brands": ["TMALL"], "platform_share": "0.50", "budget": "10000.00"},
        content_type="application/json",
    )  # fmt: skip
    assert campaign.status_code == 201, campaign.content
    assert api.patch(
        f"/api/v1/promotions/campaigns/{campaign.json()['id']}/", {"budget": "8000.00"}, content_type="application/json"
    ).status_code == 200  # fmt: skip
    assert entry_by(operator, "promotions.campaign").changes_dict["budget"] == ["10000.00", "8000.00"]

    coupon = api.post(
        "/api/v1/promotions/platform-coupons/",
        {"kind": "red_packet", "name": "审计红包", "off": "5.00", "valid_days": 3, "total_quantity": 10},
        content_type="application/json",
    )
    assert coupon.status_code == 201, coupon.content
    created = entry_by(operator, "promotions.coupontemplate")
    assert created.action == LogEntry.Action.CREATE and created.object_id == coupon.json()["id"]

    rate = api.post(
        "/api/v1/ops/finance/commission-rates/", {"brand": "TMALL", "rate": "0.0300"}, content_type="application/json"
    )
    assert rate.status_code == 201, rate.content
    assert entry_by(operator, "settlement.commissionrate").object_id == rate.json()["id"]

    current = api.get("/api/v1/ops/refund-policy/").json()
    draft = api.post(
        "/api/v1/ops/refund-policy/versions/",
        {"rules": current["presets"]["earlier"], "note": "audit"},
        content_type="application/json",
    )
    assert draft.status_code == 201, draft.content
    assert api.post(f"/api/v1/ops/refund-policy/versions/{draft.json()['number']}/publish/").status_code == 200
    published = entry_by(operator, "refunds.refundpolicyversion")
    assert published.changes_dict["status"] == ["draft", "published"]


def test_hiding_a_review_and_showing_it_again_are_in_the_audit_log():
    from reviews.models import Review
    from tests.reviews.helpers import body, received_line

    shopper, _suborder, line = received_line()
    posted = token_client(shopper).post("/api/v1/reviews/", body(line), content_type="application/json")
    assert posted.status_code == 201, posted.content
    review_id = posted.json()["id"]
    operator = OperatorFactory(username="ops-reviews")
    api = token_client(operator)
    hide = f"/api/v1/ops/reviews/{review_id}/hide/"
    assert api.post(hide, {"reason": "广告"}, content_type="application/json").status_code == 200
    assert api.post(hide, {"hidden": False, "reason": "申诉成功"}, content_type="application/json").status_code == 200
    assert not Review.objects.get(pk=review_id).hidden

    rows = api.get("/api/v1/ops/audit/", {"model": "reviews.reviewmoderation", "actor": "ops-reviews"}).json()
    assert [(row["changes"]["action"][1], row["changes"]["reason"][1]) for row in rows["results"]] == [
        ("shown", "申诉成功"),
        ("hidden", "广告"),
    ]
    assert all(row["actor"] == "ops-reviews" and row["action"] == "create" for row in rows["results"])
