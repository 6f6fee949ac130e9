"""The demo seed gives alice and bob paid, shipped and received orders, keeps the ledger consistent, and is
idempotent."""

import io

import pytest
from django.core.management import call_command

from orders.models import Order, SubOrder
from payments import checks
from payments.models import Payment

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_orders_once():
    call_command("seed_demo", stdout=io.StringIO())
    orders = Order.objects.filter(shopper__username__in=["alice", "bob"])
    assert orders.count() == 5
    assert orders.filter(status=Order.Status.PAID).count() == 4
    # Later demos (refunds, settlement) move some of them on (refunded, completed); shipped ones stay shipped.
    paid_states = set(SubOrder.objects.filter(order__status=Order.Status.PAID).values_list("state", flat=True))
    assert "shipped" in paid_states and len(paid_states) >= 2
    assert SubOrder.objects.filter(events__kind="shipped").exists()
    assert checks.run_all() == []
    payments = Payment.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert orders.count() == 5 and Payment.objects.count() == payments
