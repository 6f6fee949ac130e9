"""Test-suite wiring: real PostgreSQL, real Redis and, for task tests, a real Celery worker process.

Every run gets its own test database, Celery queue, cache prefix and channel-layer prefix, so several runs on one
machine (or a `make run` beside them) never see each other's data or tasks.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.signals import before_task_publish
from django.conf import settings

from marketplace import devstack

RUN_ID = os.environ.get("TEST_RUN_ID") or str(os.getpid())
TEST_QUEUE = f"test-{RUN_ID}"
BASE_DIR = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    # A test that imports marketplace.asgi must not have the server serve itself pages from the test database on a
    # thread of its own (tests/marketplace/test_warmup.py calls those first requests directly).
    os.environ["WARM_UP_REQUESTS"] = "0"
    if os.environ.get("DEVSTACK_AUTOSTART", "1") == "1":
        devstack.up()
    from marketplace.celery import app as celery_app

    settings.CELERY_TASK_DEFAULT_QUEUE = TEST_QUEUE
    celery_app.conf.task_default_queue = TEST_QUEUE
    settings.CACHES["default"]["KEY_PREFIX"] = f"test-{RUN_ID}"
    settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"test-{RUN_ID}"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    settings.DATABASES["default"]["TEST"]["NAME"] = os.environ.get("TEST_DATABASE_NAME") or f"test_marketplace_{RUN_ID}"


def test_database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker_environment() -> dict[str, str]:
    """What a worker process needs to act on this run's test database and queue."""
    return {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": TEST_QUEUE,
        "CACHE_KEY_PREFIX": f"test-{RUN_ID}",
        "CHANNEL_PREFIX": f"test-{RUN_ID}",
        "DEVSTACK_AUTOSTART": "0",
        "DB_CONN_MAX_AGE": "0",
    }


RUNNING_WORKERS: list["WorkerProcess"] = []


class WorkerProcess:
    """A real `celery worker` subprocess consuming this run's queue."""

    def __init__(self, name: str, concurrency: int = 2):
        self.name = f"{name}-{RUN_ID}@localhost"
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None
        self.log_path = BASE_DIR / ".devdata" / "test-logs" / f"{self.name}.log"

    def start(self, timeout: float = 60) -> "WorkerProcess":
        from marketplace.celery import app as celery_app

        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        command = [
            sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--loglevel", "INFO",
            "-Q", TEST_QUEUE, "--hostname", self.name, "--concurrency", str(self.concurrency),
            "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, env=worker_environment(), stdout=log, stderr=log, cwd=BASE_DIR)
        RUNNING_WORKERS.append(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early, see {self.log_path}")
            if celery_app.control.ping(destination=[self.name], timeout=0.5):
                return self
        self.stop()
        raise RuntimeError(f"worker did not answer within {timeout}s, see {self.log_path}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """Kill the worker and its pool children at once, as a crash would."""
        if self.process and self.process.poll() is None:
            subprocess.run(["pkill", "-KILL", "-P", str(self.process.pid)], check=False)
            self.process.kill()
            self.process.wait()


class PublishedSinceQuiet:
    """Counts tasks this process published since the workers were last made quiet."""

    count = 0

    @classmethod
    def seen(cls, **_kwargs) -> None:
        cls.count += 1


before_task_publish.connect(PublishedSinceQuiet.seen, weak=False)


def quiesce_workers(timeout: float = 60) -> None:
    """Drop queued and countdown tasks and wait out running ones, so no task writes while the next test's
    teardown truncates the tables (a TRUNCATE racing a task's INSERT deadlocks)."""
    from marketplace.celery import app as celery_app

    names = [worker.name for worker in RUNNING_WORKERS if worker.alive()]
    revoked: set[str] = set()
    deadline = time.monotonic() + timeout
    while names and time.monotonic() < deadline:
        celery_app.control.purge()
        inspect = celery_app.control.inspect(destination=names, timeout=1)
        held = {
            (request.get("request") or request)["id"]
            for kind in (inspect.reserved(), inspect.scheduled())
            for requests in (kind or {}).values()
            for request in requests
        }
        if held - revoked:
            celery_app.control.revoke(list(held - revoked), destination=names)
            revoked |= held
        elif not any((inspect.active() or {}).values()):
            break
        time.sleep(0.1)
    PublishedSinceQuiet.count = 0


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    if PublishedSinceQuiet.count and any(worker.alive() for worker in RUNNING_WORKERS):
        quiesce_workers()


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A running worker for the whole session. Tests using it need committed data (``transactional_db``)."""
    worker = WorkerProcess("worker").start()
    yield worker
    worker.stop()


@pytest.fixture
def worker_factory(django_db_setup):
    """Start extra workers inside one test (e.g. to kill one half-way); all are stopped afterwards."""
    workers: list[WorkerProcess] = []

    def start(name: str = "extra", concurrency: int = 1) -> WorkerProcess:
        worker = WorkerProcess(f"{name}{len(workers)}", concurrency).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.kill()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
