import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.steps["worker"].add("marketplace.heartbeat:Heartbeat")


@app.task(name="marketplace.ping")
def ping(value: str) -> str:
    """Round trip used by health checks and tests: proves a worker consumes from the broker."""
    return f"pong:{value}"


def declare_beat(schedule: dict[str, dict]) -> None:
    """An app's periodic work, declared once from its ``ready()``: entries join settings and the running app.

    Settings win over an app's defaults, so a deployment can retune a schedule without touching code."""
    from django.conf import settings

    for name, entry in schedule.items():
        settings.CELERY_BEAT_SCHEDULE.setdefault(name, entry)
    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **settings.CELERY_BEAT_SCHEDULE}
