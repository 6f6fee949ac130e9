"""Concurrent refund requests on PostgreSQL: a line is never refunded beyond what was bought; one key, one request."""

import threading

import pytest
from django.db import connection

from marketplace.api import DomainError
from refunds.models import RefundRequest
from refunds.services.requests import create_request
from tests.refunds.helpers import key, simple_paid

pytestmark = pytest.mark.django_db(transaction=True)


def run_threads(count, target):
    results, barrier = [], threading.Barrier(count)

    def worker(index):
        try:
            barrier.wait()
            results.append(target(index))
        except DomainError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_many_shoppers_clicks_never_refund_more_units_than_bought():
    shopper, suborder, line = simple_paid(price="300.00", quantity=3)  # 900.00: reviewed, nothing paid meanwhile

    def ask(_index):
        return create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 1}, reason="damaged",
                              idempotency_key=key()).pk  # fmt: skip

    results = run_threads(8, ask)
    created = [r for r in results if isinstance(r, int)]
    assert len(created) == 3 and results.count("over_refund") == 5
    assert sum(RefundRequest.objects.values_list("amount", flat=True)) == line.payable


def test_double_submit_with_one_key_makes_one_request():
    shopper, suborder, line = simple_paid(price="300.00", quantity=3)

    def ask(_index):
        return create_request(shopper=shopper, suborder_id=suborder.pk, quantities={line.pk: 1}, reason="damaged",
                              idempotency_key="double-click").pk  # fmt: skip

    results = run_threads(6, ask)
    assert len(set(results)) == 1 and RefundRequest.objects.count() == 1
