"""`make run`: services, migrations, demo data, then the ASGI server, a Celery worker and Celery beat.

Ctrl-C (or SIGTERM) stops every process this started, and the dev-stack services if this started them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from marketplace import devstack

PYTHON = sys.executable


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(devstack.environment())
    env.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    env["DEVSTACK_AUTOSTART"] = "0"
    return env


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], check=True, env=child_env())


def serve(host: str, port: int, workers: int) -> int:
    env = child_env()
    commands = {
        "web": [PYTHON, "-m", "uvicorn", "marketplace.asgi:application", "--host", host, "--port", str(port),
                "--workers", str(workers), "--lifespan", "off"],
        "worker": [PYTHON, "-m", "celery", "-A", "marketplace", "worker", "--loglevel", "INFO",
                   "--concurrency", os.environ.get("CELERY_CONCURRENCY", "2"), "--hostname", "worker@%h"],
        "beat": [PYTHON, "-m", "celery", "-A", "marketplace", "beat", "--loglevel", "INFO"],
    }  # fmt: skip
    processes = {name: subprocess.Popen(cmd, env=env) for name, cmd in commands.items()}
    print(f"serving on http://{host}:{port}  (web, worker, beat running; Ctrl-C stops everything)", flush=True)

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        for name, process in processes.items():
            if process.poll() is not None:
                print(f"{name} exited with status {process.returncode}; stopping the rest", file=sys.stderr)
                exit_code = 1
                stopping = True
        time.sleep(0.3)
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 15
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
    return exit_code


def main() -> int:
    try:
        started = devstack.up()
    except devstack.DevStackError as exc:
        print(f"devstack: {exc}", file=sys.stderr)
        return 1
    try:
        manage("compile_catalogs")
        manage("migrate", "--no-input")
        manage("seed_demo")
        return serve(
            os.environ.get("HOST", "127.0.0.1"),
            int(os.environ.get("PORT", "8000")),
            int(os.environ.get("WEB_WORKERS", "2")),
        )
    except subprocess.CalledProcessError as exc:
        print(f"failed: {' '.join(exc.cmd)}", file=sys.stderr)
        return 1
    finally:
        devstack.down(started)
        if started:
            print(f"stopped {', '.join(started)}")


if __name__ == "__main__":
    raise SystemExit(main())
