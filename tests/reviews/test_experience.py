"""Customer experience by vertical and brand: the figures from reviews, orders and refunds."""

import pytest

from refunds.models import RefundRequest
from refunds.services.requests import create_request
from reviews import experience
from reviews.services import reviews as services
from tests.accounts.factories import UserFactory
from tests.orders.helpers import sku_in
from tests.refunds.helpers import key, paid_order
from tests.reviews.helpers import DSR, received_line
from tests.shops.factories import CategoryFactory, ProductFactory, SKUFactory, StoreFactory

pytestmark = pytest.mark.django_db


def test_figures_per_vertical_and_brand(api_client):
    vertical = CategoryFactory(name="服装", name_en="Apparel")
    store = StoreFactory()
    sku = SKUFactory(product=ProductFactory(store=store, category=vertical), stock=50)
    for rating in (5, 2):
        shopper, _suborder, line = received_line(sku=sku)
        services.post_review(shopper=shopper, line_id=line.pk, rating=rating, dsr=DSR)
    order, lines, suborder = paid_order((sku, 1))  # paid, not shipped: an instant refund
    refund = create_request(
        shopper=order.shopper, suborder_id=suborder.pk, quantities={lines[sku.pk].pk: 1}, kind="refund_only",
        reason="not_wanted", description="", idempotency_key=key(),
    )  # fmt: skip
    assert refund.instant
    sku_in(stock=5)  # another vertical, no activity
    report = experience.report(7)
    (row,) = [r for r in report.rows if r.vertical_id == vertical.pk]
    data = row.as_dict()
    assert data["vertical"] == "Apparel" and data["brand"] == "TAOBAO"
    assert data["reviews"] == 2 and data["good_rate"] == 50 and data["description"] == 5
    assert data["paid_suborders"] == 3 and data["refunds"] == 1
    assert float(data["refund_rate"]) == pytest.approx(33.3) and data["instant_share"] == 100
    assert data["median_ship_hours"] is not None and data["late_shipment_rate"] is None
    assert RefundRequest.objects.count() == 1
    operator_only = api_client.get("/api/v1/ops/experience/")
    assert operator_only.status_code in (401, 403)
    api_client.force_authenticate(UserFactory())
    assert api_client.get("/api/v1/ops/experience/").status_code == 403
