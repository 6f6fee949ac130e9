import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="marketplace.ping")
def ping(value: str) -> str:
    """Round trip used by health checks and tests: proves a worker consumes from the broker."""
    return f"pong:{value}"
