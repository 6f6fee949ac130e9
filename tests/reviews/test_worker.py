"""The worker keeps the store's DSR: a review's commit queues the recomputation; the API shows it within 10 s."""

import time

import pytest

from reviews import rules
from reviews.services import reviews as services
from tests.reviews.helpers import DSR, received_line
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_store_dsr_updated_by_the_worker_within_seconds(celery_worker, api_client):
    store = StoreFactory()
    lines = [received_line(store=store) for _ in range(rules.DSR_FLOOR)]
    for shopper, _suborder, line in lines[:-1]:
        services.post_review(shopper=shopper, line_id=line.pk, rating=5, dsr=DSR)
    shopper, _suborder, line = lines[-1]
    api_client.force_authenticate(shopper)
    started = time.monotonic()
    posted = api_client.post(
        "/api/v1/reviews/", {"line": line.pk, "rating": 5, "dsr": {"description": 4, "service": 4, "logistics": 4}},
        format="json",
    )  # fmt: skip
    assert posted.status_code == 201
    api_client.force_authenticate(None)
    expected = {"description": 4.9, "service": 4.0, "logistics": 4.9, "count": 10}
    shown = None
    while time.monotonic() - started < 10:
        shown = api_client.get(f"/api/v1/stores/{store.slug}/").json()["dsr"]
        if shown == expected:
            break
        time.sleep(0.2)
    assert shown == expected
