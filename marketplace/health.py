"""/healthz: the state of the database, Redis and the Celery workers, for load balancers and humans."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from marketplace.celery import app as celery_app


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported by name
        return False, f"{type(exc).__name__}: {exc}".strip()


def check_redis() -> tuple[bool, str]:
    import redis
    from django.conf import settings

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1).ping()
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {exc}"


def check_workers(timeout: float = 1.0, destination: list[str] | None = None) -> tuple[bool, str]:
    """At least one live worker consumes this deployment's queue (a worker on another queue does not count)."""
    queue = celery_app.conf.task_default_queue
    try:
        replies = celery_app.control.inspect(timeout=timeout, destination=destination).active_queues() or {}
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {exc}"
    live = sorted(name for name, queues in replies.items() if any(q.get("name") == queue for q in queues or []))
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
