"""Parcel delivery and late-shipment compensation reach the shopper's message center, once each."""

from decimal import Decimal

import pytest
from django.utils import timezone

from logistics.models import LateShipment
from logistics.signals import late_shipment_compensated, parcel_delivered
from messaging import receivers
from messaging.models import Notification
from messaging.services.notifications import handle_event
from tests.refunds.helpers import ship, simple_paid

pytestmark = pytest.mark.django_db


def test_logistics_signals_are_wired():
    wired = {signal for signal, _source, _read in receivers.RECEIVERS}
    assert {parcel_delivered, late_shipment_compensated} <= wired


def test_a_delivered_parcel_is_told_to_the_shopper_once():
    shopper, suborder, _line = simple_paid()
    ship(suborder)
    assert handle_event("delivered", suborder.pk, "delivered") == 1
    assert handle_event("delivered", suborder.pk, "delivered") == 0
    notice = Notification.objects.get(recipient=shopper)
    assert notice.code == "order_delivered" and notice.params["suborder_number"] == suborder.number


def test_late_shipment_compensation_is_told_with_its_amount():
    shopper, suborder, _line = simple_paid()
    late = LateShipment.objects.create(
        suborder=suborder, store=suborder.store, shopper=shopper, ship_by=timezone.now(), compensation=Decimal("5.00")
    )
    assert handle_event("late_shipment", late.pk, "compensated") == 1
    assert handle_event("late_shipment", late.pk, "compensated") == 0
    notice = Notification.objects.get(recipient=shopper, code="late_shipment_compensation")
    assert notice.params["amount"] == "5.00"
