"""The finance API: statements scoped to the merchant's stores, commission rates, settlement runs, payouts."""

import pytest

from settlement.models import CommissionRate, SettlementRun
from tests.accounts.factories import OperatorFactory
from tests.refunds.helpers import simple_paid
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db


def test_finance_api(api_client):
    _shopper, suborder, _line = simple_paid()
    api_client.force_authenticate(suborder.store.merchant.owner)
    statement = api_client.get(f"/api/v1/seller/finance/statement/?store={suborder.store_id}&month=2026-11")
    assert statement.status_code == 200 and statement.json()["opening"] == "0.00"
    other = StoreFactory()
    assert api_client.get(f"/api/v1/seller/finance/statement/?store={other.pk}").status_code == 404
    api_client.force_authenticate(OperatorFactory())
    too_high = api_client.post("/api/v1/ops/finance/commission-rates/", {"brand": "TMALL", "rate": "0.9"},
                               format="json")  # fmt: skip
    assert too_high.status_code == 400 and not CommissionRate.objects.exists()
    ok = api_client.post("/api/v1/ops/finance/commission-rates/", {"brand": "TMALL", "rate": "0.0300"}, format="json")
    assert ok.status_code == 201
    again = api_client.post("/api/v1/ops/finance/commission-rates/", {"brand": "TMALL", "rate": "0.0400"},
                            format="json")  # fmt: skip
    assert again.json()["id"] == ok.json()["id"] and str(CommissionRate.objects.get().rate) == "0.0400"
    run = api_client.post("/api/v1/ops/finance/settlement-runs/")
    assert run.status_code == 202 and SettlementRun.objects.filter(pk=run.json()["id"]).exists()
    assert api_client.get("/api/v1/ops/finance/promotion-subsidies/").status_code == 200
    assert api_client.post("/api/v1/ops/finance/payouts/run/").status_code == 201
    assert api_client.get("/api/v1/ops/finance/payouts/").status_code == 200
