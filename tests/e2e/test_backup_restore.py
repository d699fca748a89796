"""Backups restore: `make backup` and `make restore` against a real Postgres and the S3 stand-in.

Each test runs its own Postgres and S3 stand-in (the topology's db and s3 processes, nothing
else) with the production backup settings but a 10-second archive_timeout, so that waiting "past
archive_timeout" takes seconds. A total loss is simulated the hard way: SIGKILL to the server and
the data directory deleted; the S3 stand-in is restarted too, so the archive must come back from
its own persistence before anything can be restored.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from stack.paths import REPO_ROOT
from tests.stack_runs import STAND_IN_APP
from tools.local.app import LocalApp
from tools.local.backup import superuser_connection
from tools.local.harness import RunningTopology, TopologyError, port_open, wait_until

pytestmark = pytest.mark.e2e

ARCHIVE_TIMEOUT = 10


class Database:
    """The db and s3 processes of one topology, and a superuser's view of the database."""

    def __init__(self, log_dir: Path) -> None:
        # Only db and s3 run: any app will do, and the stand-in is in every checkout.
        self.topology = RunningTopology(
            log_dir=log_dir,
            settings={"ARCHIVE_TIMEOUT_SECONDS": str(ARCHIVE_TIMEOUT)},
            app=LocalApp.at(REPO_ROOT / STAND_IN_APP),
        )
        assert self.topology.environment["ARCHIVE_TIMEOUT_SECONDS"] == str(ARCHIVE_TIMEOUT)
        self.environment = self.topology.environment

    def start(self) -> None:
        self.topology.start("s3")
        wait_until(lambda: port_open(self.topology.ports.s3), timeout=60, what="s3 listening")
        self.topology.start("db")
        deadline = time.monotonic() + 90
        while True:
            try:
                self.connect().close()
                return
            except psycopg.OperationalError as error:
                if time.monotonic() > deadline or not self.topology.is_running("db"):
                    raise TopologyError(f"Postgres not answering: {error}\n"
                                        f"{self.topology.diagnostics()}") from None  # fmt: skip
                time.sleep(0.3)

    def stop(self) -> None:
        self.topology.stop_all()

    def connect(self) -> psycopg.Connection:
        return superuser_connection(self.environment)

    def query(self, sql: str, *params):
        """The first row of a query's answer (None for a statement that returns no rows)."""
        with self.connect() as connection:
            cursor = connection.execute(sql, params or None)
            return cursor.fetchone() if cursor.description else None

    def post(self, texts: list[str]) -> None:
        """One committed (acknowledged) row per text, as the app commits one tweet per request."""
        with self.connect() as connection:
            for text in texts:
                connection.execute("INSERT INTO probe_tweet (text) VALUES (%s)", (text,))

    def tweets(self) -> int:
        return self.query("SELECT count(*) FROM probe_tweet")[0]

    def wait_until_archived(self) -> float:
        """Seconds until the WAL segment holding everything committed so far is in the archive."""
        segment = self.query("SELECT pg_walfile_name(pg_current_wal_insert_lsn())")[0]
        return wait_until(
            lambda: (
                (self.query("SELECT last_archived_wal FROM pg_stat_archiver")[0] or "") >= segment
            ),
            timeout=ARCHIVE_TIMEOUT * 6,
            what=f"WAL segment {segment} archived",
            interval=0.5,
        )

    def lose_everything(self) -> None:
        """SIGKILL the server, delete its data directory, stop the S3 stand-in."""
        os.kill(self.topology.postmaster_pid(), signal.SIGKILL)
        self.topology.stop("db")
        shutil.rmtree(self.topology.topology.pgdata)
        self.topology.stop("s3")

    def make(self, *arguments: str) -> subprocess.CompletedProcess:
        """`make backup` / `make restore` for this topology: the same module, its environment."""
        return subprocess.run(
            [sys.executable, "-m", "tools.local.backup", *arguments],
            cwd=REPO_ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


def test_a_total_loss_restores_every_acknowledged_write_and_any_point_in_time(database):
    database.post([f"first batch {n}" for n in range(20)])
    backup = database.make("take")
    assert backup.returncode == 0, backup.stderr
    assert "base backup" in backup.stderr
    assert "done in" in backup.stderr
    between_batches = database.query("SELECT clock_timestamp()")[0]
    time.sleep(1.1)
    database.post([f"second batch {n}" for n in range(30)])
    database.wait_until_archived()

    refused = database.make("restore")
    assert refused.returncode == 1
    assert "is running" in refused.stderr

    database.lose_everything()
    restored = database.make("restore")
    assert restored.returncode == 0, restored.stderr
    assert "restoring base backup" in restored.stderr
    assert "rows: probe_tweet=50" in restored.stderr
    database.start()
    assert database.tweets() == 20 + 30

    database.stop()
    to_the_past = database.make("restore", "--target-time", between_batches.isoformat(sep=" "))
    assert to_the_past.returncode == 0, to_the_past.stderr
    database.start()
    assert database.tweets() == 20
    assert database.query("SELECT count(*) FROM probe_tweet WHERE text LIKE 'second%'")[0] == 0


def test_targets_outside_the_backups_are_refused_and_change_nothing(database):
    database.post(["before the backup"])
    assert database.make("take").returncode == 0
    database.post(["after the backup"])
    database.wait_until_archived()
    database.stop()

    before_the_backup = database.make("restore", "--target-time", "2000-01-01 00:00:00+00")
    assert before_the_backup.returncode == 3
    assert "before the earliest backup ended" in before_the_backup.stderr

    future = database.make("restore", "--target-time", "2999-01-01 00:00:00+00")
    assert future.returncode == 4
    assert "the archive ends before 2999-01-01" in future.stderr

    no_time_zone = database.make("restore", "--target-time", "2026-12-01 10:00:00")
    assert no_time_zone.returncode == 64
    assert "has no time zone" in no_time_zone.stderr

    database.start()
    assert database.tweets() == 2  # the data directory is the one that was there


def test_restore_refuses_when_the_archive_holds_no_backup(database):
    database.stop()
    result = database.make("restore")
    assert result.returncode == 3
    assert "no completed base backup" in result.stderr
    assert "make restore: nothing changed" in result.stderr
    database.start()


def test_a_backup_taken_during_writes_restores_to_a_consistent_database(database):
    acknowledged: list[int] = []
    stop = threading.Event()

    def write() -> None:
        with database.connect() as connection:
            while not stop.is_set():
                row = connection.execute(
                    "INSERT INTO probe_tweet (text) VALUES ('in flight') RETURNING id"
                ).fetchone()
                acknowledged.append(row[0])

    writer = threading.Thread(target=write)
    writer.start()
    try:
        wait_until(lambda: len(acknowledged) > 200, timeout=30, what="writes under way")
        during = len(acknowledged)
        backup = database.make("take")
        assert backup.returncode == 0, backup.stderr
        assert len(acknowledged) > during, "no write happened while the backup ran"
    finally:
        stop.set()
        writer.join(30)
    database.wait_until_archived()
    database.lose_everything()

    assert database.make("restore").returncode == 0
    database.start()
    assert database.tweets() == len(acknowledged)
    assert database.query("SELECT max(id) FROM probe_tweet")[0] == max(acknowledged)
    # amcheck: the primary key's B-tree agrees with itself and with the heap.
    database.query("CREATE EXTENSION IF NOT EXISTS amcheck")
    database.query("SELECT bt_index_check('probe_tweet_pkey'::regclass, true)")
    with contextlib.suppress(psycopg.Error):
        database.query("DROP EXTENSION amcheck")
