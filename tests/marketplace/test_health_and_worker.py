import uuid

import pytest
from django.urls import reverse

from marketplace.celery import ping

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_real_worker_runs_a_task_from_the_broker(celery_worker):
    result = ping.delay("round-trip")
    assert result.get(timeout=30) == "pong:round-trip"


def test_healthz_is_200_with_database_redis_and_a_live_worker(client, celery_worker):
    response = client.get(reverse("healthz"))
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["redis"]["ok"] and body["workers"]["ok"]


def test_healthz_names_a_stopped_worker_with_503(client, worker_factory, monkeypatch):
    from marketplace import health

    worker = worker_factory("health")
    only_ours = lambda: health.check_workers(destination=[worker.name])  # noqa: E731
    monkeypatch.setattr(health, "workers_check", only_ours)
    assert client.get(reverse("healthz")).status_code == 200

    worker.stop()
    response = client.get(reverse("healthz"))
    body = response.json()
    assert response.status_code == 503
    assert body["down"] == ["workers"]
    assert body["database"]["ok"] and body["redis"]["ok"]


def test_a_worker_that_stopped_stamping_is_taken_for_dead_after_the_freshness_window():
    import time_machine

    from marketplace import heartbeat

    queue = f"heartbeat-test-{uuid.uuid4().hex}"
    with time_machine.travel(1_900_000_000, tick=False) as clock:
        heartbeat.stamp("alive@test", [queue])
        heartbeat.stamp("hung@test", [queue])
        clock.shift(heartbeat.FRESH_SECONDS - 1)
        heartbeat.stamp("alive@test", [queue])
        assert heartbeat.live_workers(queue) == ["alive@test", "hung@test"]
        clock.shift(2)
        assert heartbeat.live_workers(queue) == ["alive@test"]
        heartbeat.forget("alive@test", [queue])
        assert heartbeat.live_workers(queue) == []
