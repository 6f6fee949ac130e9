"""/healthz: the state of the database, Redis and the Celery workers, for load balancers and humans."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from marketplace import heartbeat
from marketplace.celery import app as celery_app


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported by name
        return False, f"{type(exc).__name__}: {exc}".strip()


def check_redis() -> tuple[bool, str]:
    try:
        heartbeat.client().ping()
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {exc}"


def check_workers(destination: list[str] | None = None) -> tuple[bool, str]:
    """At least one live worker consumes this deployment's queue (a worker on another queue does not count)."""
    queue = celery_app.conf.task_default_queue
    try:
        live = heartbeat.live_workers(queue)
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {exc}"
    if destination is not None:
        live = [name for name in live if name in destination]
    if not live:
        return False, f"no live worker consumes queue {queue!r}"
    return True, f"{len(live)} live: {', '.join(live)}"


workers_check = check_workers


@never_cache
def healthz(request):
    checks = {"database": check_database(), "redis": check_redis()}
    # Asking workers goes through Redis; without Redis the answer is already known.
    checks["workers"] = workers_check() if checks["redis"][0] else (False, "redis is down")
    body = {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()}
    down = [name for name, (ok, _) in checks.items() if not ok]
    body["status"] = "ok" if not down else "down"
    body["down"] = down
    return JsonResponse(body, status=200 if not down else 503)
