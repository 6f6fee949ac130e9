"""Ship-by deadlines: late shipment compensated once (even when the beat runs twice or concurrently), the late
count per store, platform holiday windows pausing ship-by, and the shopper's cancel of an overdue sub-order."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from logistics import rules
from logistics.models import LateShipment
from logistics.selectors import late_shipment_counts
from logistics.services import late
from marketplace.api import DomainError
from orders.models import SubOrder
from payments.models import JournalEntry
from refunds.models import RefundRequest
from refunds.services import processing
from shops import services as shop_services
from shops.models import ServiceCard, Store
from tests.logistics.helpers import paid_suborder, ship
from tests.orders.helpers import run_threads
from tests.refunds.helpers import key
from tests.shops.factories import StoreFactory

START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
D = Decimal


def test_compensation_is_a_capped_share():
    assert rules.compensation(D("100.00"), D("0.05"), D("50.00")) == D("5.00")
    assert rules.compensation(D("3333.33"), D("0.05"), D("50.00")) == D("50.00")
    assert rules.compensation(D("0.10"), D("0.05"), D("50.00")) == D("0.01")  # 0.005 rounds half up


@pytest.mark.django_db
def test_late_shipment_is_compensated_once_from_the_merchant():
    store = StoreFactory()
    shop_services.set_service_card(store, ship_within_hours=24)
    with time_machine.travel(START, tick=False) as clock:
        shopper, suborder, _line = paid_suborder(price="200.00", store=store)
        clock.move_to(suborder.ship_by - datetime.timedelta(minutes=1))
        assert late.detect_late_shipments() == 0
        clock.move_to(suborder.ship_by + datetime.timedelta(minutes=1))
        assert late.detect_late_shipments() == 1
        assert late.detect_late_shipments() == 0  # the beat runs again: nothing more
    record = LateShipment.objects.get(suborder=suborder)
    assert record.compensation == D("10.00") and record.shopper == shopper
    entry = JournalEntry.objects.get(kind="late_shipment_compensation")
    assert {p.account.code: p.amount for p in entry.postings.all()} == {
        f"store_payable:{store.pk}": D("-10.00"),
        "shopper_credits": D("10.00"),
    }
    assert suborder.events.filter(kind="late_shipment_compensated").count() == 1
    assert late_shipment_counts(Store.objects.filter(pk=store.pk))[0]["late_shipments"] == 1


@pytest.mark.django_db
def test_a_shipped_suborder_is_not_late():
    with time_machine.travel(START, tick=False) as clock:
        _shopper, suborder, _line = paid_suborder()
        ship(suborder)
        clock.move_to(suborder.ship_by + datetime.timedelta(hours=1))
        assert late.detect_late_shipments() == 0
    assert not LateShipment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_beat_runs_pay_once():
    with time_machine.travel(START, tick=False):
        _shopper, suborder, _line = paid_suborder(price="300.00")
    later = suborder.ship_by + datetime.timedelta(minutes=5)
    results, errors = run_threads(4, lambda _index: late.detect_late_shipments(now=later))
    assert errors == []
    assert sum(results) == 1
    assert LateShipment.objects.filter(suborder=suborder).count() == 1
    assert JournalEntry.objects.filter(kind="late_shipment_compensation").count() == 1
    connection.close()


@pytest.mark.django_db
def test_a_platform_holiday_pauses_ship_by():
    with time_machine.travel(START, tick=False) as clock:
        _shopper, suborder, _line = paid_suborder()  # 48 h: due 2026-03-04 10:00
        base = suborder.ship_by
        today = timezone.localdate()
        shop_services.declare_holiday(operator=None, name="春节", starts_on=today + datetime.timedelta(days=1),
                                      ends_on=today + datetime.timedelta(days=3))  # fmt: skip
        clock.move_to(base + datetime.timedelta(hours=1))
        assert late.detect_late_shipments() == 0  # the beat sees the window and moves the deadline
        suborder.refresh_from_db()
        assert suborder.ship_by == base + datetime.timedelta(days=3)
        clock.move_to(suborder.ship_by + datetime.timedelta(minutes=1))
        assert late.detect_late_shipments() == 1


@pytest.mark.django_db
def test_a_store_closure_does_not_move_ship_by_of_orders_paid_before():
    with time_machine.travel(START, tick=False):
        _shopper, suborder, _line = paid_suborder()
        base = suborder.ship_by
        shop_services.close_now(store=suborder.store, until=timezone.localdate() + datetime.timedelta(days=5))
        assert late.detect_late_shipments(now=base + datetime.timedelta(minutes=1)) == 1


@pytest.mark.django_db
def test_the_shopper_cancels_an_overdue_suborder_for_an_instant_full_refund(api_client):
    with time_machine.travel(START, tick=False) as clock:
        shopper, suborder, _line = paid_suborder(price="900.00", quantity=2)  # above any instant-refund limit
        api_client.force_authenticate(shopper)
        body = {"suborder": suborder.pk, "idempotency_key": key()}
        early = api_client.post("/api/v1/refunds/cancel-overdue/", body, format="json")
        assert early.status_code == 409 and early.json()["code"] == "not_overdue"
        assert not RefundRequest.objects.exists()

        clock.move_to(suborder.ship_by + datetime.timedelta(minutes=1))
        created = api_client.post("/api/v1/refunds/cancel-overdue/", body, format="json")
        assert created.status_code == 201, created.content
        assert created.json()["instant"] is True and created.json()["amount"] == "1800.00"
        assert api_client.post("/api/v1/refunds/cancel-overdue/", body, format="json").status_code == 200
        refund = RefundRequest.objects.get()
        processing.pay(refund.pk)
    refund.refresh_from_db()
    suborder.refresh_from_db()
    assert refund.status == RefundRequest.Status.REFUNDED
    assert suborder.state == SubOrder.State.CLOSED


@pytest.mark.django_db
def test_service_card_rules_refuse_bad_input():
    store = StoreFactory()
    with pytest.raises(DomainError) as excinfo:
        shop_services.set_service_card(store, ship_within_hours=36)
    assert excinfo.value.code == "ship_within_not_offered"
    with pytest.raises(DomainError) as excinfo:
        shop_services.set_service_card(store, presale_ship_date=timezone.localdate())
    assert excinfo.value.code == "deadline_in_past"
    with pytest.raises(DomainError) as excinfo:
        shop_services.declare_holiday(operator=None, name="x", starts_on=timezone.localdate() - datetime.timedelta(days=3),
                                      ends_on=timezone.localdate() - datetime.timedelta(days=1))  # fmt: skip
    assert excinfo.value.code == "deadline_in_past"
    assert not ServiceCard.objects.filter(store=store).exists()  # nothing half-saved


@pytest.mark.django_db
def test_presale_ships_by_the_promised_date():
    store = StoreFactory()
    with time_machine.travel(START, tick=False):
        ships_on = timezone.localdate() + datetime.timedelta(days=10)
        shop_services.set_service_card(store, presale_ship_date=ships_on)
        _shopper, suborder, _line = paid_suborder(store=store)
    assert timezone.localtime(suborder.ship_by).date() == ships_on


@pytest.mark.django_db
def test_cancelling_before_the_beat_notices_still_compensates_once_and_counts_as_late(api_client):
    from logistics.selectors import late_shipment_figures

    with time_machine.travel(START, tick=False) as clock:
        shopper, suborder, _line = paid_suborder(price="200.00", quantity=1)
        clock.move_to(suborder.ship_by + datetime.timedelta(minutes=1))  # overdue; the beat has not run yet
        api_client.force_authenticate(shopper)
        body = {"suborder": suborder.pk, "idempotency_key": key()}
        assert api_client.post("/api/v1/refunds/cancel-overdue/", body, format="json").status_code == 201
        assert api_client.post("/api/v1/refunds/cancel-overdue/", body, format="json").status_code == 200
        processing.pay(RefundRequest.objects.get().pk)
        assert late.detect_late_shipments() == 0  # already compensated, and closed now anyway
        figures = late_shipment_figures(suborder.ship_by - datetime.timedelta(days=1), timezone.now())
    record = LateShipment.objects.get(suborder=suborder)
    assert record.compensation == D("10.00")
    assert JournalEntry.objects.filter(kind="late_shipment_compensation").count() == 1
    assert suborder.events.filter(kind="late_shipment_compensated").count() == 1
    assert SubOrder.objects.get(pk=suborder.pk).state == SubOrder.State.CLOSED
    assert [(row["due"], row["late"]) for row in figures] == [(1, 1)]
