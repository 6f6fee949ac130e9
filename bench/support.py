"""Pieces the benchmarks share: a free loopback port and real Celery worker processes on a queue of their own."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def ready_database() -> None:
    """Start the dev stack (unless DATABASE_URL/REDIS_URL point elsewhere), set Django up and migrate: a bench runs
    on a database that `make run` never prepared."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    from marketplace import devstack

    devstack.up()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_worker(name: str, concurrency: int, queue: str, env: dict[str, str]) -> subprocess.Popen:
    """A `celery worker` consuming ``queue`` (``env`` on top of this process's), once it answers a ping.
    Its output goes to .devdata/<name>.log."""
    from marketplace.celery import app

    env = {**os.environ, "CELERY_QUEUE": queue, "DEVSTACK_AUTOSTART": "0", "LOG_LEVEL": "WARNING", **env}
    log_path = BASE_DIR / ".devdata" / f"{name}.log"
    hostname = f"{name}-{os.getpid()}@localhost"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "-Q", queue, "--hostname", hostname,
         "--concurrency", str(concurrency), "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        env=env, cwd=BASE_DIR, stdout=log_path.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"worker {name} exited; see {log_path}")
        if app.control.ping(destination=[hostname], timeout=0.5):
            return process
    process.kill()
    raise RuntimeError(f"worker {name} did not start; see {log_path}")


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
