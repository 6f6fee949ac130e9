"""`make run` supervises its processes: a killed worker is restarted (and /healthz shows it down, then up again);
the stack stops on SIGINT to the runner, or to the make that started it."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import BASE_DIR, RUN_ID, TEST_QUEUE, worker_environment

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def supervised_environment(port: int) -> dict[str, str]:
    # A queue of its own: the session's test worker must not count as this stack's worker in /healthz.
    return {
        **worker_environment(),
        "CELERY_QUEUE": f"{TEST_QUEUE}-supervised",
        "CELERY_HOSTNAME": f"supervised-{RUN_ID}@localhost",
        "CELERY_CONCURRENCY": "1",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_WORKERS": "1",
    }


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def health(port: int) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        return json.loads(error.read())
    except OSError:
        return None


def started_pid(log_path, name: str, after: int = 0) -> int | None:
    pids = re.findall(rf"{name} started \(pid (\d+)\)", log_path.read_text())
    return int(pids[-1]) if len(pids) > after else None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return (
        subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout.strip()[:1] != "Z"
    )


def default_stop_signals():
    """As from a shell: make installs its own SIGINT handler only if SIGINT was not ignored when it started, and
    this test process may have inherited (or been given) an ignored SIGINT."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


@pytest.fixture
def launched():
    """Start processes in their own session; whatever a test leaves running is killed by its process group."""
    processes = []

    def launch(command, env, log_path):
        log = log_path.open("ab")
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=log, start_new_session=True,
                                   preexec_fn=default_stop_signals)  # fmt: skip
        processes.append(process)
        return process

    yield launch
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_a_killed_worker_is_restarted_and_healthz_shows_it_down_then_up(tmp_path, launched):
    port = free_port()
    log_path = tmp_path / "run.log"
    runner = launched([sys.executable, "-m", "marketplace.run", "--no-setup", "--only", "web,worker"],
                      supervised_environment(port), log_path)  # fmt: skip
    wait_for(lambda: (health(port) or {}).get("status") == "ok", 180, "the stack to be healthy")

    worker = started_pid(log_path, "worker")
    subprocess.run(["pkill", "-KILL", "-P", str(worker)], check=False)  # its pool children, as a crash would
    os.kill(worker, signal.SIGKILL)

    down = wait_for(lambda: (h := health(port)) and "workers" in h.get("down", []) and h, 60, "healthz to say down")
    assert down["status"] == "down" and down["database"]["ok"]
    assert runner.poll() is None, "the runner must not stop when a worker dies"
    wait_for(lambda: started_pid(log_path, "worker", after=1), 60, "a new worker")
    wait_for(lambda: (health(port) or {}).get("status") == "ok", 180, "healthz to say ok again")
    assert "worker exited with status -9; restarting in 1s" in log_path.read_text()
    assert started_pid(log_path, "worker") != worker

    web, new_worker = started_pid(log_path, "web"), started_pid(log_path, "worker")
    runner.send_signal(signal.SIGINT)
    assert runner.wait(timeout=60) == 0
    assert not alive(web) and not alive(new_worker)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_sigint_or_sigterm_to_make_stops_the_stack(tmp_path, launched, sig):
    port = free_port()
    makefile = tmp_path / "Makefile"
    makefile.write_text(f"run:\n\t{sys.executable} -m marketplace.run --no-setup --only web\n")
    log_path = tmp_path / "make.log"
    make = launched(["make", "-s", "-f", str(makefile), "run"], supervised_environment(port), log_path)
    web = wait_for(lambda: started_pid(log_path, "web"), 60, "the web process")
    wait_for(lambda: health(port) is not None, 120, "the web process to answer")

    make.send_signal(sig)  # to make alone, as `kill -INT <make>` does to a background job
    make.wait(timeout=60)
    # SIGINT make keeps to itself (the runner sees it give up its handler); SIGTERM it passes on.
    said = "the parent process (make) is stopping" if sig == signal.SIGINT else "stopping"
    assert said in log_path.read_text()
    wait_for(lambda: not alive(web), 30, "the web process to stop")
