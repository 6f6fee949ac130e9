"""Demand forecast (科学备货): per SKU and location (warehouse = outlet NULL), daily units for the next 30 days.

Model: a Poisson GLM from statsmodels with a trend, day-of-week effects (weekly seasonality) and a campaign-day
regressor (a known effect: campaign days in the future are known from the promotions calendar). Suggested
stock-up = forecast over the lead time + safety stock (z of the service level x residual spread x sqrt(lead
time)) - current stock. The baseline in backtests is seasonal-naive (same weekday last week).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from insight.analytics.queries import day_start

HISTORY_DAYS = 365
HORIZON = 30
MAX_HORIZON = 120  # forecasts reach the end of campaigns starting within it (e.g. Double 11 chosen in September)

HISTORY_SQL = """
SELECT l.sku_id, sl.outlet_id, (so.paid_at AT TIME ZONE %(tz)s)::date AS day, SUM(d.quantity)
FROM orders_stockdraw d
JOIN orders_orderline l ON l.id = d.line_id
JOIN orders_suborder so ON so.id = l.suborder_id
JOIN shops_stocklevel sl ON sl.id = d.stock_level_id
WHERE so.paid_at >= %(start)s AND so.paid_at < %(end)s {where}
GROUP BY 1, 2, 3
"""


def campaign_days(first: datetime.date, last: datetime.date, campaign_id: int | None = None) -> set[datetime.date]:
    """Local days covered by platform campaigns in [first, last] (or by one campaign)."""
    from promotions.models import Campaign

    campaigns = Campaign.objects.filter(starts_at__lt=day_start(last + datetime.timedelta(days=1)),
                                        ends_at__gt=day_start(first))  # fmt: skip
    if campaign_id is not None:
        campaigns = campaigns.filter(pk=campaign_id)
    days = set()
    for campaign in campaigns:
        day = max(timezone.localdate(campaign.starts_at), first)
        end = min(timezone.localdate(campaign.ends_at - datetime.timedelta(microseconds=1)), last)
        while day <= end:
            days.add(day)
            day += datetime.timedelta(days=1)
    return days


def history(first: datetime.date, last: datetime.date, sku_ids=None, store_ids=None) -> dict[tuple, np.ndarray]:
    """(sku id, outlet id) -> daily units paid in [first, last] (zeros included)."""
    where, params = "", {"tz": settings.TIME_ZONE, "start": day_start(first),
                         "end": day_start(last + datetime.timedelta(days=1))}  # fmt: skip
    if sku_ids is not None:
        where += " AND l.sku_id = ANY(%(skus)s)"
        params["skus"] = list(sku_ids)
    if store_ids is not None:
        where += " AND so.store_id = ANY(%(stores)s)"
        params["stores"] = list(store_ids)
    size = (last - first).days + 1
    series: dict[tuple, np.ndarray] = {}
    with connection.cursor() as cursor:
        cursor.execute(HISTORY_SQL.format(where=where), params)
        for sku_id, outlet_id, day, units in cursor.fetchall():
            series.setdefault((sku_id, outlet_id), np.zeros(size))[(day - first).days] = float(units)
    return series


def design(days: list[datetime.date], campaign: set[datetime.date], origin: datetime.date) -> np.ndarray:
    rows = []
    for day in days:
        weekday = [1.0 if day.weekday() == k else 0.0 for k in range(1, 7)]
        rows.append([1.0, (day - origin).days / 365.0, *weekday, 1.0 if day in campaign else 0.0])
    return np.array(rows)


@dataclass
class Fit:
    forecast: np.ndarray
    residual_sd: float


def fit_and_forecast(y: np.ndarray, first: datetime.date, horizon: int, campaign: set[datetime.date]) -> Fit:
    """Fit the GLM on `y` (daily from `first`) and forecast `horizon` days after it."""
    import statsmodels.api as sm

    train_days = [first + datetime.timedelta(days=i) for i in range(len(y))]
    future_days = [train_days[-1] + datetime.timedelta(days=i + 1) for i in range(horizon)]
    x_train = design(train_days, campaign, first)
    x_future = design(future_days, campaign, first)
    if not x_train[:, -1].any():  # no campaign day in the history: the effect cannot be estimated
        x_train, x_future = x_train[:, :-1], x_future[:, :-1]
    if y.sum() == 0:
        return Fit(np.zeros(horizon), 0.0)
    try:
        model = sm.GLM(y, x_train, family=sm.families.Poisson()).fit(maxiter=50)
        forecast = np.asarray(model.predict(x_future))
        residual_sd = float(np.std(y - model.predict(x_train)))
    except (ValueError, np.linalg.LinAlgError, OverflowError):
        forecast = np.full(horizon, y[-28:].mean())
        residual_sd = float(np.std(y[-28:]))
    forecast = np.clip(np.nan_to_num(forecast), 0, max(y.max() * 5, 1))
    return Fit(forecast, residual_sd)


def seasonal_naive(y: np.ndarray, horizon: int) -> np.ndarray:
    last_week = y[-7:]
    return np.array([last_week[i % 7] for i in range(horizon)])


def suggested_stock_up(forecast: np.ndarray, residual_sd: float, stock: int, lead_days: int, service: float) -> dict:
    lead_days = max(1, min(lead_days, len(forecast)))
    demand = float(forecast[:lead_days].sum())
    z = NormalDist().inv_cdf(min(max(service, 0.5), 0.999))
    safety = z * residual_sd * math.sqrt(lead_days)
    return {"lead_demand": round(demand, 1), "safety_stock": round(safety, 1),
            "suggested": max(0, math.ceil(demand + safety - stock))}  # fmt: skip


def refresh(store_ids=None, today: datetime.date | None = None) -> int:
    """Recompute SkuForecast for every SKU with sales in the last year (of some stores)."""
    from insight.models import SkuForecast

    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=HISTORY_DAYS)
    last = today - datetime.timedelta(days=1)
    campaign = campaign_days(first, today + datetime.timedelta(days=MAX_HORIZON))
    upcoming = [day for day in campaign if day >= today]
    horizon = min(MAX_HORIZON, max([HORIZON] + [(day - today).days + 1 for day in upcoming]))
    rows = []
    for (sku_id, outlet_id), y in history(first, last, store_ids=store_ids).items():
        fit = fit_and_forecast(y, first, horizon, campaign)
        rows += [SkuForecast(sku_id=sku_id, outlet_id=outlet_id, day=today + datetime.timedelta(days=i),
                             units=float(units)) for i, units in enumerate(fit.forecast)]  # fmt: skip
    with transaction.atomic():
        stale = SkuForecast.objects.all()
        if store_ids is not None:
            stale = stale.filter(sku__store_id__in=store_ids)
        stale.delete()
        SkuForecast.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def refresh_all() -> int:
    return refresh()


def backtest(weeks: int = 8, today: datetime.date | None = None, store_ids=None, limit: int = 200) -> dict:
    """Hold out the last `weeks` weeks; WAPE and MASE of the model and of seasonal-naive over the SKUs."""
    today = today or timezone.localdate()
    last = today - datetime.timedelta(days=1)
    first = today - datetime.timedelta(days=HISTORY_DAYS)
    horizon = weeks * 7
    campaign = campaign_days(first, last)
    series = sorted(history(first, last, store_ids=store_ids).items(), key=lambda kv: -kv[1].sum())[:limit]
    totals = {"model_abs": 0.0, "naive_abs": 0.0, "actual": 0.0, "model_mase": [], "naive_mase": []}
    for _key, y in series:
        train, test = y[:-horizon], y[-horizon:]
        if train.sum() == 0 or len(train) < 28:
            continue
        fit = fit_and_forecast(train, first, horizon, campaign)
        naive = seasonal_naive(train, horizon)
        scale = np.mean(np.abs(train[7:] - train[:-7])) or 1.0
        totals["model_abs"] += float(np.abs(test - fit.forecast).sum())
        totals["naive_abs"] += float(np.abs(test - naive).sum())
        totals["actual"] += float(test.sum())
        totals["model_mase"].append(float(np.mean(np.abs(test - fit.forecast)) / scale))
        totals["naive_mase"].append(float(np.mean(np.abs(test - naive)) / scale))
    actual = totals["actual"] or 1.0
    return {
        "series": len(totals["model_mase"]),
        "model_wape": totals["model_abs"] / actual,
        "naive_wape": totals["naive_abs"] / actual,
        "model_mase": float(np.mean(totals["model_mase"])) if totals["model_mase"] else float("nan"),
        "naive_mase": float(np.mean(totals["naive_mase"])) if totals["naive_mase"] else float("nan"),
    }


def upcoming_campaigns(today: datetime.date | None = None):
    """Platform campaigns that end in the future and start within MAX_HORIZON days: the ones to stock up for."""
    from promotions.models import Campaign

    today = today or timezone.localdate()
    return Campaign.objects.filter(
        is_active=True, ends_at__gt=timezone.now(),
        starts_at__lt=day_start(today + datetime.timedelta(days=MAX_HORIZON)),
    ).order_by("starts_at")  # fmt: skip
