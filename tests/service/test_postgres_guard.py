"""db/postgres-guard.sh, the entrypoint of Dockerfile.db: a second PostgreSQL server on the same
data directory refuses to start, with a clear message, while the first keeps answering."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

from tests.service.conftest import SERVICE_DIR
from tests.service.postgres import (
    as_server_user,
    free_port,
    initdb,
    postgres_bin_dir,
    server_owned_tempdir,
)

GUARD = SERVICE_DIR / "db" / "postgres-guard.sh"
EX_TEMPFAIL = 75


def guarded_postgres(volume: Path, port: int) -> list[str]:
    pgdata = volume / "pgdata"
    return as_server_user(
        [
            "env",
            f"PGDATA={pgdata}",
            str(GUARD),
            str(postgres_bin_dir() / "postgres"),
            "-D",
            str(pgdata),
            "-p",
            str(port),
            "-k",
            str(volume),
            "-c",
            "listen_addresses=127.0.0.1",
        ]
    )


def wait_until_answering(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres"):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop(server: subprocess.Popen, volume: Path) -> None:
    """Fast shutdown, signalled to the postmaster itself (runuser may stand in between)."""
    pid_file = volume / "pgdata" / "postmaster.pid"
    if pid_file.exists():
        postmaster = int(pid_file.read_text().splitlines()[0])
        os.kill(postmaster, signal.SIGINT)
    server.wait(timeout=30)
    deadline = time.monotonic() + 30
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)


@pytest.fixture
def volume():
    """A volume like the db container's: the data directory in a subdirectory of it."""
    directory = server_owned_tempdir("django-tw-guard-")
    initdb(directory / "pgdata")
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def test_a_second_server_on_the_same_data_directory_refuses_to_start(volume):
    first_port, second_port = free_port(), free_port()
    first = subprocess.Popen(
        guarded_postgres(volume, first_port), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        wait_until_answering(first_port)

        second = subprocess.run(
            guarded_postgres(volume, second_port),
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )

        assert second.returncode == EX_TEMPFAIL
        assert second.stderr.strip() == (
            f"postgres-guard: another PostgreSQL server holds {volume}/postgres.lock; "
            f"refusing to start on {volume}/pgdata"
        )
        # The first server is untouched and still answers queries.
        assert first.poll() is None
        with psycopg.connect(
            host="127.0.0.1", port=first_port, user="postgres", dbname="postgres"
        ) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
    finally:
        stop(first, volume)


def test_the_lock_is_released_when_the_server_stops(volume):
    port = free_port()
    first = subprocess.Popen(guarded_postgres(volume, port))
    wait_until_answering(port)
    stop(first, volume)
    assert not (volume / "pgdata" / "postmaster.pid").exists()

    second = subprocess.Popen(guarded_postgres(volume, port))
    try:
        wait_until_answering(port)
        assert second.poll() is None
    finally:
        stop(second, volume)


def test_the_guard_refuses_to_run_without_pgdata():
    environment = {key: value for key, value in os.environ.items() if key != "PGDATA"}
    result = subprocess.run(
        [str(GUARD), "true"], capture_output=True, text=True, env=environment, check=False
    )
    assert result.returncode == 64
    assert "PGDATA is not set" in result.stderr
