"""An order paid before its store closed keeps its ship-by unless the shopper agrees to wait (issue 18): the offer,
the agreement (API and page), the late-shipment beat honouring it, an early reopening giving days back, and the
refusals that change nothing."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from logistics.models import LateShipment, ShipByClock
from logistics.services import late
from orders.models import SubOrder
from shops import services as shop_services
from tests.logistics.helpers import paid_suborder, ship
from tests.orders.helpers import shopper_with_address

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def url(suborder) -> str:
    return f"/api/v1/logistics/suborders/{suborder.pk}/wait-for-store/"


def closed_from_tomorrow(store, days=3):
    """The store closes tomorrow for ``days`` days (the sub-order was paid today, before it)."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return shop_services.schedule_closure(
        store=store, starts_on=tomorrow, ends_on=tomorrow + datetime.timedelta(days=days - 1)
    )


def test_the_shopper_agrees_to_wait_and_the_deadline_moves_by_the_closed_days(api_client):
    with time_machine.travel(START, tick=False) as clock:
        shopper, suborder, _line = paid_suborder()  # 48 h: 2026-03-04 10:00
        base = suborder.ship_by
        closed_from_tomorrow(suborder.store, days=3)
        api_client.force_authenticate(shopper)
        offer = api_client.get(url(suborder)).json()
        assert offer["agreed"] is False
        assert datetime.datetime.fromisoformat(offer["ship_by"]) == base  # kept without the shopper's word
        assert datetime.datetime.fromisoformat(offer["ship_by_if_waiting"]) == base + datetime.timedelta(days=3)

        agreed = api_client.post(url(suborder))
        assert agreed.status_code == 200, agreed.content
        assert agreed.json()["agreed"] is True and agreed.json()["ship_by_if_waiting"] is None
        assert api_client.post(url(suborder)).status_code == 200  # a repeated click changes nothing more
        suborder.refresh_from_db()
        assert suborder.ship_by == base + datetime.timedelta(days=3)
        assert suborder.events.filter(kind="ship_by_extended").count() == 1
        detail = api_client.get(f"/api/v1/orders/{suborder.order.number}/").json()["suborders"][0]
        assert datetime.datetime.fromisoformat(detail["ship_by"]) == suborder.ship_by

        clock.move_to(base + datetime.timedelta(minutes=1))
        assert late.detect_late_shipments() == 0  # the old deadline no longer counts
        clock.move_to(suborder.ship_by + datetime.timedelta(minutes=1))
        assert late.detect_late_shipments() == 1
    assert LateShipment.objects.get().ship_by == base + datetime.timedelta(days=3)


def test_an_early_reopening_gives_the_unused_days_back(django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False) as clock:
        shopper, suborder, _line = paid_suborder()
        base = suborder.ship_by
        closure = closed_from_tomorrow(suborder.store, days=5)
        from logistics.services.ship_by import agree_to_wait

        agree_to_wait(shopper=shopper, suborder_id=suborder.pk)
        suborder.refresh_from_db()
        assert suborder.ship_by == base + datetime.timedelta(days=5)
        clock.move_to(START + datetime.timedelta(days=2))  # reopens on 03-04: closed on 03-03 only
        with django_capture_on_commit_callbacks(execute=True):
            shop_services.end_closure(closure)
        suborder.refresh_from_db()
        assert suborder.ship_by == base + datetime.timedelta(days=1)
        assert ShipByClock.objects.get(suborder=suborder).ship_by == suborder.ship_by


def test_nothing_to_wait_for_another_shoppers_order_shipped_or_overdue_are_refused(api_client):
    with time_machine.travel(START, tick=False) as clock:
        shopper, suborder, _line = paid_suborder()
        base = suborder.ship_by
        other_shopper, shipped, _line2 = paid_suborder(store=suborder.store)
        ship(shipped)
        api_client.force_authenticate(shopper)
        nothing = api_client.post(url(suborder))
        assert nothing.status_code == 409 and nothing.json()["code"] == "no_closure_before_ship_by"
        assert api_client.get(url(suborder)).json()["ship_by_if_waiting"] is None
        # A closure that starts after the deadline is nothing to wait for either.
        later = timezone.localdate() + datetime.timedelta(days=5)
        shop_services.schedule_closure(store=suborder.store, starts_on=later, ends_on=later)
        assert api_client.post(url(suborder)).status_code == 409

        closed_from_tomorrow(suborder.store)
        api_client.force_authenticate(shopper_with_address()[0])
        assert api_client.get(url(suborder)).status_code == 404
        assert api_client.post(url(suborder)).status_code == 404

        api_client.force_authenticate(shopper)
        clock.move_to(base + datetime.timedelta(minutes=1))
        overdue = api_client.post(url(suborder))
        assert overdue.status_code == 409 and overdue.json()["code"] == "not_waiting_to_ship"

        api_client.force_authenticate(other_shopper)
        assert api_client.post(url(shipped)).status_code == 409
    suborder.refresh_from_db()
    assert suborder.ship_by == base
    assert not SubOrder.objects.filter(events__kind="ship_by_extended").exists()
    assert not ShipByClock.objects.filter(closures_agreed_at__isnull=False).exists()


def test_the_order_page_offers_the_wait_and_agrees(client):
    with time_machine.travel(START, tick=False):
        shopper, suborder, _line = paid_suborder()
        base = suborder.ship_by
        client.force_login(shopper)
        page_url = reverse("orders:order_detail", args=[suborder.order.number])
        assert 'data-testid="wait-for-store"' not in client.get(page_url).content.decode()
        closed_from_tomorrow(suborder.store, days=2)
        page = client.get(page_url).content.decode()
        assert 'data-testid="wait-for-store"' in page
        assert timezone.localtime(base + datetime.timedelta(days=2)).strftime("%Y-%m-%d %H:%M") in page

        action = reverse("logistics:wait_for_store", args=[suborder.pk])
        client.force_login(shopper_with_address()[0])
        assert client.post(action).status_code == 404
        client.force_login(shopper)
        assert client.post(action).status_code == 302
        suborder.refresh_from_db()
        assert suborder.ship_by == base + datetime.timedelta(days=2)
        page = client.get(page_url).content.decode()
        assert 'data-testid="wait-for-store"' not in page
        assert "The shopper agreed to wait while the store is closed" in page  # on the timeline


def test_an_order_paid_while_the_store_is_closed_waits_for_it_to_reopen():
    from tests.orders.helpers import buy, sku_in
    from tests.refunds.helpers import pay

    with time_machine.travel(START, tick=False) as clock:
        shopper, address = shopper_with_address()
        sku = sku_in(price="100.00")
        order, _created = buy(shopper, address, (sku, 1))  # placed while the store was open
        clock.shift(datetime.timedelta(minutes=1))
        today = timezone.localdate()
        shop_services.close_now(store=sku.product.store, until=today + datetime.timedelta(days=2))  # 3 days
        clock.shift(datetime.timedelta(minutes=4))
        pay(order)  # paid inside its payment window, after the store closed
        suborder = order.suborders.get()
        assert suborder.ship_by == suborder.paid_at + datetime.timedelta(hours=48, days=3)
        clock.move_to(suborder.paid_at + datetime.timedelta(hours=48, minutes=1))
        assert late.detect_late_shipments() == 0
