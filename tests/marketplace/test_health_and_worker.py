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
    only_ours = lambda timeout=1.0: health.check_workers(timeout, destination=[worker.name])  # noqa: E731
    monkeypatch.setattr(health, "workers_check", only_ours)
    assert client.get(reverse("healthz")).status_code == 200

    worker.stop()
    response = client.get(reverse("healthz"))
    body = response.json()
    assert response.status_code == 503
    assert body["down"] == ["workers"]
    assert body["database"]["ok"] and body["redis"]["ok"]
