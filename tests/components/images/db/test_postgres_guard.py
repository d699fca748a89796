"""db/postgres-guard.sh, the first entrypoint of Dockerfile.db: a second PostgreSQL server on the
same data directory waits for the first to stop (naming it), gives up after a bound with a clear
message, and the guard turns the orchestrator's SIGTERM into a fast shutdown."""

import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import psycopg
import pytest

from stack.paths import DB_IMAGE_DIR
from tests.postgres_servers import (
    as_server_user,
    free_port,
    initdb,
    postgres_bin_dir,
    server_owned_tempdir,
)

GUARD = DB_IMAGE_DIR / "postgres-guard.sh"
EX_TEMPFAIL = 75

pytestmark = pytest.mark.timeout(120)


def guarded_postgres(volume: Path, port: int) -> list[str]:
    pgdata = volume / "pgdata"
    return as_server_user(
        [
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


def guard_environment(volume: Path, wait_seconds: int | None = None) -> dict[str, str]:
    environment = {**os.environ, "PGDATA": str(volume / "pgdata")}
    environment.pop("PG_LOCK_WAIT_SECONDS", None)
    if wait_seconds is not None:
        environment["PG_LOCK_WAIT_SECONDS"] = str(wait_seconds)
    return environment


def start(volume: Path, port: int, wait_seconds: int | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        guarded_postgres(volume, port),
        env=guard_environment(volume, wait_seconds),
        cwd="/",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def connect(port: int, **options) -> psycopg.Connection:
    return psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname="postgres", **options
    )


def wait_until_answering(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with connect(port):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop(server: subprocess.Popen, volume: Path) -> None:
    """Fast shutdown, signalled to the postmaster itself."""
    pid_file = volume / "pgdata" / "postmaster.pid"
    if pid_file.exists() and server.poll() is None:
        postmaster = int(pid_file.read_text().splitlines()[0])
        os.kill(postmaster, signal.SIGINT)
    server.communicate(timeout=30)
    deadline = time.monotonic() + 30
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)


class StderrLines:
    """Collects a running process's stderr lines as they come."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._reader.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            self.lines.append(line.rstrip("\n"))

    def waiting(self) -> list[str]:
        return [line for line in self.lines if line.startswith("postgres-guard: waiting")]


@pytest.fixture
def volume():
    """A volume like the db container's: the data directory in a subdirectory of it."""
    directory = server_owned_tempdir("django-tw-guard-")
    initdb(directory / "pgdata")
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def test_a_second_server_waits_naming_the_holder_and_starts_once_the_first_stops(volume):
    first_port, second_port = free_port(), free_port()
    first = start(volume, first_port)
    wait_until_answering(first_port)
    first_guard = first.pid  # the guard itself: as_server_user execs it
    second = start(volume, second_port, wait_seconds=60)
    try:
        stderr = StderrLines(second)
        deadline = time.monotonic() + 15
        while not stderr.waiting() and time.monotonic() < deadline:
            time.sleep(0.1)
        # It waits, saying for whom: the first guard's host and pid.
        assert second.poll() is None
        waiting = stderr.waiting()[0]
        assert f"{volume}/postgres.lock, held by host {os.uname().nodename}, " in waiting
        assert f"pid {first_guard}, since " in waiting
        assert "PG_LOCK_WAIT_SECONDS=60" in waiting
        # The first server is untouched meanwhile.
        with connect(first_port) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)

        stop(first, volume)
        wait_until_answering(second_port)
        assert second.poll() is None
        # The holder record now names the second guard.
        assert f"pid {second.pid}," in (volume / "postgres.lock.holder").read_text()
    finally:
        if first.poll() is None:
            stop(first, volume)
        stop(second, volume)


def test_a_second_server_gives_up_after_the_bound_with_exit_75(volume):
    first_port = free_port()
    first = start(volume, first_port)
    try:
        wait_until_answering(first_port)
        started = time.monotonic()
        second = subprocess.run(
            guarded_postgres(volume, free_port()),
            env=guard_environment(volume, wait_seconds=2),
            cwd="/",
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        waited = time.monotonic() - started

        assert second.returncode == EX_TEMPFAIL
        assert 2 <= waited < 10
        lines = second.stderr.strip().splitlines()
        assert lines[0].startswith(f"postgres-guard: waiting for {volume}/postgres.lock, held by")
        assert lines[-1].startswith("postgres-guard: another PostgreSQL server (host ")
        assert lines[-1].endswith(
            f"still holds {volume}/postgres.lock after 2 s; refusing to start on "
            f"{volume}/pgdata (stop that server, or raise PG_LOCK_WAIT_SECONDS)"
        )
        assert first.poll() is None
        with connect(first_port) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
    finally:
        stop(first, volume)


def test_sigterm_makes_a_fast_shutdown_despite_an_idle_client(volume):
    port = free_port()
    server = start(volume, port)
    wait_until_answering(port)
    # An idle session (an operator's psql, say): a smart shutdown would wait for it forever.
    with connect(port, autocommit=True) as client:
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=20)
        stopped_in = time.monotonic() - started
        assert server.returncode == 0  # the server's own status: a clean fast shutdown
        assert stopped_in < 10
        with pytest.raises(psycopg.OperationalError):
            client.execute("SELECT 1")
    assert not (volume / "pgdata" / "postmaster.pid").exists()


def test_the_lock_is_released_when_the_server_stops(volume):
    port = free_port()
    first = start(volume, port)
    wait_until_answering(port)
    stop(first, volume)
    assert not (volume / "pgdata" / "postmaster.pid").exists()

    second = start(volume, port, wait_seconds=0)
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


def test_the_guard_refuses_a_wait_that_is_not_a_number(volume):
    result = subprocess.run(
        [str(GUARD), "true"],
        capture_output=True,
        text=True,
        env={**guard_environment(volume), "PG_LOCK_WAIT_SECONDS": "3m"},
        check=False,
    )
    assert result.returncode == 64
    assert "PG_LOCK_WAIT_SECONDS=3m is not a number of seconds" in result.stderr
