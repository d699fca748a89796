"""A real PostgreSQL server for the library's tests, and a database on it for each test."""

import time
from collections.abc import Iterator

import psycopg
import pytest
from pytest_postgresql.executors import PostgreSQLExecutor

from tests.postgres_servers import running_server


@pytest.fixture(scope="session")
def library_postgres() -> Iterator[PostgreSQLExecutor]:
    with running_server("django-fargate-test-pg-", "postgres", "-c fsync=off") as executor:
        accepting(f"postgres://{executor.user}@{executor.host}:{executor.port}/postgres")
        yield executor


def accepting(url: str, seconds: float = 60) -> None:
    """Waits until the server takes connections: on a busy machine pg_ctl may report it started
    while it still answers "the database system is starting up"."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            psycopg.connect(url, connect_timeout=5).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def database_url(library_postgres: PostgreSQLExecutor, request) -> Iterator[str]:
    """postgres://...@127.0.0.1:PORT/NAME: an empty database of its own, as `database: efs`
    gives the web container (Postgres on the task's loopback)."""
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name)[:50].lower()
    server = f"postgres://{library_postgres.user}@{library_postgres.host}:{library_postgres.port}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
