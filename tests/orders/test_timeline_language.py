"""Timelines and refund-policy reasons are stored as codes with parameters and read in the reader's language: every
registered event kind and reason renders in Chinese on a 简体中文 page (a string equal to its English rendering, or
with no Chinese in it, is untranslated), and plural strings are translated too."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from orders import events
from refunds import reasons
from refunds.services.requests import create_request
from tests.refunds.helpers import key, simple_paid

SAMPLE = {
    "minutes": "30", "carrier": "SF", "outlet": "Outlet 1", "days": "10", "amount": "519.99", "reason": "not_wanted",
    "note": "n", "number": "SF1", "status": "cancelled", "limit": "500.00", "hours": "2",
}  # fmt: skip
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def in_both(render):
    with translation.override("en"):
        english = render()
    with translation.override("zh-hans"):
        chinese = render()
    return english, chinese


def untranslated(renders: dict) -> list[str]:
    missing = []
    for name, render in renders.items():
        english, chinese = in_both(render)
        if chinese == english or not CHINESE.search(chinese):
            missing.append(f"{name}: {chinese!r}")
    return missing


def test_every_event_kind_and_reason_renders_in_chinese():
    renders = {f"kind {kind}": (lambda kind=kind: events.kind_label(kind)) for kind in events.KIND_LABELS}
    renders |= {
        f"reason {code}": (lambda code=code: events.render_reason(code, SAMPLE)) for code in events.REASON_TEXTS
    }
    assert {"refund_requested", "approved_by_policy", "settled_to_store", "payment_arrived_late"} <= set(
        events.REASON_TEXTS
    )  # the apps registered theirs
    assert untranslated(renders) == []


def test_every_policy_reason_renders_in_chinese():
    renders = {}
    for code in reasons.REASON_TEXT:
        reason = {"code": code, "params": SAMPLE}
        renders[f"reason {code}"] = lambda reason=reason: reasons.reason_message(reason)
        renders[f"short {code}"] = lambda reason=reason: reasons.reason_short(reason)
    assert untranslated(renders) == []


def test_plural_strings_are_translated():
    plurals = {
        "products": ("%(counter)s product", "%(counter)s products"),
        "stores": ("%(counter)s store", "%(counter)s stores"),
        "attempts": ("%(counter)s failed payment attempt", "%(counter)s failed payment attempts"),
    }
    renders = {name: (lambda pair=pair: ngettext(*pair, 35) % {"counter": 35}) for name, pair in plurals.items()}
    assert untranslated(renders) == []


@pytest.mark.django_db
def test_a_refunded_order_reads_in_chinese(client):
    shopper, suborder, line = simple_paid(price="100.00", quantity=1)
    create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 1}, reason="not_wanted",
                   idempotency_key=key())  # fmt: skip
    client.force_login(shopper)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("orders:order_detail", args=[suborder.order.number])).content.decode()
    for english in ("Order placed", "Payment received", "requested: No longer wanted", "Approved instantly"):
        assert english not in page
    assert "申请退款 ¥100.00：不想要了" in page


def test_old_english_reasons_become_codes_with_parameters():
    import importlib

    migration = importlib.import_module("orders.migrations.0005_event_reasons_to_codes")
    assert migration.to_code("Refund of 519.99 requested: No longer wanted") == (
        "refund_requested",
        {"amount": "519.99", "reason": "not_wanted"},
    )
    assert migration.to_code("Payment received") == ("payment_received", {})
    assert migration.to_code("Shipped with SF Express") == ("shipped_with", {"carrier": "SF Express"})
    assert migration.to_code("The merchant approved the refund · waiting for the shopper to send the goods back") == (
        "merchant_approved",
        {"_also": ["waiting_for_return"]},
    )
    assert migration.to_code("something a person typed") is None
    with translation.override("zh-hans"):
        assert events.render_reason(*migration.to_code("Refund of 519.99 requested: No longer wanted")) == (
            "申请退款 ¥519.99：不想要了"
        )


@pytest.mark.django_db
def test_the_api_gives_event_codes_and_words_in_the_request_language(api_client):
    shopper, suborder, _line = simple_paid(price="100.00", quantity=1)
    api_client.force_authenticate(shopper)
    body = api_client.get(f"/api/v1/orders/{suborder.order.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    paid = next(event for event in body["suborders"][0]["events"] if event["kind"] == "paid")
    assert paid["reason_code"] == "payment_received" and paid["reason_params"] == {}
    assert CHINESE.search(paid["reason"]) and CHINESE.search(paid["label"])
