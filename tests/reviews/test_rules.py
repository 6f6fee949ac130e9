"""Review windows (time-machine), follow-ups, merchant replies, operator hiding and who may do what."""

import datetime

import pytest
import time_machine

from reviews.models import Review, ReviewModeration
from shops.models import StaffRole, StoreStaff
from tests.accounts.factories import OperatorFactory, UserFactory
from tests.reviews.helpers import body, received_line
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db


def post(api_client, user, data):
    api_client.force_authenticate(user)
    return api_client.post("/api/v1/reviews/", data, format="json")


def test_review_window_is_15_days_after_receipt(api_client):
    shopper, suborder, line = received_line()
    _same, _s, second = received_line(sku=line.sku)
    received = suborder.received_at
    with time_machine.travel(received + datetime.timedelta(days=15, minutes=-1), tick=False):
        assert post(api_client, shopper, body(line)).status_code == 201
    second.suborder.refresh_from_db()
    with time_machine.travel(second.suborder.received_at + datetime.timedelta(days=15, minutes=1), tick=False):
        late = post(api_client, _same, body(second))
    assert late.status_code == 400 and late.json()["code"] == "review_window_closed"


def test_followup_once_within_180_days(api_client):
    shopper, _suborder, line = received_line()
    review_id = post(api_client, shopper, body(line)).json()["id"]
    created = Review.objects.get(pk=review_id).created_at
    with time_machine.travel(created + datetime.timedelta(days=179), tick=False):
        ok = api_client.post(f"/api/v1/reviews/{review_id}/followup/", {"text": "用了半年, 还好"}, format="json")
        assert ok.status_code == 200 and ok.json()["followup"]["text"] == "用了半年, 还好"
        again = api_client.post(f"/api/v1/reviews/{review_id}/followup/", {"text": "again"}, format="json")
        assert again.status_code == 400 and again.json()["code"] == "already_followed_up"


def test_followup_after_180_days_is_refused(api_client):
    shopper, _suborder, line = received_line()
    review_id = post(api_client, shopper, body(line)).json()["id"]
    created = Review.objects.get(pk=review_id).created_at
    with time_machine.travel(created + datetime.timedelta(days=180, hours=1), tick=False):
        late = api_client.post(f"/api/v1/reviews/{review_id}/followup/", {"text": "late"}, format="json")
    assert late.status_code == 400 and late.json()["code"] == "followup_window_closed"


def test_only_the_author_follows_up(api_client):
    shopper, _suborder, line = received_line()
    review_id = post(api_client, shopper, body(line)).json()["id"]
    api_client.force_authenticate(UserFactory())
    response = api_client.post(f"/api/v1/reviews/{review_id}/followup/", {"text": "x"}, format="json")
    assert response.status_code == 404


def test_store_replies_once_and_other_merchant_cannot(api_client):
    shopper, suborder, line = received_line()
    review_id = post(api_client, shopper, body(line)).json()["id"]
    other_owner = StoreFactory().merchant.owner
    api_client.force_authenticate(other_owner)
    assert (
        api_client.post(f"/api/v1/seller/reviews/{review_id}/reply/", {"text": "hi"}, format="json").status_code == 404
    )
    assert api_client.get("/api/v1/seller/reviews/").json()["results"] == []
    owner = suborder.store.merchant.owner
    api_client.force_authenticate(owner)
    listed = api_client.get("/api/v1/seller/reviews/?show=unreplied").json()["results"]
    assert [r["id"] for r in listed] == [review_id]
    reply = api_client.post(f"/api/v1/seller/reviews/{review_id}/reply/", {"text": "谢谢亲"}, format="json")
    assert reply.status_code == 200 and reply.json()["reply"]["text"] == "谢谢亲"
    again = api_client.post(f"/api/v1/seller/reviews/{review_id}/reply/", {"text": "edit"}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "already_replied"
    assert api_client.get("/api/v1/seller/reviews/?show=unreplied").json()["results"] == []
    assert Review.objects.get(pk=review_id).reply_text == "谢谢亲"


def test_reply_needs_the_capability(api_client):
    shopper, suborder, line = received_line()
    review_id = post(api_client, shopper, body(line)).json()["id"]
    operations = UserFactory()
    StoreStaff.objects.create(store=suborder.store, user=operations, role=StaffRole.OPERATIONS)
    api_client.force_authenticate(operations)
    denied = api_client.post(f"/api/v1/seller/reviews/{review_id}/reply/", {"text": "hi"}, format="json")
    assert denied.status_code == 404
    service = UserFactory()
    StoreStaff.objects.create(store=suborder.store, user=service, role=StaffRole.CUSTOMER_SERVICE)
    api_client.force_authenticate(service)
    assert (
        api_client.post(f"/api/v1/seller/reviews/{review_id}/reply/", {"text": "hi"}, format="json").status_code == 200
    )


def test_no_endpoint_edits_or_deletes_a_review(api_client):
    shopper, suborder, line = received_line()
    review_id = post(api_client, shopper, body(line)).json()["id"]
    api_client.force_authenticate(suborder.store.merchant.owner)
    for method in ("put", "patch", "delete"):
        response = getattr(api_client, method)(f"/api/v1/seller/reviews/{review_id}/reply/", {"text": "x"})
        assert response.status_code == 405
    assert Review.objects.filter(pk=review_id, text="好评 <b>great</b>").exists()


def test_operator_hides_with_a_logged_reason(api_client):
    shopper, _suborder, line = received_line()
    review_id = post(api_client, shopper, body(line)).json()["id"]
    product_id = line.sku.product_id
    api_client.force_authenticate(shopper)
    assert api_client.post(f"/api/v1/ops/reviews/{review_id}/hide/", {"reason": "x"}, format="json").status_code == 403
    operator = OperatorFactory()
    api_client.force_authenticate(operator)
    no_reason = api_client.post(f"/api/v1/ops/reviews/{review_id}/hide/", {"reason": " "}, format="json")
    assert no_reason.status_code == 400
    hidden = api_client.post(f"/api/v1/ops/reviews/{review_id}/hide/", {"reason": "广告"}, format="json")
    assert hidden.status_code == 200
    log = ReviewModeration.objects.get(review_id=review_id)
    assert log.reason == "广告" and log.actor == operator and log.action == "hidden"
    assert api_client.get(f"/api/v1/products/{product_id}/reviews/").json()["results"] == []
    api_client.post(f"/api/v1/ops/reviews/{review_id}/hide/", {"hidden": False, "reason": "申诉成功"}, format="json")
    assert len(api_client.get(f"/api/v1/products/{product_id}/reviews/").json()["results"]) == 1
    assert ReviewModeration.objects.filter(review_id=review_id).count() == 2


def test_anonymous_review_masks_the_name(api_client):
    shopper, _suborder, line = received_line()
    data = post(api_client, shopper, body(line, anonymous=True)).json()
    assert shopper.username not in data["author"] and "***" in data["author"]


def test_pending_tab_lists_only_lines_to_review(api_client):
    shopper, _suborder, line = received_line()
    api_client.force_authenticate(shopper)
    assert [row["line"] for row in api_client.get("/api/v1/reviews/pending/").json()["results"]] == [line.pk]
    post(api_client, shopper, body(line))
    assert api_client.get("/api/v1/reviews/pending/").json()["results"] == []


def test_review_filters_and_summary(api_client):
    shopper, _suborder, line = received_line()
    ratings = [5, 3, 1]
    buyers = [(shopper, line)] + [received_line(sku=line.sku)[::2] for _ in ratings[1:]]
    for (buyer, bought), rating in zip(buyers, ratings, strict=True):
        assert post(api_client, buyer, body(bought, rating=rating)).status_code == 201
    product = line.sku.product_id
    for show, expected in (("good", [5]), ("medium", [3]), ("bad", [1]), ("photos", [])):
        results = api_client.get(f"/api/v1/products/{product}/reviews/?show={show}").json()["results"]
        assert [r["rating"] for r in results] == expected
    summary = api_client.get(f"/api/v1/products/{product}/reviews/summary/").json()
    assert summary == {"total": 3, "average": 3.0, "good_rate": 33.3, "photos": 0, "good": 1, "medium": 1, "bad": 1}


def test_question_answered_by_buyer_and_store_not_by_strangers(api_client):
    shopper, suborder, line = received_line()
    product = line.sku.product_id
    asker = UserFactory()
    api_client.force_authenticate(asker)
    asked = api_client.post(f"/api/v1/products/{product}/questions/", {"text": "尺码偏大吗?"}, format="json")
    assert asked.status_code == 201
    question = asked.json()["id"]
    stranger = api_client.post(f"/api/v1/questions/{question}/answers/", {"text": "不知道"}, format="json")
    assert stranger.status_code == 403
    api_client.force_authenticate(shopper)
    assert api_client.post(f"/api/v1/questions/{question}/answers/", {"text": "正好"}, format="json").status_code == 201
    api_client.force_authenticate(suborder.store.merchant.owner)
    by_store = api_client.post(f"/api/v1/questions/{question}/answers/", {"text": "标准码"}, format="json")
    assert by_store.status_code == 201 and by_store.json()["by_store"] is True
    api_client.force_authenticate(None)
    listing = api_client.get(f"/api/v1/products/{product}/questions/").json()["results"]
    assert [a["text"] for a in listing[0]["answers"]] == ["正好", "标准码"]
    assert api_client.post(f"/api/v1/products/{product}/questions/", {"text": "?"}, format="json").status_code in (
        401,
        403,
    )
