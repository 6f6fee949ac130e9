"""Forecast on synthetic data: 30 daily values, never negative, weekly shape and campaign effect visible."""

import datetime

import numpy as np

from insight import forecast


def synthetic(days=280, campaign=frozenset(), seed=7):
    rng = np.random.default_rng(seed)
    first = datetime.date(2026, 1, 1)
    y = []
    for i in range(days):
        day = first + datetime.timedelta(days=i)
        rate = 10 * (1.6 if day.weekday() >= 5 else 1.0) * (4.0 if day in campaign else 1.0)
        y.append(rng.poisson(rate))
    return first, np.array(y, dtype=float)


def test_forecast_has_the_horizon_is_non_negative_and_shows_weekends_and_campaigns():
    first = datetime.date(2026, 1, 1)
    history_campaign = {first + datetime.timedelta(days=d) for d in (40, 41, 100, 101, 200, 201)}
    future = {first + datetime.timedelta(days=280 + d) for d in (10, 11)}
    _first, y = synthetic(campaign=history_campaign)
    fit = forecast.fit_and_forecast(y, first, 30, history_campaign | future)
    assert fit.forecast.shape == (30,) and (fit.forecast >= 0).all()
    future_days = [first + datetime.timedelta(days=280 + i) for i in range(30)]
    normal_weekdays = [f for f, day in zip(fit.forecast, future_days, strict=True)
                       if day.weekday() < 5 and day not in future]  # fmt: skip
    weekends = [f for f, day in zip(fit.forecast, future_days, strict=True) if day.weekday() >= 5 and day not in future]
    assert np.mean(weekends) > 1.3 * np.mean(normal_weekdays)
    assert fit.forecast[10] > 2.5 * np.mean(normal_weekdays)
    assert 8 < np.mean(normal_weekdays) < 12


def test_suggested_stock_up_covers_lead_time_and_safety_stock():
    advice = forecast.suggested_stock_up(np.full(30, 10.0), residual_sd=3.0, stock=40, lead_days=7, service=0.95)
    assert advice["lead_demand"] == 70.0
    assert 12 < advice["safety_stock"] < 14  # 1.645 * 3 * sqrt(7)
    assert advice["suggested"] == 70 + 14 - 40
    assert forecast.suggested_stock_up(np.zeros(30), 0.0, 5, 7, 0.95)["suggested"] == 0


def test_seasonal_naive_repeats_last_week():
    y = np.arange(21, dtype=float)
    assert list(forecast.seasonal_naive(y, 9)) == [14, 15, 16, 17, 18, 19, 20, 14, 15]
