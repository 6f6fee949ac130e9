"""shops.stock.decrement_all: one conditional UPDATE takes every row's units, or none of them."""

import pytest
from django.db import transaction

from marketplace.api import DomainError
from shops.models import StockLevel
from shops.stock import decrement_all
from tests.shops.factories import SKUFactory

pytestmark = pytest.mark.django_db


def levels(*quantities):
    """One warehouse stock row per quantity."""
    return [StockLevel.objects.get(sku=SKUFactory(stock=quantity), outlet=None) for quantity in quantities]


def test_takes_the_units_of_every_row():
    rows = levels(5, 3)
    with transaction.atomic():
        decrement_all({rows[0].pk: 2, rows[1].pk: 3})
    assert [StockLevel.objects.get(pk=row.pk).quantity for row in rows] == [3, 0]


def test_a_row_short_of_its_units_refuses_the_whole_decrement():
    rows = levels(5, 3)
    with pytest.raises(DomainError) as refused, transaction.atomic():
        decrement_all({rows[0].pk: 2, rows[1].pk: 4})
    assert refused.value.code == "out_of_stock"
    assert [StockLevel.objects.get(pk=row.pk).quantity for row in rows] == [5, 3]
