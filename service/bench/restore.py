"""What a total loss of the database costs: data lost (RPO) and time to restore (RTO), measured.

    .venv/bin/python -m service.bench.restore [--tweets 50000] [--write-seconds 150]
    [--archive-timeout 60]

On a fresh local topology (free ports, its own data directory) with the production backup
settings: load the `make bench` data set (service.bench.dataset), take a base backup (`make
backup`'s
module), then post tweets through the database at a steady rate while a watcher reads
pg_stat_archiver every second. At a random moment within the write window Postgres is killed
with SIGKILL and its data directory deleted; the S3 stand-in restarts from its own recording.
`make restore`'s module brings the database back and the script counts what returned:

- every acknowledged tweet whose WAL segment was archived before the kill must be back
  (expected: 0 lost);
- the tweets of the one segment not yet archived are the loss a total failure can cause, at
  most `archive_timeout` seconds of commits;
- the seconds the restore took for the data set, and the seconds the base backup took.

Prints one line per figure and a JSON line at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from stack.paths import ARTIFACTS_DIR, DJANGO_FARGATE_SRC, REPO_ROOT, SERVICE_DIR
from tools.local.backup import superuser_connection
from tools.local.harness import RunningTopology, port_open, wait_until

SEGMENT_BYTES = 16 * 1024 * 1024
SEGMENTS_PER_XLOGID = 0x1_0000_0000 // SEGMENT_BYTES


def segment_of(lsn: str, timeline: int) -> str:
    """The WAL file name holding ``lsn`` ('0/3000148'), as pg_walfile_name() names it."""
    high, low = (int(part, 16) for part in lsn.split("/"))
    number = ((high << 32) | low) // SEGMENT_BYTES
    return f"{timeline:08X}{number // SEGMENTS_PER_XLOGID:08X}{number % SEGMENTS_PER_XLOGID:08X}"


@dataclass
class Writes:
    """Tweets committed by the writer: (id, WAL segment of the commit, commit time)."""

    acknowledged: list[tuple[int, str, float]] = field(default_factory=list)
    archived: str = ""  # the newest segment pg_stat_archiver reported before the kill
    killed: threading.Event = field(default_factory=threading.Event)
    errors: list[str] = field(default_factory=list)  # anything that failed before the kill
    # The most seconds, seen once a second, since pg_stat_archiver's last archived segment: the
    # age of the newest commit a total loss at that moment keeps (the RPO actually reached).
    worst_archive_lag: float = 0.0


def answers(environment: dict[str, str]) -> bool:
    try:
        superuser_connection(environment).close()
    except psycopg.OperationalError:
        return False
    return True


def write_until(stop: threading.Event, environment: dict, writes: Writes, rate: float) -> None:
    """Post tweets at ``rate`` per second until stopped or the server dies."""
    try:
        with superuser_connection(environment) as connection:
            author = connection.execute("SELECT author_id FROM tweets_tweet LIMIT 1").fetchone()[0]
            timeline = int(
                connection.execute(
                    "SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)"
                ).fetchone()[0],
                16,
            )
            while not stop.is_set():
                row = connection.execute(
                    "INSERT INTO tweets_tweet (author_id, text, image, created_at) "
                    "VALUES (%s, 'rpo probe', '', now()) RETURNING id, pg_current_wal_lsn()",
                    (author,),
                ).fetchone()
                writes.acknowledged.append((row[0], segment_of(str(row[1]), timeline), time.time()))
                time.sleep(1 / rate)
    except psycopg.Error as error:
        if not writes.killed.is_set():
            writes.errors.append(f"writer: {error}")


def watch_archiver(stop: threading.Event, environment: dict, writes: Writes) -> None:
    try:
        with superuser_connection(environment) as connection:
            while not stop.is_set():
                wal, lag = connection.execute(
                    "SELECT last_archived_wal, "
                    "extract(epoch FROM now() - last_archived_time)::float FROM pg_stat_archiver"
                ).fetchone()
                writes.archived = wal or writes.archived
                writes.worst_archive_lag = max(writes.worst_archive_lag, lag or 0.0)
                time.sleep(1)
    except psycopg.Error as error:
        if not writes.killed.is_set():
            writes.errors.append(f"archiver watch: {error}")


def run_module(topology: RunningTopology, *arguments: str, cwd: Path = REPO_ROOT) -> float:
    started = time.monotonic()
    finished = subprocess.run(
        [sys.executable, "-m", *arguments],
        cwd=cwd,
        env=topology.environment,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if finished.returncode != 0:
        raise SystemExit(f"{' '.join(arguments)} failed:\n{finished.stdout}\n{finished.stderr}")
    for line in finished.stderr.splitlines():
        if "postgres-backup:" in line or "make restore" in line or "make backup" in line:
            print(f"    {line}")
    return time.monotonic() - started


def backed_up_topology(name: str, archive_timeout: int) -> RunningTopology:
    """A fresh local topology (logs under ARTIFACTS_DIR/name) with the production backup
    settings: WAL archived to the S3 stand-in, segments cut every ``archive_timeout`` seconds;
    bench's Django settings and a fresh password for the data set's users."""
    topology = RunningTopology(
        log_dir=ARTIFACTS_DIR / name / time.strftime("%Y%m%d-%H%M%S"),
        settings={"ARCHIVE_TIMEOUT_SECONDS": str(archive_timeout)},
    )
    environment = topology.environment
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT), str(SERVICE_DIR), str(DJANGO_FARGATE_SRC)]
    )
    environment["DJANGO_SETTINGS_MODULE"] = "service.bench.settings"
    environment["BENCH_PASSWORD"] = secrets.token_urlsafe(18)
    return topology


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.bench.restore", description=__doc__)
    parser.add_argument("--tweets", type=int, default=50_000)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--write-seconds", type=float, default=150)
    parser.add_argument("--write-rate", type=float, default=20, help="tweets per second")
    parser.add_argument("--archive-timeout", type=int, default=60)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    topology = backed_up_topology("bench-restore", args.archive_timeout)
    environment = topology.environment
    figures: dict[str, object] = {"archive_timeout_seconds": args.archive_timeout}
    try:
        print(f"starting a topology in {topology.data_dir}", flush=True)
        topology.start_all(timeout=240)
        print(f"loading {args.tweets} tweets", flush=True)
        run_module(topology, "service.bench.dataset", f"--users={args.users}",
                   f"--tweets={args.tweets}", "--follows=100", cwd=SERVICE_DIR)  # fmt: skip
        with superuser_connection(environment) as connection:
            figures["database_bytes"] = connection.execute(
                "SELECT pg_database_size(current_database())"
            ).fetchone()[0]
        figures["base_backup_seconds"] = round(
            run_module(topology, "tools.local.backup", "take"), 1
        )

        writes, stop = Writes(), threading.Event()
        threads = [
            threading.Thread(target=write_until, args=(stop, environment, writes, args.write_rate)),
            threading.Thread(target=watch_archiver, args=(stop, environment, writes)),
        ]
        for thread in threads:
            thread.start()
        kill_after = rng.uniform(args.write_seconds / 2, args.write_seconds)
        print(
            f"posting {args.write_rate}/s; SIGKILL to Postgres after {kill_after:.0f} s", flush=True
        )
        time.sleep(kill_after)
        writes.killed.set()
        os.kill(topology.postmaster_pid(), signal.SIGKILL)
        killed_at = time.time()
        stop.set()
        for thread in threads:
            thread.join(30)
        if writes.errors or not writes.acknowledged:
            raise SystemExit(f"the writes failed before the kill: {writes.errors}")
        topology.stop_all()
        shutil.rmtree(topology.topology.pgdata)

        figures["restore_seconds"] = round(run_module(topology, "tools.local.backup", "restore"), 1)
        topology.start("s3")
        wait_until(lambda: port_open(topology.ports.s3), timeout=60, what="s3")
        topology.start("db")
        wait_until(lambda: answers(environment), timeout=120, what="db", interval=0.5)
        with superuser_connection(environment) as connection:
            back = {row[0] for row in connection.execute(
                "SELECT id FROM tweets_tweet WHERE text = 'rpo probe'")}  # fmt: skip
        archived = [w for w in writes.acknowledged if w[1] <= writes.archived]
        lost = [w for w in writes.acknowledged if w[0] not in back]
        lost_archived = [w for w in lost if w[1] <= writes.archived]
        figures |= {
            "acknowledged_writes": len(writes.acknowledged),
            "acknowledged_in_archived_segments": len(archived),
            "lost_from_archived_segments": len(lost_archived),
            "lost_in_total": len(lost),
            "seconds_of_commits_lost": round(killed_at - min(w[2] for w in lost), 1) if lost else 0,
            "last_archived_segment_before_kill": writes.archived,
            "worst_archive_lag_seconds": round(writes.worst_archive_lag, 1),
        }
    finally:
        topology.stop_all()
        shutil.rmtree(topology.data_dir, ignore_errors=True)
    for name, value in figures.items():
        print(f"{name}: {value}")
    print(json.dumps(figures))
    return 1 if figures.get("lost_from_archived_segments") else 0


if __name__ == "__main__":
    sys.exit(main())
