"""Insight demo: roll up finished days, train recommendations and refresh forecasts from whatever orders exist.

A year of history is not created here (it takes a minute): run ``manage.py generate_history`` after seed_demo,
or set INSIGHT_DEMO_HISTORY=1 to have seed_demo do it once (skipped when history rows already exist)."""

from __future__ import annotations

import os

from insight import forecast, history
from insight.analytics import rollup
from insight.recs import training
from orders.models import Order


def seed(stdout):
    if (
        os.environ.get("INSIGHT_DEMO_HISTORY") == "1"
        and not Order.objects.filter(number__startswith=history.HISTORY_PREFIX).exists()
    ):
        stdout.write(f"insight: history {history.generate(days=365, orders_per_day=20, shoppers=150, finish=False)}")
    rollup.roll_pending()
    counts = training.train()
    forecasts = forecast.refresh()
    stdout.write(
        f"insight: recommendations {counts}, forecast rows {forecasts} (manage.py generate_history for a year)"
    )
    return []
