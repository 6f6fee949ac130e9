"""Live room benchmark: N WebSocket viewers in one room on a uvicorn-served app; exact chat delivery and fan-out.

    .venv/bin/python bench/live_room.py [--viewers 1000] [--chatters 10] [--seconds 20] [--workers 2] [--clients 4]

1. Creates a throwaway live store stream in the dev database (removed at the end) and a session per viewer for
   users bench-viewer-N (kept for the next run). Redis keys and channel groups use a bench-only prefix.
2. Serves the app with uvicorn (--workers processes, DEBUG=0, ALLOWED_HOSTS=127.0.0.1) on a free loopback port.
3. Spreads the viewers over --clients client processes (each one asyncio loop with the `websockets` library, so the
   clients are not one Python process pinned to one core). Every viewer logs in as a bench user, taps like about
   once a second and sends a heartbeat every 10 s. Once every viewer of every process is connected, each of the
   first --chatters viewers sends a chat message every 3.5 s (under the room's 10-per-30-s rate limit) carrying a
   unique id, and waits for its own echo: a message the room refused (error) is not expected from anyone.
4. Every viewer keeps reading until a grace period after the last message and records which ids it received and
   when. received_all counts the viewers that received every accepted message; dropped = expected deliveries -
   deliveries (a viewer that failed or disconnected counts every message it missed). Fan-out latency is send ->
   receipt by each viewer (one monotonic clock: the processes share the machine).
5. Probes /healthz every 250 ms during the run and prints its p50/p95; prints the clients' and the server's CPU time
   (how busy each side was) and the load average.

Last line: live_room viewers=N received_all=K dropped=D fanout_p50_ms=.. fanout_p95_ms=..
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
from bench import support  # noqa: E402

PREFIX = f"bench-live-{os.getpid()}"
# One secret for the bench process and the server, so the server accepts the sessions the bench logs in.
SECRET = "bench-only-" + uuid.uuid4().hex
MAX_VIEWERS = 2000
MAX_SECONDS = 120
MAX_WORKERS = 4
MAX_CLIENTS = 8
CHAT_EVERY_SECONDS = 3.5  # the room allows 10 messages per 30 s per user
GRACE_SECONDS = 3.0  # viewers keep reading this long after the last chat message
CONNECT_TIMEOUT = 60.0


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    os.environ["CACHE_KEY_PREFIX"] = PREFIX
    os.environ["CHANNEL_PREFIX"] = PREFIX
    os.environ["SECRET_KEY"] = SECRET
    support.ready_database()


def prepare(viewers: int):
    """A live stream and a logged-in session per viewer (likes and chat need a login)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.utils.module_loading import import_string

    from accounts.models import User
    from livestream import services
    from shops.models import Merchant, StaffRole, Store, StoreStaff

    # A store of the bench's own (kept between runs): another bench's or the demo's stores may be closed or empty.
    owner, _ = User.objects.get_or_create(username="live-bench-merchant")
    merchant, _ = Merchant.objects.get_or_create(name="Live Bench Merchant", defaults={"owner": owner})
    store, _ = Store.objects.get_or_create(
        slug="live-bench",
        defaults={"merchant": merchant, "name": "直播压测店 Live bench", "brand": "TAOBAO", "status": "open"},
    )
    StoreStaff.objects.get_or_create(store=store, user=owner, defaults={"role": StaffRole.OWNER})
    stream = services.create_stream(
        by=owner, store=store, title=f"bench {uuid.uuid4().hex[:6]}", scheduled_at=_now(), playback_url="/x.mp4"
    )
    services.go_live(stream, by=owner)
    # The session names the backend that loads the user (the first ones may only gate sign-ins).
    backend = next(path for path in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(path), "get_user"))
    cookies = []
    for index in range(viewers):
        user, created = User.objects.get_or_create(username=f"bench-viewer-{index}")  # reused between runs
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"sessionid={session.session_key}")
    return stream, cookies


def _now():
    from django.utils import timezone

    return timezone.now()


def cleanup(stream):
    """Remove the bench stream (its viewers, samples and mutes go with it). The viewer users stay for next time."""
    from livestream.models import Stream

    Stream.objects.filter(pk=stream.pk).delete()


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CACHE_KEY_PREFIX": PREFIX,
        "CHANNEL_PREFIX": PREFIX,
        "CELERY_QUEUE": PREFIX,
        "DEVSTACK_AUTOSTART": "0",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "uvicorn", "marketplace.asgi:application", "--host", "127.0.0.1", "--port",
               str(port), "--log-level", "warning", "--workers", str(workers)]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=BASE_DIR)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("uvicorn exited")
        try:
            if _get(port, "/healthz", timeout=5)[0] in (200, 503):
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.kill()
    sys.exit("uvicorn did not start")


def _get(port: int, path: str, timeout: float) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


class HealthProbe(threading.Thread):
    """GET /healthz every 250 ms while the room runs; each answer's time (a failure counts as its timeout)."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port = port
        self.times: list[float] = []
        self.failures = 0
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            try:
                status, elapsed = _get(self.port, "/healthz", timeout=5)
                if status != 200:
                    self.failures += 1
            except OSError:
                self.failures += 1
                elapsed = 5.0
            self.times.append(elapsed)
            self.stopping.wait(0.25)


# -- client processes -------------------------------------------------------------------------------------------


class Viewer:
    def __init__(self, index: int):
        self.index = index
        self.received: dict[str, float] = {}  # chat id -> receipt time
        self.connected = False
        self.error: str | None = None


async def run_viewer(me: Viewer, url, origin, cookie, shared, chat: bool, sent: dict, refused: set):
    import websockets

    headers = {"Cookie": cookie}
    try:
        async with websockets.connect(
            url, origin=origin, additional_headers=headers, max_queue=None, open_timeout=CONNECT_TIMEOUT
        ) as socket_:
            await socket_.recv()  # hello
            me.connected = True
            shared["local_connected"] += 1
            echo: dict[str, asyncio.Future] = {}

            async def reader():
                async for raw in socket_:
                    event = json.loads(raw)
                    kind = event.get("type")
                    if kind == "chat":
                        marker = event["text"].rsplit(" ", 1)[-1]
                        me.received.setdefault(marker, time.monotonic())
                        waiter = echo.pop(marker, None)
                        if waiter and not waiter.done():
                            waiter.set_result(True)
                    elif kind == "figures":
                        shared["figures"] += 1
                        shared["max_viewers"] = max(shared["max_viewers"], event["viewers"])
                    elif kind == "error":
                        shared["errors"][event["code"]] = shared["errors"].get(event["code"], 0) + 1
                        for waiter in echo.values():  # a refused chat line: the room answers its sender alone
                            if not waiter.done():
                                waiter.set_result(False)

            reading = asyncio.create_task(reader())
            start_at, stop_at = await shared["schedule"]
            await asyncio.sleep(max(0.0, start_at - time.monotonic()) + (me.index % 100) / 100)
            tick = 0
            next_chat = time.monotonic() + (me.index % 10) * CHAT_EVERY_SECONDS / 10
            while time.monotonic() < stop_at:
                await asyncio.sleep(1)
                tick += 1
                await socket_.send('{"type": "like", "count": 1}')
                if tick % 10 == 0:
                    await socket_.send('{"type": "heartbeat"}')
                if chat and time.monotonic() >= next_chat and time.monotonic() < stop_at - 1:
                    next_chat = time.monotonic() + CHAT_EVERY_SECONDS
                    marker = f"m{os.getpid()}x{me.index}x{tick}"
                    waiter = echo[marker] = asyncio.get_running_loop().create_future()
                    sent[marker] = time.monotonic()
                    await socket_.send(json.dumps({"type": "chat", "text": f"bench {marker}"}))
                    try:
                        if not await asyncio.wait_for(waiter, timeout=10):
                            refused.add(marker)
                    except TimeoutError:
                        pass  # counted as expected: the room may have broadcast it without us seeing it
            await asyncio.sleep(max(0.0, stop_at + GRACE_SECONDS - time.monotonic()))
            reading.cancel()
    except Exception as exc:  # noqa: BLE001 - a viewer's failure is counted, not fatal
        me.error = type(exc).__name__


def client_process(first: int, cookies: list[str], port: int, stream_id: int, chatters: int, seconds: float,
                   connected_total, go, results):  # fmt: skip
    """One client process: its viewers share one event loop; reports per-viewer receipts and its own CPU time."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass

    async def main():
        url = f"ws://127.0.0.1:{port}/ws/live/{stream_id}/"
        origin = f"http://127.0.0.1:{port}"
        loop = asyncio.get_running_loop()
        schedule = loop.create_future()
        shared = {"connected": connected_total, "local_connected": 0, "figures": 0, "max_viewers": 0,
                  "errors": {}, "schedule": schedule}  # fmt: skip
        sent: dict[str, float] = {}
        refused: set[str] = set()
        viewers = [Viewer(first + offset) for offset in range(len(cookies))]
        tasks = []
        reported = 0
        for offset, me in enumerate(viewers):
            is_chatter = me.index < chatters
            tasks.append(
                asyncio.create_task(run_viewer(me, url, origin, cookies[offset], shared, is_chatter, sent, refused))
            )
            if offset % 25 == 24:
                await asyncio.sleep(0.1)  # a ramp, as an audience arrives, instead of one SYN flood
        # Wait until the bench says start (every process connected, or the connect timeout passed).
        while not go.is_set():
            done = sum(1 for me in viewers if me.connected or me.error)
            if done != reported:
                with connected_total.get_lock():
                    connected_total.value += done - reported
                reported = done
            await asyncio.sleep(0.05)
        start_at = time.monotonic()
        schedule.set_result((start_at, start_at + seconds))
        await asyncio.gather(*tasks)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        results.put({
            "viewers": [(me.connected, me.error, me.received) for me in viewers],
            "sent": sent, "refused": sorted(refused), "figures": shared["figures"],
            "max_viewers": shared["max_viewers"], "errors": shared["errors"],
            "cpu_seconds": usage.ru_utime + usage.ru_stime,
        })  # fmt: skip

    asyncio.run(main())


# -- the run ----------------------------------------------------------------------------------------------------


def process_cpu_seconds(root_pid: int) -> float:
    """CPU time (user + system) of a process and its children (uvicorn's workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(entry), int(fields[1])
        if pid == root_pid or parent == root_pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--viewers", type=int, default=1000)
    parser.add_argument("--chatters", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--clients", type=int, default=4, help="client processes the viewers are spread over")
    args = parser.parse_args()
    viewers = max(1, min(args.viewers, MAX_VIEWERS))
    chatters = max(0, min(args.chatters, viewers, 50))
    seconds = max(5.0, min(args.seconds, MAX_SECONDS))
    workers = max(1, min(args.workers, MAX_WORKERS))
    clients = max(1, min(args.clients, MAX_CLIENTS, viewers))
    setup_django()
    stream, cookies = prepare(viewers)
    from django.db import connections

    connections.close_all()  # the client processes are spawned; nothing of Django goes with them
    port = support.free_port()
    # A worker on the bench's own queue, so /healthz is probed in its healthy state (200), as a balancer sees it.
    worker = support.start_worker("bench-live-worker", 1, PREFIX, {"CACHE_KEY_PREFIX": PREFIX})
    try:
        server = start_server(port, workers)
    except BaseException:
        support.stop_worker(worker)
        raise
    context = multiprocessing.get_context("spawn")
    connected_total = context.Value("i", 0)
    go = context.Event()
    results = context.Queue()
    probe = HealthProbe(port)
    processes = []
    try:
        started = time.monotonic()
        share = -(-viewers // clients)
        for first in range(0, viewers, share):
            process = context.Process(
                target=client_process,
                args=(first, cookies[first : first + share], port, stream.pk, chatters, seconds, connected_total, go, results),
                daemon=True,
            )  # fmt: skip
            process.start()
            processes.append(process)
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while connected_total.value < viewers and time.monotonic() < deadline:
            time.sleep(0.05)
        connect_time = time.monotonic() - started
        probe.start()
        run_started = time.monotonic()
        server_cpu_run = process_cpu_seconds(server.pid)
        go.set()
        reports = [results.get(timeout=seconds + GRACE_SECONDS + CONNECT_TIMEOUT + 30) for _ in processes]
        run_wall = time.monotonic() - run_started
        server_cpu = process_cpu_seconds(server.pid) - server_cpu_run
        probe.stopping.set()
        probe.join(timeout=10)
        for process in processes:
            process.join(timeout=10)
    finally:
        probe.stopping.set()
        for process in processes:
            if process.is_alive():
                process.kill()
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        support.stop_worker(worker)
        connections.close_all()
        cleanup(stream)

    sent: dict[str, float] = {}
    refused: set[str] = set()
    errors: dict[str, int] = {}
    for report in reports:
        sent.update(report["sent"])
        refused.update(report["refused"])
        for code, count in report["errors"].items():
            errors[code] = errors.get(code, 0) + count
    expected = {marker: at for marker, at in sent.items() if marker not in refused}
    latencies = []
    received_all = connected = deliveries = 0
    failures: dict[str, int] = {}
    for report in reports:
        for was_connected, error, received in report["viewers"]:
            connected += was_connected
            if error:
                failures[error] = failures.get(error, 0) + 1
            got = [marker for marker in expected if marker in received]
            deliveries += len(got)
            received_all += was_connected and len(got) == len(expected)
            latencies.extend(received[marker] - expected[marker] for marker in got)
    dropped = len(expected) * viewers - deliveries
    client_cpu = [report["cpu_seconds"] for report in reports]
    print(f"load average before the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"server: uvicorn x{workers}; clients: {len(processes)} processes; viewers connected {connected}/{viewers} "
          f"in {connect_time:.1f}s")  # fmt: skip
    print(f"viewer count reported by the room (peak): {max(r['max_viewers'] for r in reports)}")
    print(f"chat messages accepted: {len(expected)} (refused {len(refused)}); deliveries {deliveries} of "
          f"{len(expected) * viewers} expected")  # fmt: skip
    if latencies:
        print(f"chat fan-out: p50 {statistics.median(latencies) * 1000:.1f} ms, "
              f"p95 {percentile(latencies, 0.95) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms")  # fmt: skip
    figures = sum(r["figures"] for r in reports)
    print(f"batched figure updates received: {figures} (~{figures / viewers:.1f} per viewer)")
    if probe.times:
        print(f"/healthz during the run: {len(probe.times)} probes, p50 {statistics.median(probe.times) * 1000:.1f} ms, "
              f"p95 {percentile(probe.times, 0.95) * 1000:.1f} ms, not-200 {probe.failures}")  # fmt: skip
    print(f"CPU during the run ({run_wall:.1f}s wall): server {server_cpu:.1f}s; clients "
          f"{sum(client_cpu):.1f}s over {len(client_cpu)} processes (connect included; max {max(client_cpu):.1f}s)")  # fmt: skip
    if errors or failures:
        print(f"errors: {errors} viewer failures: {failures}")
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p95 = percentile(latencies, 0.95) * 1000 if latencies else float("nan")
    print(f"live_room viewers={viewers} received_all={received_all} dropped={dropped} "
          f"fanout_p50_ms={p50:.0f} fanout_p95_ms={p95:.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
