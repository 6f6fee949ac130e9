"""The refund flow as a shopper meets it: the whole line by default, the instant-refund prediction before submitting
(from the evaluation the request uses), a pending refund shown on the order and not offered twice, and "return and
refund" only once something shipped."""

import re

import pytest
from django.urls import reverse

from refunds.models import RefundRequest
from refunds.services.requests import create_request
from tests.accounts.factories import UserFactory
from tests.refunds.helpers import key, ship, simple_paid

pytestmark = pytest.mark.django_db


def kind_options(html: str) -> list[str]:
    select = re.search(r'<select name="kind".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([a-z_]+)"', select)


def test_the_form_defaults_to_the_whole_line_and_predicts_an_instant_refund(client):
    shopper, suborder, line = simple_paid(price="100.00", quantity=2)
    client.force_login(shopper)
    page = client.get(reverse("refunds:new", args=[suborder.pk])).content.decode()
    assert re.search(rf'name="qty_{line.pk}" value="2"', page)
    assert 'data-testid="refund-prediction" data-instant="yes"' in page
    assert kind_options(page) == ["refund_only"]  # nothing shipped: nothing to return

    data = {"kind": "refund_only", "reason": "not_wanted", "idempotency_key": key(), f"qty_{line.pk}": "2"}
    assert client.post(reverse("refunds:new", args=[suborder.pk]), data).status_code == 302
    assert RefundRequest.objects.get().instant


def test_over_the_limit_the_form_says_the_store_reviews_it_and_the_request_agrees(client):
    shopper, suborder, line = simple_paid(price="300.00", quantity=2)  # ¥600 in a Taobao store: limit ¥500
    client.force_login(shopper)
    page = client.get(reverse("refunds:new", args=[suborder.pk])).content.decode()
    assert 'data-instant="no"' in page and "¥500.00" in page

    preview = client.post(
        reverse("refunds:preview", args=[suborder.pk]), {"kind": "refund_only", f"qty_{line.pk}": "1"}
    ).content.decode()
    assert 'data-instant="no"' in preview and "limit" in preview
    nothing = client.post(reverse("refunds:preview", args=[suborder.pk]), {"kind": "refund_only"}).content.decode()
    assert "data-instant" not in nothing

    data = {"kind": "refund_only", "reason": "not_wanted", "idempotency_key": key(), f"qty_{line.pk}": "1"}
    client.post(reverse("refunds:new", args=[suborder.pk]), data)
    assert not RefundRequest.objects.get().instant


def test_a_pending_refund_shows_on_the_order_and_is_not_offered_twice(client):
    shopper, suborder, line = simple_paid(price="300.00", quantity=2)
    client.force_login(shopper)
    order_page = reverse("orders:order_detail", args=[suborder.order.number])
    assert 'data-testid="request-refund"' in client.get(order_page).content.decode()

    create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 2}, reason="damaged",
                   idempotency_key=key())  # fmt: skip
    page = client.get(order_page).content.decode()
    assert 'data-testid="refund-in-progress"' in page
    assert 'data-testid="request-refund"' not in page

    form = client.get(reverse("refunds:new", args=[suborder.pk])).content.decode()
    assert 'data-testid="line-refund-pending"' in form and "already refunded" not in form


def test_return_and_refund_is_offered_once_shipped(client):
    shopper, suborder, line = simple_paid(price="100.00", quantity=1)
    ship(suborder)
    client.force_login(shopper)
    page = client.get(reverse("refunds:new", args=[suborder.pk])).content.decode()
    assert kind_options(page) == ["refund_only", "return_and_refund"]
    assert 'data-instant="no"' in page  # shipped: the store reviews it under the default policy


def test_the_api_previews_the_decision_the_request_will_make(api_client):
    shopper, suborder, line = simple_paid(price="300.00", quantity=2)
    api_client.force_authenticate(shopper)
    url = f"/api/v1/refunds/preview/{suborder.pk}/"
    answer = api_client.post(url, {"lines": [{"line": line.pk, "quantity": 1}]}, format="json")
    assert answer.status_code == 200
    body = answer.json()
    assert body["instant"] is False and body["reasons"][0]["code"] == "amount_over_limit"
    assert body["reasons"][0]["params"] == {"amount": "600.00", "limit": "500.00"} and body["reasons"][0]["message"]
    returning = api_client.post(url, {"lines": [{"line": line.pk, "quantity": 1}], "kind": "return_and_refund"},
                                format="json")  # fmt: skip
    assert returning.status_code == 400 and returning.json()["code"] == "nothing_to_return"
    too_many = api_client.post(url, {"lines": [{"line": line.pk, "quantity": 3}]}, format="json")
    assert too_many.status_code == 400 and too_many.json()["code"] == "over_refund"
    api_client.force_authenticate(UserFactory())
    assert api_client.post(url, {"lines": [{"line": line.pk, "quantity": 1}]}, format="json").status_code == 404


def test_changing_a_rejected_request_offers_return_and_refund_only_once_shipped(client):
    from refunds.services import review

    shopper, suborder, line = simple_paid(price="300.00", quantity=2)  # over the limit: the store reviews it
    refund = create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 2}, reason="damaged",
                            idempotency_key=key())  # fmt: skip
    owner = suborder.store.merchant.owner
    review.merchant_reject(refund.pk, actor=owner, store_ids=[suborder.store_id], reason="Not broken")
    client.force_login(shopper)
    page = client.get(reverse("refunds:detail", args=[refund.pk])).content.decode()
    modify = page.split('data-testid="modify-form"')[1].split("</form>")[0]
    assert kind_options(modify) == ["refund_only"]

    data = {"kind": "return_and_refund", "reason": "damaged", "idempotency_key": "modify", f"qty_{line.pk}": "2"}
    client.post(reverse("refunds:modify", args=[refund.pk]), data)
    refund.refresh_from_db()
    assert refund.status == RefundRequest.Status.REJECTED and refund.kind == "refund_only"
