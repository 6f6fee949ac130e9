"""A read compiled once (marketplace.compiled) gives what its queryset gives, for every value, in one query."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.compiled import CompiledRead
from shops.models import SKU, Product, Store
from shops.selectors.directory import is_visible, visible_products
from shops.selectors.product import product_detail
from tests.shops.factories import ProductFactory, SKUFactory, StoreFactory

pytestmark = pytest.mark.django_db


def active_skus(product_id):
    return (
        SKU.objects.filter(product_id=product_id, is_active=True)
        .order_by("price", "id")
        .values_list("id", "attributes", "price", "stock_levels__quantity")
    )


SKUS = CompiledRead(active_skus)


def test_rows_are_the_querysets_own_with_their_converters_for_every_value():
    first, second = ProductFactory(), ProductFactory()
    SKUFactory(product=first, price=Decimal("9.90"), attributes={"颜色": "红"}, stock=3)
    SKUFactory(product=first, price=Decimal("5.00"), attributes={"颜色": "蓝"}, stock=0)
    SKUFactory(product=second, price=Decimal("1.00"), is_active=False)
    for product in (first, second, first):
        expected = list(active_skus(product.pk))
        with CaptureQueriesContext(connection) as queries:
            rows = SKUS.rows(product.pk)
        assert rows == [tuple(row) for row in expected] and len(queries.captured_queries) == 1
    prices = [row[2] for row in SKUS.rows(first.pk)]
    assert prices == [Decimal("5.00"), Decimal("9.90")] and isinstance(SKUS.rows(first.pk)[0][1], dict)
    assert SKUS.rows(-1) == []


def test_a_query_whose_value_is_not_one_parameter_is_refused_at_once():
    twice = CompiledRead(lambda pk: Product.objects.filter(pk=pk, store_id=pk).values_list("id"))
    with pytest.raises(ValueError):
        twice.rows(1)
    ignored = CompiledRead(lambda pk: Product.objects.filter(pk=1).values_list("id"))
    with pytest.raises(ValueError):
        ignored.rows(1)


def test_the_product_page_read_sees_what_visible_products_sees():
    shown = ProductFactory()
    off_shelf = ProductFactory(status=Product.Status.DISABLED)
    suspended = ProductFactory(store=StoreFactory(status=Store.Status.SUSPENDED))
    visible = set(visible_products().values_list("pk", flat=True))
    for product in (shown, off_shelf, suspended):
        assert is_visible(product) == (product.pk in visible)
        assert (product_detail(product.pk) is not None) == (product.pk in visible)
    detail = product_detail(shown.pk)
    assert detail.product.title == shown.title and detail.product._state.adding is False
