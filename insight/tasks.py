from celery import shared_task


@shared_task(name="insight.flush_events")
def flush_events() -> int:
    from insight import events

    return events.flush()


@shared_task(name="insight.purge_events")
def purge_events() -> int:
    from insight import events

    return events.purge()


@shared_task(name="insight.roll_up")
def roll_up() -> int:
    from insight.analytics import rollup

    return rollup.roll_pending()


@shared_task(name="insight.train_recommendations")
def train_recommendations() -> dict:
    from insight.recs import training

    return training.train()


@shared_task(name="insight.refresh_forecasts")
def refresh_forecasts() -> int:
    from insight import forecast

    return forecast.refresh_all()
