"""generate_history makes a plausible year (campaign spikes, weekends); the workbench pages and exports render from
it; backtest_forecast prints its figures."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from insight import forecast as forecast_module
from insight import history
from insight.models import SkuForecast, StoreDay
from tests.orders.helpers import sku_in
from tests.promotions.factories import CampaignFactory
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def store_with_history():
    now = timezone.now()
    for start, days in ((-60, 3), (-20, 2), (40, 3)):  # two past campaigns (their effect is learnt), one upcoming
        CampaignFactory(
            starts_at=now + datetime.timedelta(days=start), ends_at=now + datetime.timedelta(days=start + days)
        )
    store = StoreFactory()
    for price in ("20.00", "35.00", "50.00"):
        sku_in(store, price=price, stock=100)
    result = history.generate(days=120, orders_per_day=6, shoppers=20, seed=3)
    assert result["orders"] > 400
    return store


def test_history_has_weekly_seasonality_and_feeds_rollups_and_forecasts(store_with_history, capsys):
    rows = list(StoreDay.objects.filter(store=store_with_history).values_list("day", "orders"))
    weekend = [orders for day, orders in rows if day.weekday() >= 5]
    weekday = [orders for day, orders in rows if day.weekday() < 4]
    assert sum(weekend) / len(weekend) > 1.2 * sum(weekday) / len(weekday)
    assert SkuForecast.objects.filter(sku__store=store_with_history, day=timezone.localdate()).count() == 3
    call_command("backtest_forecast", "--weeks", "4")
    out = capsys.readouterr().out
    assert "WAPE" in out and "MASE" in out and "seasonal-naive" in out


def test_workbench_pages_and_exports(store_with_history, client):
    client.force_login(store_with_history.merchant.owner)
    today = timezone.localdate()
    page = client.get("/seller/analytics/", {"from": (today - datetime.timedelta(days=60)).isoformat(),
                                             "to": today.isoformat(), "grain": "week"})  # fmt: skip
    assert page.status_code == 200 and b"<svg" in page.content
    assert client.get("/seller/analytics/", {"from": "bad"}).status_code == 200  # the form shows the error
    export = client.get("/seller/analytics/export.csv", {"scope": "all"})
    assert export.status_code == 200 and export.content.decode().startswith("date,visitors")
    todo = client.get("/seller/todo/")
    assert todo.status_code == 200 and b'data-testid="todo-to_ship"' in todo.content
    forecast = client.get("/seller/forecast/", {"lead": "10", "service": "0.9"})
    assert forecast.status_code == 200 and forecast.content.count(b"<tr>") >= 4
    upcoming = forecast_module.upcoming_campaigns().last()
    spike = client.get("/seller/forecast/", {"campaign": upcoming.pk})
    assert spike.status_code == 200 and b"<svg" in spike.content and upcoming.name.encode() in spike.content
    campaign_units = sum(SkuForecast.objects.filter(sku__store=store_with_history,
                                                    day__in=forecast_module.campaign_days(
                                                        today, today + datetime.timedelta(days=60), upcoming.pk))
                         .values_list("units", flat=True))  # fmt: skip
    normal_units = sum(SkuForecast.objects.filter(sku__store=store_with_history, day__gte=today,
                                                  day__lt=today + datetime.timedelta(days=30))
                       .values_list("units", flat=True)) / 30  # fmt: skip
    assert campaign_units / 4 > 1.3 * normal_units  # the campaign effect shows in the forecast
    csv = client.get("/seller/forecast/export.csv").content.decode().splitlines()
    assert csv[0].startswith("sku,") and len(csv) == 4
    assert client.get("/seller/").status_code == 200
    api = client.get("/api/v1/seller/forecast/", {"store": store_with_history.pk, "lead": "nan", "service": "x"})
    assert api.status_code == 200 and len(api.json()) == 3
    assert all(row["suggested"] >= 0 and len(row["daily"]) == 30 for row in api.json())
    assert client.get("/api/v1/seller/forecast/", {"store": StoreFactory().pk}).status_code == 404
