"""Throwaway PostgreSQL servers for the tests, from the installed Debian binaries.

PostgreSQL refuses to run as root. CI runs as root, developers usually do not: as root every
server command runs as the `postgres` system user (runuser) in a directory that user owns;
otherwise it runs as the current user.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def postgres_bin_dir() -> Path:
    """The newest installed /usr/lib/postgresql/<major>/bin, or $PG_BIN_DIR."""
    if configured := os.environ.get("PG_BIN_DIR"):
        return Path(configured)
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"),
        key=lambda path: int(path.parent.parent.name),
    )
    if not candidates:
        raise RuntimeError(
            "No PostgreSQL server binaries under /usr/lib/postgresql/*/bin: "
            "install Debian's `postgresql` package (.ci/run does) or set PG_BIN_DIR."
        )
    return candidates[-1].parent


def running_as_root() -> bool:
    return os.geteuid() == 0


def as_server_user(command: list[str]) -> list[str]:
    """`command`, run as the postgres system user when we are root."""
    if running_as_root():
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def server_owned_tempdir(prefix: str) -> Path:
    """A fresh directory the server user can write (and traverse to)."""
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    directory.chmod(0o755)
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
