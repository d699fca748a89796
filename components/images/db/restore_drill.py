#!/usr/bin/env python3
"""postgres-restore-drill: prove the backup archive restores, without touching the live database.

    postgres-restore-drill            restore the newest base backup plus every archived WAL
                                      segment into scratch space, start Postgres on it (a private
                                      socket, no TCP listener, no archiving), check it, print the
                                      result as CloudWatch metrics, remove the scratch space

The checks, each a reason to fail (exit 1):
  - barman-cloud-restore fetched the base backup, and recovery replayed WAL and promoted;
  - recovery reached the newest archived WAL segment of the newest timeline (a segment missing
    in between ends recovery early and silently: the gap is what a point-in-time restore loses);
  - pg_amcheck (where installed) finds every table and B-tree index sound; with data checksums on
    it reads every page, so a corrupted page fails here;
  - the main tables hold at least (100 - DRILL_ROW_TOLERANCE_PERCENT) % of the rows the live
    database last published about itself (``restore_drill.figures`` in the ``postgres``
    database, written by the db container's signals step: restored with everything else).

The achieved recovery point is the last transaction the replay applied; its age is the data a
total loss would have cost at the moment the drill ran. The db container's signals step writes
figures every few minutes, so on a healthy archive that age stays near that interval plus
ARCHIVE_TIMEOUT_SECONDS even on a quiet site.

Metrics: one line of the CloudWatch embedded metric format on stdout (namespace
DRILL_METRICS_NAMESPACE, dimension Server=BACKUP_SERVER_NAME): DrillSucceeded (1 or 0),
RestoreSeconds, RecoveryPointAgeSeconds. The task's awslogs driver sends stdout to CloudWatch
Logs, which extracts the metrics itself: no endpoint beyond the logs one.
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Generation_PutLogEvents.html

Environment: the backup step's (backup_common.py) plus DRILL_SCRATCH (parent of the scratch
directory, default the system's temporary directory), DRILL_METRICS_NAMESPACE (default
django-tw/restore-drill), DRILL_ROW_TOLERANCE_PERCENT (default 10).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from backup_common import (
    EXACT_ROW_COUNTS,
    BackupError,
    Settings,
    barman,
    emf_document,
    list_backups,
    log,
    require_destination,
)
from backup_restore import choose_backup, read_recovery_log, recovery_block

DEFAULT_NAMESPACE = "django-tw/restore-drill"
# Where the live database publishes its own figures (drill_figures.py writes them).
FIGURES_DATABASE = "postgres"
WAL_NAME = re.compile(r"^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})(\.[a-z0-9]+)?$")
SEGMENTS_PER_XLOGID = 0x100000000 // (16 * 2**20)  # wal_segment_size 16 MiB, the default


@dataclass
class DrillResult:
    """What one drill found: a success only when nothing is in ``problems``."""

    restore_seconds: float = 0.0
    recovery_point: dt.datetime | None = None
    problems: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return not self.problems


def segment_number(name: str) -> tuple[int, int] | None:
    """(timeline, segment number) of an archived WAL file name; None for history/backup files."""
    match = WAL_NAME.match(name)
    if not match:
        return None
    timeline, log_id, segment = (int(part, 16) for part in match.groups()[:3])
    return timeline, log_id * SEGMENTS_PER_XLOGID + segment


def lsn_segment(lsn: str) -> int:
    """The segment number holding ``lsn`` (``0/30007A8``), with 16 MiB segments."""
    high, low = (int(part, 16) for part in lsn.split("/"))
    return ((high << 32) | low) // (16 * 2**20)


def newest_archived_segment(names: list[str]) -> int | None:
    """The highest segment number on the newest timeline the archive holds."""
    segments = [found for found in map(segment_number, names) if found is not None]
    if not segments:
        return None
    newest_timeline = max(timeline for timeline, _ in segments)
    return max(number for timeline, number in segments if timeline == newest_timeline)


def wal_gap(replayed_to_lsn: str, archived_names: list[str]) -> str | None:
    """A problem when recovery stopped before the archive's newest segment, else None."""
    newest = newest_archived_segment(archived_names)
    if newest is None or not replayed_to_lsn:
        return None
    reached = lsn_segment(replayed_to_lsn)
    if reached < newest:
        return (
            f"recovery stopped in WAL segment {reached:X} but the archive holds segments up to "
            f"{newest:X}: a segment in between is missing or unreadable; every change after "
            f"{replayed_to_lsn} would be lost in a restore"
        )
    return None


def row_problems(rows: dict[str, int], figures: dict[str, int], tolerance: int) -> list[str]:
    """Tables the live database last counted that came back with too few rows (or not at all)."""
    problems = []
    for table, published in sorted(figures.items()):
        restored = rows.get(table)
        floor = published * (100 - tolerance) // 100
        if restored is None:
            problems.append(f"table {table} ({published} rows published) was not restored")
        elif restored < floor:
            problems.append(
                f"table {table} restored {restored} rows; the live database published "
                f"{published} (the drill accepts {tolerance} % fewer: DRILL_ROW_TOLERANCE_PERCENT)"
            )
    return problems


def metrics_line(
    result: DrillResult, namespace: str, server: str, now: dt.datetime
) -> dict[str, object]:
    """The drill's result as one CloudWatch embedded-metric-format document."""
    age = (now - result.recovery_point).total_seconds() if result.recovery_point else None
    values: dict[str, object] = {
        "DrillSucceeded": 1 if result.succeeded else 0,
        "RestoreSeconds": round(result.restore_seconds, 1),
    }
    if age is not None:
        values["RecoveryPointAgeSeconds"] = round(max(age, 0.0), 1)
    units = {name: "Count" if name == "DrillSucceeded" else "Seconds" for name in values}
    return {**emf_document(values, units, namespace, server, now), "problems": result.problems}


def _archived_wal_names(settings: Settings) -> list[str]:
    """Names under <destination>/<server>/wals/ (barman-cloud's layout), read with boto3, which
    barman-cloud itself runs on (requirements-barman.txt)."""
    import boto3

    bucket, _, prefix = settings.destination.removeprefix("s3://").partition("/")
    folder = "/".join(part for part in (prefix.strip("/"), settings.server_name, "wals") if part)
    client = boto3.client("s3", endpoint_url=settings.endpoint_url or None)
    names = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=folder):
        names += [item["Key"].rsplit("/", 1)[-1] for item in page.get("Contents", [])]
    return names


class Scratch:
    """A restored cluster in a scratch directory, served on a private socket only."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pgdata = root / "pgdata"
        self.socket_dir = root / "socket"
        self.log_path = root / "server.log"
        self.port = os.environ.get("PGPORT", "5432")
        self.server: subprocess.Popen | None = None

    def psql(self, database: str, sql: str) -> subprocess.CompletedProcess:
        command = ["psql", "-X", "-h", str(self.socket_dir), "-p", self.port,
                   "-U", os.environ.get("POSTGRES_USER", "postgres"), "-d", database,
                   "-v", "ON_ERROR_STOP=1", "-At", "-f", "-"]  # fmt: skip
        environment = {**os.environ, "PGPASSWORD": os.environ.get("POSTGRES_PASSWORD", "")}
        # On stdin, not -c: psql runs meta-commands such as \gexec only from a script.
        return subprocess.run(command, input=sql, capture_output=True, text=True, env=environment)

    def start(self, timeout: float = 600) -> str:
        """Recover and promote; the server log so far. No archive_mode: the drill never writes
        to the archive (its role may only read it)."""
        self.socket_dir.mkdir(mode=0o700)
        # Its own pg_hba.conf: trust on the private socket only (a 0700 directory of the drill's
        # account, no TCP listener), so the drill needs no database password.
        hba = self.root / "pg_hba.conf"
        hba.write_text("local all all trust\n")
        command = [
            "postgres", "-D", str(self.pgdata), "-p", self.port, "-c", "listen_addresses=",
            "-c", f"unix_socket_directories={self.socket_dir}", "-c", "archive_mode=off",
            "-c", f"hba_file={hba}",
        ]  # fmt: skip
        with self.log_path.open("w") as server_log:
            self.server = subprocess.Popen(command, stdout=server_log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while self.server.poll() is None and time.monotonic() < deadline:
            if read_recovery_log(self.log_path.read_text()).promoted:
                break
            time.sleep(0.2)
        return self.log_path.read_text()

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.send_signal(signal.SIGINT)  # fast shutdown
            self.server.wait()


def drill(settings: Settings, scratch_parent: Path | None, tolerance: int) -> DrillResult:
    """Restore, start, check; never raises for what the archive gets wrong, it reports it."""
    require_destination(settings)
    result = DrillResult()
    started = time.monotonic()
    backup = choose_backup(list_backups(settings), None)
    # Listed before the replay starts: the live server keeps archiving while the drill runs, and
    # a segment that arrives after recovery asked for it is no gap.
    archived_before = _archived_wal_names(settings)
    root = Path(tempfile.mkdtemp(prefix="restore-drill-", dir=scratch_parent))
    scratch = Scratch(root)
    try:
        log(f"drill: restoring base backup {backup['backup_id']} (ended {backup['end_time_iso']})")
        scratch.pgdata.mkdir(mode=0o700)
        fetched = barman("restore", *settings.barman_args(), *settings.location(),
                         backup["backup_id"], str(scratch.pgdata))  # fmt: skip
        if fetched.returncode != 0:
            result.problems.append(
                f"barman-cloud-restore of {backup['backup_id']} failed "
                f"(exit {fetched.returncode}): the base backup is unreadable"
            )
            return result
        scratch.pgdata.chmod(0o700)
        endpoint = " ".join(shlex.quote(arg) for arg in settings.barman_args())
        restore_command = (
            f"barman-cloud-wal-restore {endpoint} {shlex.quote(settings.destination)} "
            f"{shlex.quote(settings.server_name)} %f %p"
        )
        with (scratch.pgdata / "postgresql.auto.conf").open("a") as auto_conf:
            auto_conf.write(recovery_block(restore_command, None))
        (scratch.pgdata / "recovery.signal").touch()
        outcome = read_recovery_log(scratch.start())
        if not outcome.promoted:
            sys.stderr.write(scratch.log_path.read_text())
            result.problems.append("recovery did not finish: see the server log above")
            return result
        result.restore_seconds = time.monotonic() - started
        result.recovery_point = _recovery_point(outcome.last_transaction, backup)
        gap = wal_gap(outcome.redo_done_at, archived_before)
        if gap:
            result.problems.append(gap)
        result.problems += _amcheck(scratch)
        result.rows = _row_counts(scratch)
        result.problems += row_problems(result.rows, _figures(scratch), tolerance)
        return result
    finally:
        scratch.stop()
        shutil.rmtree(root, ignore_errors=True)


def _recovery_point(last_transaction: str, backup: dict) -> dt.datetime:
    """The last replayed commit; with none after the backup, the backup's own end."""
    if last_transaction:
        text = re.sub(r"([+-]\d\d)$", r"\1:00", last_transaction.strip())
        return dt.datetime.fromisoformat(text)
    return dt.datetime.fromisoformat(backup["end_time_iso"])


def _amcheck(scratch: Scratch) -> list[str]:
    """pg_amcheck over every database (PostgreSQL 14+); absent binaries skip, loudly."""
    if shutil.which("pg_amcheck") is None:
        log("drill: pg_amcheck is not installed: tables and indexes not verified")
        return []
    command = ["pg_amcheck", "-h", str(scratch.socket_dir), "-p", scratch.port,
               "-U", os.environ.get("POSTGRES_USER", "postgres"), "--all",
               "--install-missing", "--heapallindexed", "--no-strict-names"]  # fmt: skip
    environment = {**os.environ, "PGPASSWORD": os.environ.get("POSTGRES_PASSWORD", "")}
    checked = subprocess.run(command, capture_output=True, text=True, env=environment)
    if checked.returncode != 0:
        details = " ".join((checked.stdout + checked.stderr).split())[:2000]
        return [f"pg_amcheck found damage (exit {checked.returncode}): {details}"]
    log("drill: pg_amcheck found every table and index sound")
    return []


LATEST_FIGURES = """
SELECT format('%s=%s', relname, rows) FROM restore_drill.figures
WHERE taken_at = (SELECT max(taken_at) FROM restore_drill.figures)
"""


def _pairs(text: str) -> dict[str, int]:
    return {name: int(value) for name, _, value in (w.partition("=") for w in text.split())}


def _row_counts(scratch: Scratch) -> dict[str, int]:
    counted = scratch.psql(os.environ.get("POSTGRES_DB", "postgres"), EXACT_ROW_COUNTS)
    if counted.returncode != 0:
        raise BackupError(f"cannot count the restored rows: {counted.stderr.strip()}")
    rows = _pairs(counted.stdout)
    log("drill: rows " + (" ".join(f"{k}={v}" for k, v in rows.items()) or "none"))
    return rows


def _figures(scratch: Scratch) -> dict[str, int]:
    published = scratch.psql(FIGURES_DATABASE, LATEST_FIGURES)
    if published.returncode != 0:
        log("drill: the live database has published no figures yet: row counts not compared")
        return {}
    return _pairs(published.stdout)


def main() -> int:
    try:
        settings = Settings.from_environment(os.environ)
        tolerance = int(os.environ.get("DRILL_ROW_TOLERANCE_PERCENT") or "10")
        scratch = os.environ.get("DRILL_SCRATCH") or None
        result = drill(settings, Path(scratch) if scratch else None, tolerance)
    except BackupError as error:
        result = DrillResult(problems=[str(error)])
    namespace = os.environ.get("DRILL_METRICS_NAMESPACE") or DEFAULT_NAMESPACE
    server = os.environ.get("BACKUP_SERVER_NAME") or "postgres"
    now = dt.datetime.now(dt.UTC)
    print(json.dumps(metrics_line(result, namespace, server, now)), flush=True)
    for problem in result.problems:
        print(f"postgres-backup: FAILED restore drill: {problem}", file=sys.stderr, flush=True)
    if result.succeeded:
        log(f"drill: the archive restores, in {result.restore_seconds:.1f} s")
    return 0 if result.succeeded else 1


if __name__ == "__main__":
    sys.exit(main())
