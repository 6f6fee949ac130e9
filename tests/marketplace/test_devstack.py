"""The zero-setup starter, on its own folder and ports so it never touches the stack the suite runs on."""

import socket

import psycopg2
import pytest
import redis

from marketplace.devstack import DevStackError, Stack


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def stack(tmp_path):
    tmp_path.chmod(0o755)
    stack = Stack(data_dir=tmp_path / "devdata", pg_port=free_port(), redis_port=free_port())
    yield stack
    stack.down()


def test_starts_both_services_then_reuses_running_ones_and_keeps_data_across_restarts(stack):
    assert stack.up() == ["postgres", "redis"]
    assert stack.up() == []  # already running: reused, nothing started twice

    conn = psycopg2.connect(stack.database_url)
    conn.autocommit = True
    conn.cursor().execute("CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)")
    conn.close()
    redis.Redis.from_url(stack.redis_url).set("kept", "yes")

    stack.down()
    assert not stack.postgres_running() and not stack.redis_running()
    assert stack.up() == ["postgres", "redis"]

    conn = psycopg2.connect(stack.database_url)
    cur = conn.cursor()
    cur.execute("SELECT v FROM kept")
    assert cur.fetchone() == (42,)
    conn.close()
    assert redis.Redis.from_url(stack.redis_url).get("kept") == b"yes"


def test_refuses_clearly_when_a_port_is_taken_by_another_program(stack):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", stack.redis_port))
        squatter.listen()
        with pytest.raises(DevStackError, match=f"port {stack.redis_port} is already used"):
            stack.start_redis()


def test_refuses_clearly_when_the_data_folder_is_unusable(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    stack = Stack(data_dir=blocker, pg_port=free_port(), redis_port=free_port())
    with pytest.raises(DevStackError, match="data folder"):
        stack.start_postgres()


def test_refuses_a_postgres_folder_that_holds_something_else(tmp_path):
    tmp_path.chmod(0o755)
    stack = Stack(data_dir=tmp_path / "devdata", pg_port=free_port(), redis_port=free_port())
    (stack.pg_dir).mkdir(parents=True)
    (stack.pg_dir / "holiday-photos.jpg").write_text("not a database")
    with pytest.raises(DevStackError, match="not a PostgreSQL data folder"):
        stack.start_postgres()
