"""Helpers for customers tests: paid orders at given stores, at a given time, and staff tokens."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orders.services import mark_order_paid
from shops.models import StaffRole, StoreStaff
from tests.accounts.factories import UserFactory
from tests.orders.helpers import buy, shopper_with_address, sku_in


def paid_order(shopper, address, *lines, at: datetime.datetime | None = None):
    """Check out ``(sku, quantity)`` lines and pay, at ``at`` (default now). Returns the order."""
    if at is None:
        order, _ = buy(shopper, address, *lines)
        mark_order_paid(order, reference=f"pay-{order.pk}")
        return order
    with time_machine.travel(at, tick=False):
        order, _ = buy(shopper, address, *lines)
        mark_order_paid(order, reference=f"pay-{order.pk}")
    return order


def days_ago(days: int, *, hour: int = 12) -> datetime.datetime:
    """Noon (project time) ``days`` calendar days before today."""
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def staff(store, role=StaffRole.CUSTOMER_SERVICE):
    user = UserFactory()
    StoreStaff.objects.create(store=store, user=user, role=role)
    return user


__all__ = ["buy", "shopper_with_address", "sku_in", "paid_order", "days_ago", "token_client", "staff"]
