"""The supervisor of `make run` on stand-in programs (no stack, a few seconds): any program that dies (beat, web,
worker alike) is restarted with a doubling backoff and logged, a healthy one is left alone, and SIGTERM to the
runner stops everything it started."""

import os
import signal
import subprocess
import sys
import textwrap
import time

from tests.conftest import BASE_DIR

RUNNER = textwrap.dedent(
    """
    import logging, sys
    from marketplace.run import Supervisor
    logging.basicConfig(level=logging.INFO, format="run: %(message)s", stream=sys.stderr)
    crash = [sys.executable, "-c", "import sys; sys.exit(3)"]
    sleep = [sys.executable, "-c", "import time; time.sleep(120)"]
    sys.exit(Supervisor({"beat": crash, "web": sleep}).run())
    """
)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout.strip()
    return not state.startswith("Z")


def test_a_crashing_program_is_restarted_with_backoff_and_sigterm_stops_the_rest(tmp_path):
    log_path = tmp_path / "run.log"
    with log_path.open("wb") as log:
        runner = subprocess.Popen([sys.executable, "-c", RUNNER], cwd=BASE_DIR, stdout=log, stderr=log,
                                  start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while "restarting in 2s" not in log_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        text = log_path.read_text()
        assert "beat exited with status 3; restarting in 1s" in text
        assert "beat exited with status 3; restarting in 2s" in text
        assert text.count("beat started") >= 2
        assert text.count("web started") == 1 and runner.poll() is None
        web = int(text.split("web started (pid ")[1].split(")")[0])
        assert alive(web)

        runner.send_signal(signal.SIGTERM)
        assert runner.wait(timeout=30) == 0
        assert "received SIGTERM; stopping" in log_path.read_text()
        assert not alive(web)
    finally:
        if runner.poll() is None:
            os.killpg(runner.pid, signal.SIGKILL)
            runner.wait()
