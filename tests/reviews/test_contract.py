"""The contract of issue 17: POST /api/v1/reviews/, the product's review list, the store's dsr."""

import pytest

from refunds.models import RefundRequest
from reviews import dsr
from reviews.models import Review
from tests.accounts.factories import UserFactory
from tests.reviews.helpers import DSR, body, received_line, shipped_line

pytestmark = pytest.mark.django_db


def test_buyer_reviews_a_received_line(api_client):
    shopper, suborder, line = received_line()
    api_client.force_authenticate(shopper)
    response = api_client.post("/api/v1/reviews/", body(line, rating=4), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["line"] == line.pk and data["rating"] == 4 and data["dsr"] == DSR
    assert data["product"] == line.sku.product_id and data["store"] == suborder.store_id
    assert data["author"] == shopper.username and data["photos"] == [] and data["reply"] is None


def test_repeated_review_is_400(api_client):
    shopper, _suborder, line = received_line()
    api_client.force_authenticate(shopper)
    assert api_client.post("/api/v1/reviews/", body(line), format="json").status_code == 201
    again = api_client.post("/api/v1/reviews/", body(line, rating=1), format="json")
    assert again.status_code == 400 and again.json()["code"] == "already_reviewed"
    assert Review.objects.get(line=line).rating == 5


def test_not_yet_received_is_400(api_client):
    shopper, _suborder, line = shipped_line()
    api_client.force_authenticate(shopper)
    response = api_client.post("/api/v1/reviews/", body(line), format="json")
    assert response.status_code == 400 and response.json()["code"] == "not_received"
    assert not Review.objects.exists()


def test_another_shopper_gets_404(api_client):
    _shopper, _suborder, line = received_line()
    api_client.force_authenticate(UserFactory())
    response = api_client.post("/api/v1/reviews/", body(line), format="json")
    assert response.status_code == 404
    missing = api_client.post("/api/v1/reviews/", {**body(line), "line": 999999}, format="json")
    assert missing.status_code == 404 and missing.json() == response.json()


def test_anonymous_visitor_cannot_post(api_client):
    _shopper, _suborder, line = received_line()
    assert api_client.post("/api/v1/reviews/", body(line), format="json").status_code in (401, 403)


@pytest.mark.parametrize(
    "change",
    [
        {"rating": 0},
        {"rating": 6},
        {"rating": "x"},
        {"rating": 4.5},
        {"dsr": {"description": 5, "service": 9, "logistics": 5}},
        {"dsr": {"description": 5}},
        {"dsr": "nope"},
        {"text": "x" * 501},
        {"text": 12},
        {"line": "abc"},
        {"line": None},
    ],
)
def test_bad_input_is_400_and_saves_nothing(api_client, change):
    shopper, _suborder, line = received_line()
    api_client.force_authenticate(shopper)
    response = api_client.post("/api/v1/reviews/", {**body(line), **change}, format="json")
    assert response.status_code == 400, response.content
    assert "detail" in response.json()
    assert not Review.objects.exists()


def test_refunded_line_is_refused(api_client):
    shopper, suborder, line = received_line()
    refund = RefundRequest.objects.create(
        suborder=suborder, store=suborder.store, shopper=shopper, reason="damaged", amount=line.payable,
        status=RefundRequest.Status.REFUNDED, policy_version=_policy(), idempotency_key="k",
    )  # fmt: skip
    refund.lines.create(order_line=line, quantity=1, amount=line.payable)
    api_client.force_authenticate(shopper)
    response = api_client.post("/api/v1/reviews/", body(line), format="json")
    assert response.status_code == 400 and response.json()["code"] == "line_refunded"


def test_a_refund_that_was_closed_does_not_block(api_client):
    shopper, suborder, line = received_line()
    refund = RefundRequest.objects.create(
        suborder=suborder, store=suborder.store, shopper=shopper, reason="damaged", amount=line.payable,
        status=RefundRequest.Status.CLOSED, policy_version=_policy(), idempotency_key="k",
    )  # fmt: skip
    refund.lines.create(order_line=line, quantity=1, amount=line.payable)
    api_client.force_authenticate(shopper)
    assert api_client.post("/api/v1/reviews/", body(line), format="json").status_code == 201


def _policy():
    from refunds.services import policies

    return policies.current_version()


def test_product_reviews_newest_first_and_escaped_text_kept(api_client):
    shopper, _suborder, line = received_line()
    other_shopper, _s, other_line = received_line(sku=line.sku)
    _elsewhere, _s2, unrelated = received_line()
    ids = []
    for buyer, bought in ((shopper, line), (other_shopper, other_line), (_elsewhere, unrelated)):
        api_client.force_authenticate(buyer)
        ids.append(api_client.post("/api/v1/reviews/", body(bought), format="json").json()["id"])
    api_client.force_authenticate(None)
    listing = api_client.get(f"/api/v1/products/{line.sku.product_id}/reviews/")
    assert listing.status_code == 200
    results = listing.json()["results"]
    assert [r["id"] for r in results] == [ids[1], ids[0]]
    assert results[0]["text"] == "好评 <b>great</b>"  # stored as typed; pages escape it
    assert api_client.get("/api/v1/products/999999/reviews/").status_code == 404


def test_store_detail_dsr_null_below_floor_then_two_decimals(api_client):
    shopper, suborder, line = received_line()
    store = suborder.store
    api_client.force_authenticate(shopper)
    api_client.post("/api/v1/reviews/", body(line), format="json")
    dsr.recompute([store.pk])
    api_client.force_authenticate(None)
    shown = api_client.get(f"/api/v1/stores/{store.slug}/").json()["dsr"]
    assert shown == {"description": None, "service": None, "logistics": None, "count": 1}
    for index in range(9):
        buyer, _s, other = received_line(store=store)
        api_client.force_authenticate(buyer)
        scores = {"description": 4, "service": 3 + index % 3, "logistics": 5}
        assert api_client.post("/api/v1/reviews/", body(other, dsr=scores), format="json").status_code == 201
    dsr.recompute([store.pk])
    api_client.force_authenticate(None)
    shown = api_client.get(f"/api/v1/stores/{store.slug}/").json()["dsr"]
    # description: 5 + 9*4 = 41/10; service: 4 + (3+4+5)*3 = 40/10; logistics 50/10.
    assert shown == {"description": 4.1, "service": 4.0, "logistics": 5.0, "count": 10}


def test_store_without_ratings_shows_empty_dsr(api_client):
    _shopper, suborder, _line = received_line()
    data = api_client.get(f"/api/v1/stores/{suborder.store.slug}/").json()
    assert data["dsr"] == {"description": None, "service": None, "logistics": None, "count": 0}
