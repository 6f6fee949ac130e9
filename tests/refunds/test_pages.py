"""Shopper, merchant and operator pages: render, act, and never show another party's data."""

import pytest
from django.urls import reverse

from refunds.models import RefundRequest
from refunds.services import policies
from tests.accounts.factories import PASSWORD, OperatorFactory, UserFactory
from tests.refunds.helpers import key, simple_paid
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db
Status = RefundRequest.Status


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_shopper_requests_a_refund_from_the_form(client):
    shopper, suborder, line = simple_paid(price="200.00", quantity=2)
    login(client, shopper)
    page = client.get(reverse("refunds:new", args=[suborder.pk]))
    assert page.status_code == 200 and b'data-testid="refund-form"' in page.content
    data = {"kind": "refund_only", "reason": "not_wanted", "idempotency_key": key(), f"qty_{line.pk}": "1"}
    response = client.post(reverse("refunds:new", args=[suborder.pk]), data)
    refund = RefundRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("refunds:detail", args=[refund.pk])
    assert refund.amount == 200 and refund.status == Status.APPROVED
    detail = client.get(response["Location"])
    assert b'hx-trigger="every 1s"' in detail.content  # polls until refunded
    again = client.post(reverse("refunds:new", args=[suborder.pk]), data)  # double submit: the same request
    assert again.status_code == 302 and RefundRequest.objects.count() == 1


def test_refund_form_errors_are_shown_and_nothing_is_saved(client):
    shopper, suborder, line = simple_paid(quantity=2)
    login(client, shopper)
    data = {"kind": "refund_only", "reason": "not_wanted", "idempotency_key": key(), f"qty_{line.pk}": "3"}
    response = client.post(reverse("refunds:new", args=[suborder.pk]), data)
    assert response.status_code == 400
    data[f"qty_{line.pk}"] = "0"
    response = client.post(reverse("refunds:new", args=[suborder.pk]), data)
    assert response.status_code == 400 and b"Choose at least one item" in response.content
    assert not RefundRequest.objects.exists()


def test_another_shoppers_suborder_and_refund_are_404(client):
    shopper, suborder, line = simple_paid(price="300.00", quantity=2)
    login(client, shopper)
    client.post(reverse("refunds:new", args=[suborder.pk]),
                {"kind": "refund_only", "reason": "not_wanted", "idempotency_key": key(), f"qty_{line.pk}": "1"})  # fmt: skip
    refund = RefundRequest.objects.get()
    login(client, UserFactory())
    assert client.get(reverse("refunds:new", args=[suborder.pk])).status_code == 404
    assert client.get(reverse("refunds:detail", args=[refund.pk])).status_code == 404
    assert client.post(reverse("refunds:withdraw", args=[refund.pk])).status_code == 404


def pending(price="300.00"):
    shopper, suborder, line = simple_paid(price=price, quantity=2)
    from refunds.services.requests import create_request

    return create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 2}, reason="damaged",
                          idempotency_key=key())  # fmt: skip


def test_merchant_workbench_approves_and_rejects_with_a_reason(client):
    refund = pending()
    merchant = refund.store.merchant.owner
    login(client, merchant)
    listing = client.get(reverse("refunds:seller_list"))
    assert listing.status_code == 200 and refund.suborder.number.encode() in listing.content
    response = client.post(reverse("refunds:seller_reject", args=[refund.pk]), {"reason": "  "})
    assert response.status_code == 400
    refund.refresh_from_db()
    assert refund.status == Status.PENDING_REVIEW
    client.post(reverse("refunds:seller_reject", args=[refund.pk]), {"reason": "Used item"})
    refund.refresh_from_db()
    assert refund.status == Status.REJECTED and refund.rejection_reason == "Used item"

    second = pending()
    login(client, second.store.merchant.owner)
    client.post(reverse("refunds:seller_approve", args=[second.pk]))
    second.refresh_from_db()
    assert second.status == Status.APPROVED


def test_merchant_cannot_see_another_stores_refund(client):
    refund = pending()
    other = StoreFactory()
    login(client, other.merchant.owner)
    assert client.get(reverse("refunds:seller_detail", args=[refund.pk])).status_code == 404
    assert client.post(reverse("refunds:seller_approve", args=[refund.pk])).status_code == 404
    assert refund.suborder.number.encode() not in client.get(reverse("refunds:seller_list") + "?show=all").content


def test_operator_decides_an_escalated_refund(client):
    from refunds.services import review

    refund = pending()
    review.merchant_reject(refund.pk, actor=refund.store.merchant.owner, store_ids=[refund.store_id], reason="No")
    review.escalate(refund.pk, shopper=refund.shopper, note="Broken")
    operator = OperatorFactory()
    login(client, operator)
    assert refund.suborder.number.encode() in client.get(reverse("refunds:ops_list")).content
    assert (
        client.post(reverse("refunds:ops_decide", args=[refund.pk]), {"decision": "approve", "note": ""}).status_code
        == 400
    )
    client.post(reverse("refunds:ops_decide", args=[refund.pk]), {"decision": "approve", "note": "Photos"})
    refund.refresh_from_db()
    assert refund.status == Status.APPROVED


def test_shopper_cannot_use_the_console(client):
    login(client, UserFactory())
    assert client.get(reverse("refunds:ops_policy")).status_code == 403


def policy_post(**overrides):
    data = {
        "TMALL_enabled": "on", "TMALL_unshipped_only": "on", "TMALL_max_suborder_amount": "",
        "TMALL_max_hours_since_payment": "", "TAOBAO_enabled": "on", "TAOBAO_unshipped_only": "on",
        "TAOBAO_max_suborder_amount": "500.00", "TAOBAO_max_hours_since_payment": "",
        "unshipped_review_hours": "24", "shipped_review_hours": "36", "rejected_response_days": "5",
        "return_shipment_days": "7", "return_receipt_days": "10", "note": "test", "action": "publish",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_operator_edits_the_policy_with_validation_dry_run_and_history(client):
    simple_paid(price="300.00", quantity=1)
    login(client, OperatorFactory())
    page = client.get(reverse("refunds:ops_policy") + "?preset=earlier")
    assert page.status_code == 200 and b'value="200.00"' in page.content
    before = policies.current_version()
    bad = client.post(reverse("refunds:ops_policy"), policy_post(TAOBAO_max_suborder_amount="-1"))
    assert bad.status_code == 400 and b"A limit cannot be negative." in bad.content
    assert policies.current_version() == before
    dry = client.post(reverse("refunds:ops_policy"), policy_post(action="dry_run", TAOBAO_max_suborder_amount="100",
                      last="10"), HTTP_HX_REQUEST="true")  # fmt: skip
    assert dry.status_code == 200 and b'data-testid="dry-run-row"' in dry.content
    assert b"instant-refund limit" in dry.content
    published = client.post(reverse("refunds:ops_policy"), policy_post(TAOBAO_max_suborder_amount="800.00"))
    assert published.status_code == 302
    current = policies.current_version()
    assert current.number == before.number + 1 and current.rules["brands"]["TAOBAO"]["max_suborder_amount"] == "800.00"
    history = client.get(reverse("refunds:ops_policy_history"))
    assert b"brands.TAOBAO.max_suborder_amount" in history.content


def test_pages_render_for_each_role(client):
    refund = pending()
    login(client, refund.shopper)
    for name in ("refunds:list",):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("refunds:detail", args=[refund.pk])).status_code == 200
    assert client.get(reverse("refunds:status", args=[refund.pk])).status_code == 200
    login(client, refund.store.merchant.owner)
    assert client.get(reverse("refunds:seller_detail", args=[refund.pk])).status_code == 200
    login(client, OperatorFactory())
    for name in ("refunds:ops_list", "refunds:ops_policy", "refunds:ops_policy_history"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("refunds:ops_detail", args=[refund.pk])).status_code == 200
    assert client.get(reverse("refunds:ops_policy_version", args=[1])).status_code == 200


def test_seller_order_detail_lists_its_refunds(client):
    refund = pending()
    login(client, refund.store.merchant.owner)
    page = client.get(reverse("orders:seller_order_detail", args=[refund.suborder_id]))
    assert page.status_code == 200
    assert reverse("refunds:seller_detail", args=[refund.pk]).encode() in page.content
