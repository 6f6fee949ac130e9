"""The real worker drains the event queue in batches and rolls up finished days."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from insight import events, tasks
from insight.models import Event, RolledDay, StoreDay
from tests.orders.helpers import sku_in
from tests.refunds.helpers import paid_order
from tests.shops.factories import StoreFactory


@pytest.mark.django_db(transaction=True)
def test_worker_writes_queued_events_in_batches_and_rolls_up(celery_worker, client):
    events.client().delete(events.queue_key())
    sku = sku_in(StoreFactory(), price="10.00")
    for _ in range(3):
        client.get(f"/p/{sku.product_id}/")
    client.get("/search/", {"q": "耳机"})
    assert events.pending() == 4 and not Event.objects.exists()
    assert tasks.flush_events.delay().get(timeout=60) == 4
    assert Event.objects.filter(kind="product_view", store_id=sku.store_id).count() == 3
    assert events.pending() == 0

    with time_machine.travel(timezone.now() - datetime.timedelta(days=1), tick=False):
        paid_order((sku, 2))
    assert tasks.roll_up.delay().get(timeout=120) > 0
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert RolledDay.objects.filter(day=yesterday).exists()
    assert StoreDay.objects.get(store_id=sku.store_id, day=yesterday).orders == 1
