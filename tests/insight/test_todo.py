"""The to-do board counts what needs doing in the chosen stores only."""

import pytest

from insight import todo
from refunds.models import RefundRequest
from refunds.services.requests import create_request
from shops.models import StockLevel
from tests.orders.helpers import sku_in
from tests.promotions.factories import CampaignFactory
from tests.refunds.helpers import key, paid_order, ship
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db


def counts(store_ids):
    return {item.key: item.count for item in todo.board(store_ids)}


def test_board_counts_orders_to_ship_refunds_low_stock_and_campaigns():
    store, stranger = StoreFactory(), StoreFactory()
    sku = sku_in(store, price="100.00", stock=20)
    low = sku_in(store, price="10.00", stock=2)
    paid_order((sku, 1))
    shopper_order, lines, suborder = paid_order((sku, 1))
    ship(suborder)
    create_request(shopper=shopper_order.shopper, suborder_id=suborder.pk, quantities={lines[sku.pk].pk: 1},
                   reason=RefundRequest.Reason.DAMAGED, idempotency_key=key())  # fmt: skip
    paid_order((sku_in(stranger, price="5.00"), 1))
    CampaignFactory()
    board = counts([store.pk])
    assert board["to_ship"] == 1
    assert board["refunds"] == RefundRequest.objects.filter(store=store, status="pending_review").count() == 1
    assert board["returns"] == 0
    assert board["low_stock"] == 1 and StockLevel.objects.get(sku=low).quantity == 2
    assert board["campaigns"] == 1
    assert board["chats"] == 0
    assert counts([stranger.pk])["to_ship"] == 1 and counts([stranger.pk])["refunds"] == 0
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(store.merchant.owner)
    items = {item["key"]: item["count"] for item in api.get("/api/v1/seller/todo/", {"store": store.pk}).json()}
    assert items == board
    assert api.get("/api/v1/seller/todo/", {"store": stranger.pk}).status_code == 404
