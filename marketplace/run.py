"""`make run`: services, migrations, demo data, then the ASGI server, a Celery worker and Celery beat, supervised.

A process that exits on its own (a crash, ``kill -9``, an out-of-memory kill) is logged and started again after a
backoff (1 s, doubling up to 30 s; back to 1 s once it has stayed up for a minute), so a dead worker costs a few
seconds of queued tasks, not the whole stack. The stack stops only when asked: Ctrl-C, SIGINT / SIGTERM / SIGHUP to
this runner, or to the ``make`` that started it (make passes SIGTERM on; SIGINT it keeps to itself, so the runner
notices make giving up its own SIGINT handler, see ``ParentWatch``). Then every process is stopped, and the
dev-stack services if this started them.

    python -m marketplace.run [--no-setup] [--only web,worker,beat]
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from marketplace import devstack, heartbeat

PYTHON = sys.executable
log = logging.getLogger("marketplace.run")

FIRST_BACKOFF = 1.0
MAX_BACKOFF = 30.0
STABLE_AFTER = 60.0  # seconds up after which a process counts as healthy again (backoff resets)
POLL = 0.2
WORKER_HOSTNAME = "worker@%h"


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(devstack.environment())
    env.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    env["DEVSTACK_AUTOSTART"] = "0"
    return env


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], check=True, env=child_env())


def commands(host: str, port: int, workers: int) -> dict[str, list[str]]:
    return {
        "web": [PYTHON, "-m", "uvicorn", "marketplace.asgi:application", "--host", host, "--port", str(port),
                "--workers", str(workers), "--lifespan", "off"],
        "worker": [PYTHON, "-m", "celery", "-A", "marketplace", "worker", "--loglevel", "INFO",
                   "--concurrency", os.environ.get("CELERY_CONCURRENCY", "2"), "--hostname",
                   os.environ.get("CELERY_HOSTNAME", WORKER_HOSTNAME)],
        "beat": [PYTHON, "-m", "celery", "-A", "marketplace", "beat", "--loglevel", "INFO"],
    }  # fmt: skip


@dataclass
class Supervised:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff: float = FIRST_BACKOFF
    restart_at: float | None = None
    restarts: int = 0
    on_exit: Callable[[], None] | None = None


@dataclass
class ParentWatch:
    """Notices the parent giving up: it exits (we are re-parented), or it is ``make`` and received a fatal signal.
    GNU make, on SIGINT, resets that signal to its default action and waits for its children without telling them
    (it forwards only SIGTERM), so a runner under ``make run`` would otherwise keep make waiting forever. The
    reset shows in /proc (SigCgt), which is what this watches (Linux; elsewhere only re-parenting is seen)."""

    parent: int = field(default_factory=os.getppid)
    caught_at_start: int = 0

    WATCHED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __post_init__(self):
        self.caught_at_start = self._caught() or 0

    def _caught(self) -> int | None:
        try:
            for line in Path(f"/proc/{self.parent}/status").read_text().splitlines():
                if line.startswith("SigCgt:"):
                    return int(line.split()[1], 16)
        except (OSError, ValueError):
            return None
        return None

    def gave_up(self) -> bool:
        if os.getppid() != self.parent:
            return True
        caught = self._caught()
        if caught is None:
            return False
        return any(self.caught_at_start & (1 << (sig - 1)) and not caught & (1 << (sig - 1)) for sig in self.WATCHED)


class Supervisor:
    def __init__(
        self,
        programs: dict[str, list[str]],
        env: dict[str, str] | None = None,
        on_exit: dict[str, Callable[[], None]] | None = None,
    ):
        on_exit = on_exit or {}
        self.programs = [Supervised(name, command, on_exit=on_exit.get(name)) for name, command in programs.items()]
        self.env = env
        self.stopping = False
        self.parent = ParentWatch()

    def request_stop(self, signum=None, _frame=None) -> None:
        if not self.stopping and signum is not None:
            log.warning("received %s; stopping", signal.Signals(signum).name)
        self.stopping = True

    def start(self, program: Supervised) -> None:
        program.process = subprocess.Popen(program.command, env=self.env)
        program.started_at = time.monotonic()
        program.restart_at = None
        log.warning("%s started (pid %s)", program.name, program.process.pid)

    def check(self, program: Supervised, now: float) -> None:
        if program.restart_at is not None:
            if now >= program.restart_at:
                program.restarts += 1
                self.start(program)
            return
        status = program.process.poll() if program.process else None
        if status is None:
            if now - program.started_at >= STABLE_AFTER:
                program.backoff = FIRST_BACKOFF
            return
        if now - program.started_at >= STABLE_AFTER:
            program.backoff = FIRST_BACKOFF
        log.error("%s exited with status %s; restarting in %.0fs", program.name, status, program.backoff)
        if program.on_exit:
            program.on_exit()
        program.restart_at = now + program.backoff
        program.backoff = min(program.backoff * 2, MAX_BACKOFF)

    def run(self) -> int:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self.request_stop)
        for program in self.programs:
            self.start(program)
        while not self.stopping:
            now = time.monotonic()
            for program in self.programs:
                self.check(program, now)
            if self.parent.gave_up():
                log.warning("the parent process (make) is stopping; stopping")
                self.stopping = True
            time.sleep(POLL)
        self.stop_all()
        return 0

    def stop_all(self, grace: float = 15.0) -> None:
        running = [p.process for p in self.programs if p.process and p.process.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + grace
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.warning("stopped %s", ", ".join(p.name for p in self.programs))


def serve(host: str, port: int, workers: int, only: list[str] | None = None) -> int:
    programs = {name: cmd for name, cmd in commands(host, port, workers).items() if not only or name in only}
    print(f"serving on http://{host}:{port}  ({', '.join(programs)} supervised; Ctrl-C stops everything)", flush=True)
    env = child_env()

    def forget_worker() -> None:
        hostname = env.get("CELERY_HOSTNAME", WORKER_HOSTNAME)
        heartbeat.forget_exited(hostname, env.get("CELERY_QUEUE", "marketplace"), env["REDIS_URL"])

    return Supervisor(programs, env=env, on_exit={"worker": forget_worker}).run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m marketplace.run")
    parser.add_argument("--no-setup", action="store_true", help="skip services, migrations and demo data")
    parser.add_argument("--only", help="comma-separated subset of web,worker,beat")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="run: %(asctime)s %(message)s", stream=sys.stderr)
    only = [name.strip() for name in args.only.split(",")] if args.only else None
    address = (os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "8000")))
    web_workers = int(os.environ.get("WEB_WORKERS", "2"))
    if args.no_setup:
        return serve(*address, web_workers, only)
    try:
        started = devstack.up()
    except devstack.DevStackError as exc:
        print(f"devstack: {exc}", file=sys.stderr)
        return 1
    try:
        manage("compile_catalogs")
        manage("migrate", "--no-input")
        manage("seed_demo")
        return serve(*address, web_workers, only)
    except subprocess.CalledProcessError as exc:
        print(f"failed: {' '.join(exc.cmd)}", file=sys.stderr)
        return 1
    finally:
        devstack.down(started)
        if started:
            print(f"stopped {', '.join(started)}")


if __name__ == "__main__":
    raise SystemExit(main())
