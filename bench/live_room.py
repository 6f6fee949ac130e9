"""Live room benchmark: N concurrent WebSocket viewers on a uvicorn-served app; chat and likes fan-out latency.

    .venv/bin/python bench/live_room.py [--viewers 200] [--chatters 10] [--seconds 15]

1. Creates a throwaway live store stream in the dev database (removed at the end) and a session per viewer for
   users bench-viewer-N (kept for the next run). Redis keys and channel groups use a bench-only prefix.
2. Serves the app with uvicorn (one process, DEBUG=0, ALLOWED_HOSTS=127.0.0.1) on a free loopback port.
3. Connects --viewers WebSocket clients (bounded: at most 2000), each logged in as a bench user; every viewer taps
   like about once a second and sends heartbeats; each of the first --chatters sends a chat message every 2 s.
4. Prints the viewer count the room reported, the connect time, and the fan-out latency (send -> every viewer's
   receipt) p50/p95/max for chat, plus how often batched like/viewer figures reached the viewers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
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
    cookies = []
    users = []
    for index in range(viewers):
        user, created = User.objects.get_or_create(username=f"bench-viewer-{index}")  # reused between runs
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users.append(user)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"sessionid={session.session_key}")
    return stream, users, cookies


def _now():
    from django.utils import timezone

    return timezone.now()


def cleanup(stream, users):
    """Remove the bench stream (its viewers, samples and mutes go with it). The chatter users stay for next time."""
    from livestream.models import Stream

    Stream.objects.filter(pk=stream.pk).delete()


def start_server(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CACHE_KEY_PREFIX": PREFIX,
        "CHANNEL_PREFIX": PREFIX,
        "DEVSTACK_AUTOSTART": "0",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "uvicorn", "marketplace.asgi:application", "--host", "127.0.0.1", "--port",
               str(port), "--log-level", "warning", "--ws-max-queue", "1024"]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=BASE_DIR)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.2)
    process.kill()
    sys.exit("uvicorn did not start")


class Stats:
    def __init__(self):
        self.sent: dict[str, float] = {}
        self.latencies: list[float] = []
        self.figures = 0
        self.max_viewers = 0
        self.errors: dict[str, int] = {}
        self.connected = 0


async def viewer(url: str, origin: str, cookie: str | None, stats: Stats, stop: float, chat: bool, index: int):
    import websockets

    headers = {"Cookie": cookie} if cookie else None
    async with websockets.connect(url, origin=origin, additional_headers=headers, max_queue=None) as socket_:
        stats.connected += 1
        await socket_.recv()  # hello

        async def reader():
            async for raw in socket_:
                event = json.loads(raw)
                kind = event.get("type")
                if kind == "chat":
                    sent = stats.sent.get(event["text"].rsplit(" ", 1)[-1])
                    if sent:
                        stats.latencies.append(time.perf_counter() - sent)
                elif kind == "figures":
                    stats.figures += 1
                    stats.max_viewers = max(stats.max_viewers, event["viewers"])
                elif kind == "error":
                    stats.errors[event["code"]] = stats.errors.get(event["code"], 0) + 1

        reading = asyncio.create_task(reader())
        tick = 0
        while time.monotonic() < stop:
            await asyncio.sleep(1 + (index % 10) / 100)
            tick += 1
            await socket_.send(json.dumps({"type": "like", "count": 1}))
            if tick % 10 == 0:
                await socket_.send(json.dumps({"type": "heartbeat"}))
            if chat and tick % 2 == 0:
                marker = uuid.uuid4().hex[:10]
                stats.sent[marker] = time.perf_counter()
                await socket_.send(json.dumps({"type": "chat", "text": f"bench {marker}"}))
        await asyncio.sleep(1)
        reading.cancel()


async def run(
    port: int, stream_id: int, viewers: int, chatters: int, cookies: list[str], seconds: float
) -> tuple[Stats, float]:
    url = f"ws://127.0.0.1:{port}/ws/live/{stream_id}/"
    origin = f"http://127.0.0.1:{port}"
    stats = Stats()
    stop = time.monotonic() + seconds
    started = time.perf_counter()
    tasks = []
    for index in range(viewers):
        tasks.append(asyncio.create_task(viewer(url, origin, cookies[index], stats, stop, index < chatters, index)))
        if index % 50 == 49:
            await asyncio.sleep(0.2)  # a ramp, as an audience arrives, instead of one SYN flood
    connect_time = 0.0
    while stats.connected < viewers and time.monotonic() < stop:
        await asyncio.sleep(0.05)
    connect_time = time.perf_counter() - started
    results = await asyncio.gather(*tasks, return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:
        stats.errors["connection_failed"] = len(failures)
    return stats, connect_time


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--chatters", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    viewers = max(1, min(args.viewers, MAX_VIEWERS))
    chatters = max(0, min(args.chatters, viewers, 50))
    seconds = max(3.0, min(args.seconds, MAX_SECONDS))
    setup_django()
    stream, users, cookies = prepare(viewers)
    port = support.free_port()
    server = start_server(port)
    try:
        stats, connect_time = asyncio.run(run(port, stream.pk, viewers, chatters, cookies, seconds))
    finally:
        server.terminate()
        server.wait(timeout=30)
        cleanup(stream, users)
    deliveries = len(stats.latencies)
    print(f"viewers connected: {stats.connected}/{viewers} in {connect_time:.2f}s")
    print(f"viewer count reported by the room (peak): {stats.max_viewers}")
    print(f"chat messages sent: {len(stats.sent)}, deliveries: {deliveries} (expected ~{len(stats.sent) * viewers})")
    if deliveries:
        print(
            "chat fan-out latency: "
            f"p50 {statistics.median(stats.latencies) * 1000:.1f} ms, "
            f"p95 {percentile(stats.latencies, 0.95) * 1000:.1f} ms, "
            f"max {max(stats.latencies) * 1000:.1f} ms"
        )
    print(f"batched figure updates received: {stats.figures} (~{stats.figures / max(viewers, 1):.1f} per viewer)")
    if stats.errors:
        print(f"errors: {stats.errors}")


if __name__ == "__main__":
    main()
