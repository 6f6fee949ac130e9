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


def start_app_server(port: int, workers: int, log_name: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """uvicorn serving the Django app as `make run` does (marketplace.asgi), with the bench-only views on, in a
    session of its own; its output (the 4xx warnings) goes to .devdata/<log_name>.log."""
    from marketplace import devstack

    env = {**os.environ, **devstack.environment(), "DEVSTACK_AUTOSTART": "0", "DEBUG": "0", "LOG_LEVEL": "ERROR",
           "SECRET_KEY": "bench-throwaway-" + os.urandom(8).hex(), "SECURE_SSL_REDIRECT": "0",
           "ALLOWED_HOSTS": "127.0.0.1", "STATIC_ROOT": str(BASE_DIR / ".devdata" / "bench-static"),
           "BENCH_HELLO": "1", **(env or {})}  # fmt: skip
    command = [
        sys.executable, "-m", "uvicorn", "marketplace.asgi:application",
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--lifespan", "off", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    log = (BASE_DIR / ".devdata" / f"{log_name}.log").open("ab")
    return subprocess.Popen(command, env=env, cwd=BASE_DIR, start_new_session=True, stdout=log, stderr=log)


def wait_for_hello(port: int, timeout: float = 60) -> None:
    """Until /bench/hello/ answers 200: every server process is up."""
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/bench/hello/", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("uvicorn did not come up")


def stop_app_server(process: subprocess.Popen) -> None:
    import signal

    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
