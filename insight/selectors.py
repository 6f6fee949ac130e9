"""Reads of insight that views and the API share."""

from __future__ import annotations

import datetime
import math

import numpy as np
from django.http import Http404
from django.utils import timezone

from insight import forecast
from insight.models import EventOptOut, SkuForecast
from shops.models import SKU, StockLevel
from shops.permissions import Capability, stores_for


def analytics_store_ids(user, raw_store) -> list[int]:
    """The stores the figures cover: one of the user's stores (another merchant's id is a 404), or all of them."""
    stores = stores_for(user, Capability.VIEW_STORE)
    if raw_store in (None, "", "all"):
        return list(stores.order_by("pk").values_list("pk", flat=True))
    try:
        store_id = int(raw_store)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < store_id < 2**63 or not stores.filter(pk=store_id).exists():
        raise Http404
    return [store_id]


def opted_out(user) -> bool:
    return bool(user and user.is_authenticated and EventOptOut.objects.filter(user=user).exists())


def _bounded(raw, default, low, high, kind):
    try:
        value = kind(raw) if raw not in (None, "") else default
    except (TypeError, ValueError):
        return default
    return max(low, min(value, high)) if math.isfinite(value) else default


def forecast_rows(store_ids, params) -> dict:
    """Forecast per SKU and location over the next 30 days (or the chosen upcoming campaign's days) with the
    suggested stock-up, most urgent first; and the daily totals for the chart."""
    lead = _bounded(params.get("lead"), 7, 1, 30, int)
    service = _bounded(params.get("service"), 0.95, 0.5, 0.999, float)
    today = timezone.localdate()
    campaigns = list(forecast.upcoming_campaigns(today))
    chosen = next((c for c in campaigns if str(c.pk) == str(params.get("campaign", ""))), None)
    forecasts = SkuForecast.objects.filter(sku__store_id__in=store_ids, day__gte=today)
    if chosen:  # the campaign's days: stock for the spike
        horizon_end = today + datetime.timedelta(days=forecast.MAX_HORIZON)
        forecasts = forecasts.filter(day__in=forecast.campaign_days(today, horizon_end, chosen.pk))
    else:
        forecasts = forecasts.filter(day__lt=today + datetime.timedelta(days=forecast.HORIZON))
    per_key: dict[tuple, list[float]] = {}
    per_day: dict[datetime.date, float] = {}
    for sku_id, outlet_id, day, units in forecasts.order_by("sku_id", "outlet_id", "day").values_list(
        "sku_id", "outlet_id", "day", "units"
    ):
        per_key.setdefault((sku_id, outlet_id), []).append(units)
        per_day[day] = per_day.get(day, 0.0) + units
    skus = SKU.objects.in_bulk({key[0] for key in per_key})
    stock: dict[tuple, int] = {}
    for sku_id, outlet_id, quantity in StockLevel.objects.filter(sku_id__in=skus).values_list(
        "sku_id", "outlet_id", "quantity"
    ):
        stock[(sku_id, outlet_id)] = stock.get((sku_id, outlet_id), 0) + quantity
    rows = []
    for key, values in per_key.items():
        series = np.array(values)
        spread = float(np.sqrt(series.mean())) if len(series) else 0.0  # Poisson spread of the forecast
        # For a campaign the whole window must be on the shelf when it starts: its length is the lead time.
        advice = forecast.suggested_stock_up(series, spread, stock.get(key, 0), len(series) if chosen else lead,
                                             service)  # fmt: skip
        rows.append({"sku": skus.get(key[0]), "outlet_id": key[1], "next_30": round(float(series.sum()), 1),
                     "daily": [round(v, 2) for v in values], "stock": stock.get(key, 0), **advice})  # fmt: skip
    rows.sort(key=lambda row: -row["suggested"])
    return {"rows": rows, "per_day": per_day, "lead": lead, "service": service, "campaigns": campaigns,
            "chosen": chosen}  # fmt: skip
