"""Concurrent writers: stock never goes negative, a SKU code is never taken twice, a decision is made once."""

import threading

import pytest
from django.db import connection

from marketplace.api import DomainError
from shops import services
from shops.models import SKU, BrandAuthorization, StockLevel, StockPool
from tests.accounts.factories import OperatorFactory
from tests.shops.factories import MerchantFactory, SKUFactory, make_product

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(count: int, work) -> list:
    barrier = threading.Barrier(count)
    results: list = []

    def worker(n: int):
        try:
            barrier.wait()
            results.append(work(n))
        except DomainError as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_stock_removals_never_oversell():
    sku = SKUFactory(stock=5)
    results = run_together(8, lambda n: services.adjust_stock(sku=sku, outlet=None, pool=StockPool.ONLINE, delta=-1))
    assert sum(not isinstance(result, DomainError) for result in results) == 5
    assert StockLevel.objects.get(sku=sku).quantity == 0


def test_the_same_sku_code_saved_concurrently_is_taken_once():
    product = make_product(title="并发")
    results = run_together(4, lambda n: services.save_sku(product=product, code="RACE-1", price=f"{10 + n}"))
    assert sum(isinstance(result, DomainError) for result in results) == 3
    assert SKU.objects.filter(store=product.store, code="RACE-1").count() == 1


def test_two_operators_deciding_at_once_decide_once():
    store = services.create_store(merchant=MerchantFactory(), name="并发旗舰店", brand="TMALL")
    authorization = services.submit_brand_authorization(store=store, brand_name="X", document_note="TM")
    operators = [OperatorFactory(), OperatorFactory()]
    results = run_together(2, lambda n: services.decide_brand_authorization(
        authorization, operator=operators[n], approve=n == 0, reason="理由"))  # fmt: skip
    assert sum(isinstance(result, DomainError) for result in results) == 1
    assert BrandAuthorization.objects.get(pk=authorization.pk).status in {"approved", "rejected"}
