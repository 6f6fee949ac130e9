"""The sandbox gateway's signed callback: pays once, refuses forgeries and mismatches, refunds late payments."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from orders import services as order_services
from orders.models import Order, SubOrder
from payments import checks, services
from payments.gateway import SIGNATURE_HEADER, get_gateway, sign
from payments.models import GatewayRefund, JournalEntry, Payment, PaymentCallback
from tests.orders.helpers import buy, shopper_with_address, sku_in

D = Decimal
pytestmark = pytest.mark.django_db


def placed_order(price="120.00", quantity=1):
    user, address = shopper_with_address()
    order, _ = buy(user, address, (sku_in(price=price), quantity))
    return user, order


def body_for(payment, status="succeeded", amount=None) -> bytes:
    return json.dumps(
        {
            "reference": payment.reference,
            "status": status,
            "amount": amount or f"{payment.amount:.2f}",
            "transaction_id": "SBX1",
            "sent_at": "2026-01-01T00:00:00+00:00",
        },
        sort_keys=True,
    ).encode()


def deliver(body: bytes, signature: str | None = None):
    return services.handle_callback(body, sign(body) if signature is None else signature)


def escrow() -> Decimal:
    from payments import ledger

    return ledger.balance(ledger.ESCROW)


def test_signed_success_pays_the_order_posts_escrow_and_replay_changes_nothing():
    user, order = placed_order("120.00", 2)
    payment = services.start_payment(order, user)
    assert payment.amount == D("240.00") and payment.status == Payment.Status.PENDING
    result = deliver(body_for(payment))
    assert result.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.paid_at
    suborder = order.suborders.get()
    assert suborder.state == SubOrder.State.AWAITING_SHIPMENT and suborder.paid_at
    assert escrow() == D("240.00")
    entry = JournalEntry.objects.get(kind="payment")
    assert sorted(p.amount for p in entry.postings.all()) == [D("-240.00"), D("240.00")]

    again = deliver(body_for(payment))  # the gateway retries: acknowledged, nothing changes
    assert again.status_code == 200 and "already" in again.message
    assert JournalEntry.objects.count() == 1 and escrow() == D("240.00")
    assert suborder.events.filter(kind="paid").count() == 1
    assert checks.run_all() == []


def test_forged_signature_is_refused_and_changes_nothing():
    user, order = placed_order()
    payment = services.start_payment(order, user)
    body = body_for(payment)
    result = deliver(body, signature="0" * 64)
    assert result.status_code == 400
    tampered = body.replace(b'"succeeded"', b'"failed"')
    assert deliver(tampered, signature=sign(body)).status_code == 400
    assert deliver(body, signature="").status_code == 400
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT and payment.status == Payment.Status.PENDING
    assert not JournalEntry.objects.exists()
    assert PaymentCallback.objects.filter(accepted=False).count() == 3


def test_amount_mismatch_is_refused():
    user, order = placed_order("120.00")
    payment = services.start_payment(order, user)
    result = deliver(body_for(payment, amount="1.00"))  # correctly signed, but not what was asked
    assert result.status_code == 400 and "amount" in result.message
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT and not JournalEntry.objects.exists()


def test_unknown_reference_is_refused():
    body = json.dumps({"reference": "PAY-nope", "status": "succeeded", "amount": "1.00"}).encode()
    assert deliver(body).status_code == 400


def test_failed_payment_leaves_the_order_payable_and_a_new_attempt_works():
    user, order = placed_order()
    first = services.start_payment(order, user)
    assert deliver(body_for(first, status="failed")).status_code == 200
    first.refresh_from_db()
    assert first.status == Payment.Status.FAILED
    second = services.start_payment(order, user)
    assert second.pk != first.pk
    assert deliver(body_for(second)).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_late_callback_for_a_cancelled_order_is_refunded_through_the_gateway():
    user, order = placed_order("99.00")
    payment = services.start_payment(order, user)
    order_services.cancel_order(order, reason="Not paid within 30 minutes")
    result = deliver(body_for(payment))
    assert result.status_code == 200 and result.message.startswith("refunded")
    payment.refresh_from_db()
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert payment.status == Payment.Status.REFUNDED
    assert GatewayRefund.objects.get(payment=payment).amount == D("99.00")
    assert escrow() == D("0.00")
    assert order.suborders.get().events.filter(kind="payment_refunded").exists()
    deliver(body_for(payment))  # replay: no second refund
    assert GatewayRefund.objects.count() == 1
    assert checks.run_all() == []


def test_paying_a_cancelled_order_is_refused():
    user, order = placed_order()
    order_services.cancel_order(order, reason="changed my mind")
    from marketplace.api import DomainError

    with pytest.raises(DomainError) as exc:
        services.start_payment(order, user)
    assert exc.value.code == "order_cancelled"
    assert not Payment.objects.exists()


def test_callback_endpoint_over_http(client):
    user, order = placed_order()
    payment = services.start_payment(order, user)
    body = body_for(payment)
    url = reverse("payments-callback")
    bad = client.post(url, body, content_type="application/json", headers={SIGNATURE_HEADER: "bad"})
    assert bad.status_code == 400
    good = client.post(url, body, content_type="application/json", headers={SIGNATURE_HEADER: sign(body)})
    assert good.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_a_callback_carrying_nul_bytes_is_refused_and_recorded_not_a_server_error(client):
    body = b'{"reference": "x\x00y", "sent_at": "\xeb\x00Z"}'
    response = client.post(
        reverse("payments-callback"), body, content_type="application/json", headers={SIGNATURE_HEADER: "a\x00b"}
    )
    assert response.status_code == 400
    recorded = PaymentCallback.objects.get()
    assert "\x00" not in recorded.body and not recorded.accepted


def test_gateway_refund_is_idempotent_per_key_and_never_exceeds_the_payment():
    user, order = placed_order("100.00")
    payment = services.start_payment(order, user)
    deliver(body_for(payment))
    payment.refresh_from_db()
    gateway = get_gateway()
    first = gateway.refund(payment, D("30.00"), "refund-1")
    assert gateway.refund(payment, D("30.00"), "refund-1") == first
    from marketplace.api import DomainError

    with pytest.raises(DomainError):
        gateway.refund(payment, D("80.00"), "refund-2")  # 30 + 80 > 100
    with pytest.raises(DomainError):
        gateway.refund(payment, D("10.00"), "refund-1")  # same key, different refund
    assert GatewayRefund.objects.count() == 1


def test_check_ledger_command_passes_on_a_clean_ledger(capsys):
    user, order = placed_order()
    payment = services.start_payment(order, user)
    deliver(body_for(payment))
    call_command("check_ledger")
    assert "ledger OK" in capsys.readouterr().out
