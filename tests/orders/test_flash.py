"""Flash-sale admission through Redis: losers are refused before the database, nothing is oversold, failed
checkouts and cancellations give units back, and reconciliation proves Redis and PostgreSQL agree."""

import uuid

import pytest
from django.core.management import call_command

from marketplace.api import DomainError
from orders import flash, services
from orders.checkout import place_order
from orders.models import Order, OrderLine
from shops.models import StockLevel
from tests.accounts.factories import AddressFactory
from tests.orders.helpers import run_threads, shopper_with_address, sku_in


def buy_now(user, address, sku, quantity=1, key=None):
    return place_order(
        shopper=user,
        cart=None,
        idempotency_key=key or uuid.uuid4().hex,
        address_id=address.pk,
        buy_now=[{"sku": sku.pk, "quantity": quantity}],
    )


@pytest.mark.django_db
def test_admission_refuses_late_buyers_and_gives_back_on_failure(armed, django_assert_max_num_queries):
    sku = sku_in(stock=3)
    assert armed(sku) == 3
    user, address = shopper_with_address()
    buy_now(user, address, sku, 2)
    assert flash.reconcile(sku.pk).redis_units == 1
    with pytest.raises(DomainError):  # someone else's address: refused after admission, units come back
        place_order(
            shopper=user, cart=None, idempotency_key="x", address_id=AddressFactory().pk, buy_now=[{"sku": sku.pk}]
        )
    assert flash.reconcile(sku.pk).redis_units == 1
    buy_now(user, address, sku, 1)
    late, late_address = shopper_with_address()
    with django_assert_max_num_queries(3), pytest.raises(DomainError) as exc:  # no stock query at all
        buy_now(late, late_address, sku, 1)
    assert exc.value.code == "out_of_stock" and exc.value.status_code == 409
    assert flash.reconcile(sku.pk).agrees and StockLevel.objects.get(sku=sku).quantity == 0


@pytest.mark.django_db
def test_cancelling_gives_units_back_to_the_counter(armed, django_capture_on_commit_callbacks):
    sku = sku_in(stock=2)
    armed(sku)
    user, address = shopper_with_address()
    order, _ = buy_now(user, address, sku, 2)
    assert flash.reconcile(sku.pk).redis_units == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_order(order, reason="test")
    result = flash.reconcile(sku.pk)
    assert result.redis_units == 2 and result.agrees


@pytest.mark.django_db
def test_reconcile_reports_and_repairs_drift(armed):
    sku = sku_in(stock=5)
    armed(sku)
    flash.client().decrby(flash.key(sku.pk), 2)  # a crash between admission and give-back
    assert not flash.reconcile(sku.pk).agrees
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("flash_sale", "reconcile", str(sku.pk))
    call_command("flash_sale", "reconcile", str(sku.pk), "--repair")
    assert flash.reconcile(sku.pk).agrees


@pytest.mark.django_db(transaction=True)
def test_many_buyers_through_the_gate_sell_exactly_the_stock(armed):
    sku = sku_in(stock=6)
    armed(sku)
    buyers = [shopper_with_address() for _ in range(20)]

    def attempt(index):
        buy_now(*buyers[index], sku)
        return "ok"

    outcomes, errors = run_threads(len(buyers), attempt)
    assert errors == []
    assert outcomes.count("ok") == 6 and outcomes.count("out_of_stock") == 14
    assert sum(OrderLine.objects.filter(sku=sku).values_list("quantity", flat=True)) == 6
    assert Order.objects.count() == 6
    result = flash.reconcile(sku.pk)
    assert result.agrees and result.database_units == 0


@pytest.mark.django_db
def test_an_order_of_several_armed_skus_takes_all_its_units_or_none_in_one_round_trip(armed, monkeypatch):
    plenty, scarce, unarmed = sku_in(stock=5), sku_in(stock=1), sku_in(stock=5)
    armed(plenty), armed(scarce)
    calls = []
    real = flash._script
    monkeypatch.setattr(flash, "_script", lambda name, text: calls.append(name) or real(name, text))
    with pytest.raises(DomainError) as exc:
        flash.admit([(plenty.pk, 2), (scarce.pk, 2), (unarmed.pk, 1)])
    assert exc.value.code == "out_of_stock" and calls == ["admit"]
    assert flash.reconcile(plenty.pk).redis_units == 5 and flash.reconcile(scarce.pk).redis_units == 1
    taken = flash.admit([(scarce.pk, 1), (plenty.pk, 2), (unarmed.pk, 1), (plenty.pk, 1)])
    assert taken == sorted([(plenty.pk, 3), (scarce.pk, 1)])  # the unarmed SKU is not the sale's to count
    assert flash.reconcile(plenty.pk).redis_units == 2 and flash.reconcile(scarce.pk).redis_units == 0
    flash.give_back(taken)
    assert flash.reconcile(plenty.pk).redis_units == 5 and flash.reconcile(scarce.pk).redis_units == 1
