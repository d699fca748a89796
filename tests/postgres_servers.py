"""Throwaway PostgreSQL servers for the tests, from the pinned wheels
(tools/local/postgres_server.py).

PostgreSQL refuses to run as root. CI runs as root, developers usually do not: as root every
server command runs as the `postgres` system user (runuser) in a directory that user owns;
otherwise it runs as the current user.
"""

import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# One way to find the server and to tell root, shared with `make local`: PG_BIN overrides it.
from pytest_postgresql.executors import PostgreSQLExecutor

from tools.local.postgres_server import postgres_bin_dir
from tools.local.system import as_postgres_user, running_as_root
from tools.local.topology import new_data_dir


def as_server_user(command: list[str]) -> list[str]:
    """`command`, run as the postgres system user when we are root.

    setpriv execs the command (runuser would stay in between as its parent), so the pid of the
    process started is the command's own and a test can signal it directly.
    """
    return [*as_postgres_user(), *command]


def server_owned_tempdir(prefix: str) -> Path:
    """A fresh directory the server user can write (and traverse to)."""
    directory = new_data_dir(prefix)
    if running_as_root():
        shutil.chown(directory, user="postgres", group="postgres")
    return directory


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def initdb(data_dir: Path) -> None:
    subprocess.run(
        as_server_user(
            [
                str(postgres_bin_dir() / "initdb"),
                "--pgdata",
                str(data_dir),
                "--username=postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        capture_output=True,
        cwd="/",
    )


def pg_ctl_wrapper(directory: Path) -> Path:
    """An executable that behaves like pg_ctl but runs it as the server user.

    pytest-postgresql's executor calls one program for initdb/start/status/stop.
    """
    wrapper = directory / "pg_ctl"
    pg_ctl = postgres_bin_dir() / "pg_ctl"
    prefix = "exec runuser -u postgres -- " if running_as_root() else "exec "
    wrapper.write_text(f'#!/bin/sh\ncd / || exit 1\n{prefix}"{pg_ctl}" "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


@contextmanager
def running_server(prefix: str, dbname: str, options: str) -> Iterator[PostgreSQLExecutor]:
    """A throwaway PostgreSQL server on 127.0.0.1 (pg_ctl as the server's user), removed after."""
    base = server_owned_tempdir(prefix)
    executor = PostgreSQLExecutor(
        executable=str(pg_ctl_wrapper(base)),
        host="127.0.0.1",
        port=free_port(),
        datadir=str(base / "data"),
        unixsocketdir=str(base),
        logfile=str(base / "postgresql.log"),
        startparams="-w",
        dbname=dbname,
        user="postgres",
        postgres_options=options,
    )
    executor.start()
    try:
        yield executor
    finally:
        executor.stop()
        shutil.rmtree(base, ignore_errors=True)
