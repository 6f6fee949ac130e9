import pytest
from django.core.management import call_command

from logistics.models import TrackingEvent
from orders.models import SubOrder
from shops.models import Store
from shops.promises import ServiceCard

pytestmark = pytest.mark.django_db


def test_demo_has_service_cards_and_tracking_and_is_idempotent():
    call_command("seed_demo")
    events = TrackingEvent.objects.count()
    call_command("seed_demo")
    assert ServiceCard.objects.count() == Store.objects.count() > 0
    assert events > 0 and TrackingEvent.objects.count() == events
    shipped = SubOrder.objects.filter(state=SubOrder.State.SHIPPED)
    assert shipped.exists() and all(suborder.delivered_at for suborder in shipped)
