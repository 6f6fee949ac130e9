"""Targeted coupons, new followers and the store's reply to a review reach the people concerned, once each, stored
as codes and parameters and read in the reader's language."""

import json
import random
from pathlib import Path

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from customers.models import CampaignRecipient
from customers.services import follows, targeting
from customers.services.segments import recompute
from customers.signals import store_followed, targeted_coupon_issued
from messaging import receivers
from messaging.models import Notification
from messaging.services.notifications import handle_event
from messaging.tasks import deliver_event
from promotions.models import IssuedCoupon
from reviews.services import reviews as review_services
from reviews.signals import review_replied
from shops.models import StaffRole
from tests.customers.helpers import paid_order, shopper_with_address, sku_in
from tests.messaging.factories import staff_of
from tests.reviews.helpers import DSR, received_line
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db
CHINESE = json.loads((Path(__file__).resolve().parents[2] / "scripts/zh_hans/messaging.json").read_text())


@pytest.fixture
def queued(monkeypatch):
    """What the receivers hand to the worker (the worker's handler is called directly in these tests)."""
    calls = []
    monkeypatch.setattr(deliver_event, "delay", lambda *args: calls.append(args))
    return calls


def read_as(user, language="en") -> list[dict]:
    client = APIClient()
    client.force_authenticate(user)
    with translation.override(translation.get_language()):  # the locale middleware's choice must not outlive it
        return client.get("/api/v1/me/notifications/", HTTP_ACCEPT_LANGUAGE=language).json()["results"]


def test_the_customer_and_review_signals_are_wired():
    wired = {signal for signal, _source, _read in receivers.RECEIVERS}
    assert {targeted_coupon_issued, store_followed, review_replied} <= wired


def test_each_shopper_sent_a_targeted_coupon_is_told_once(queued, django_capture_on_commit_callbacks):
    store = StoreFactory(name="回头客小店")
    shoppers = []
    for _ in range(5):
        shopper, address = shopper_with_address()
        paid_order(shopper, address, (sku_in(store), 1))
        shoppers.append(shopper)
    recompute([store.merchant_id])
    campaign = targeting.create(
        by=store.merchant.owner, store=store, audience={"segment": "new"}, name="回头客券", off="10.00",
        threshold="50.00", valid_days=30, budget=100, control_percent=20,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert targeting.send(campaign.pk, rng=random.Random(3)) == 4
    assert queued == [("targeted_coupons", campaign.pk, "sent")]

    assert handle_event(*queued[0]) == 4
    assert handle_event(*queued[0]) == 0  # a retried task writes nothing twice
    treated = set(CampaignRecipient.objects.filter(campaign=campaign, group="treatment").values_list("shopper_id", flat=True))  # fmt: skip
    notices = list(Notification.objects.filter(code="targeted_coupon"))
    assert {notice.recipient_id for notice in notices} == treated and len(notices) == 4
    held_out = ({shopper.pk for shopper in shoppers} - treated).pop()
    assert not Notification.objects.filter(recipient_id=held_out).exists()
    for notice in notices:
        coupon = IssuedCoupon.objects.get(pk=notice.params["coupon_id"])
        assert coupon.shopper_id == notice.recipient_id and notice.store_id == store.pk
        assert notice.params["valid_to"] == coupon.valid_to.isoformat() and notice.audience == "shopper"
        assert notice.params["store_name"] == "回头客小店" and notice.params["coupon_name"] == "回头客券"
    reader = notices[0].recipient
    (english,) = read_as(reader)
    assert english["title"] == "A coupon for you" and '回头客小店 sent you a coupon, "回头客券"' in english["body"]
    assert english["url"] == "/coupons/mine/"
    (chinese,) = read_as(reader, "zh-hans")
    assert chinese["title"] == CHINESE["A coupon for you"]


def test_the_stores_marketing_staff_hear_of_a_new_follower_once(queued, django_capture_on_commit_callbacks):
    store = StoreFactory(name="关注小店")
    operations = staff_of(store, StaffRole.OPERATIONS)
    agent = staff_of(store)  # 客服 do not act on followers
    shopper, _address = shopper_with_address()
    with django_capture_on_commit_callbacks(execute=True):
        follows.follow(shopper, store)
        follows.follow(shopper, store)  # already following: not news
    assert queued == [("store_followed", store.pk, str(shopper.pk))]
    assert handle_event(*queued[0]) == 2  # the owner and operations
    assert handle_event(*queued[0]) == 0
    owner = store.merchant.owner
    notice = Notification.objects.get(recipient=owner)
    assert notice.code == "new_follower" and notice.audience == "merchant" and notice.store_id == store.pk
    assert notice.params == {"store_name": "关注小店", "store_id": store.pk, "followers": 1}
    assert str(shopper.pk) not in json.dumps(notice.params)  # staff are not told who
    assert Notification.objects.filter(recipient=operations).exists()
    assert not Notification.objects.filter(recipient=agent).exists()
    assert not Notification.objects.filter(recipient=shopper).exists()
    (english,) = read_as(owner)
    assert english["body"] == "A shopper started following 关注小店; it has 1 followers now."
    assert english["url"] == "/seller/customers/"
    assert read_as(owner, "zh-hans")[0]["title"] == CHINESE["New follower"]
    # Unfollowed before the worker ran: nobody is told.
    other, _address = shopper_with_address()
    follows.follow(other, store)
    follows.unfollow(other, store)
    assert handle_event("store_followed", store.pk, str(other.pk)) == 0


def test_the_reviewer_hears_of_the_stores_reply_once(queued, django_capture_on_commit_callbacks):
    shopper, suborder, line = received_line()
    review = review_services.post_review(shopper=shopper, line_id=line.pk, rating=4, text="不错", dsr=DSR)
    queued.clear()  # the review itself enqueues nothing for messaging; only the reply does
    with django_capture_on_commit_callbacks(execute=True):
        review_services.reply(user=suborder.store.merchant.owner, review_id=review.pk, text="谢谢")
    assert queued == [("review_reply", review.pk, "replied")]
    assert handle_event(*queued[0]) == 1
    assert handle_event(*queued[0]) == 0
    notice = Notification.objects.get(recipient=shopper)
    product = line.sku.product
    assert notice.code == "review_reply" and notice.store_id == suborder.store_id
    assert notice.params == {"store_name": suborder.store.name, "product_title": product.title,
                             "product_id": product.pk, "review_id": review.pk}  # fmt: skip
    (english,) = read_as(shopper)
    assert english["body"] == f"{suborder.store.name} replied to your review of {product.title}."
    assert english["url"] == f"/p/{product.pk}/"
    assert read_as(shopper, "zh-hans")[0]["title"] == CHINESE["The store replied to your review"]
