#!/usr/bin/env python3
"""postgres-db-signals: the db container's own health, as CloudWatch metrics, every minute.

    db_signals.py loop SERVER_PID     beside the server (started by `postgres-backup wrap`) until
                                      the server exits
    db_signals.py once                one report now (and the figures), then exit

Each report is one line of the CloudWatch embedded metric format on stdout (namespace
DB_SIGNALS_NAMESPACE, dimension Server=BACKUP_SERVER_NAME), which the awslogs driver ships and
CloudWatch Logs turns into metrics: no endpoint beyond the logs one.
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html

  ArchiveLagSeconds       since the last WAL segment reached the archive (pg_stat_archiver)
  ArchiveFailures         failed archive attempts since the previous report
  DatabaseBytes           every database's size; DatabaseBudgetPercent of DB_SIZE_BUDGET_BYTES
  Connections             client connections; ConnectionsPercent of max_connections
  OldestTransactionSeconds  the oldest open transaction's age (it holds back vacuum)
https://www.postgresql.org/docs/17/monitoring-stats.html#MONITORING-PG-STAT-ARCHIVER-VIEW

Every FIGURES_INTERVAL_SECONDS (default 300) it also writes the exact row counts of the
application's tables to ``restore_drill.figures`` in the ``postgres`` database. The restore drill
compares what it restores against them; and that small write is WAL, so even a quiet site ships a
segment every interval and ArchiveLagSeconds stays a true measure of the archive.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from backup_common import EXACT_ROW_COUNTS, emf_document

DEFAULT_NAMESPACE = "django-tw/database"
FIGURES_DATABASE = "postgres"

SIGNALS = """
SELECT json_build_object(
  'last_archived', extract(epoch FROM a.last_archived_time),
  'stats_reset', extract(epoch FROM a.stats_reset),
  'failed_count', a.failed_count,
  'now', extract(epoch FROM now()),
  'database_bytes', (SELECT sum(pg_database_size(oid)) FROM pg_database),
  'connections', (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'),
  'max_connections', current_setting('max_connections')::int,
  'oldest_transaction', (SELECT extract(epoch FROM now() - min(xact_start)) FROM pg_stat_activity
                         WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()))
FROM pg_stat_archiver a
"""

PUBLISH_FIGURES = """
CREATE SCHEMA IF NOT EXISTS restore_drill;
CREATE TABLE IF NOT EXISTS restore_drill.figures (
  relname text NOT NULL, rows bigint NOT NULL, taken_at timestamptz NOT NULL,
  PRIMARY KEY (taken_at, relname));
DELETE FROM restore_drill.figures WHERE taken_at < now() - interval '2 days';
INSERT INTO restore_drill.figures (relname, rows, taken_at)
SELECT split_part(pair, '=', 1), split_part(pair, '=', 2)::bigint, now()
FROM unnest(string_to_array(:'counts', ' ')) AS pair WHERE pair <> '';
"""


def metrics(sample: dict, previous_failed: int | None, budget_bytes: int | None) -> dict:
    """The metric values of one sample of SIGNALS (pure: unit-tested on real samples)."""
    since = sample["last_archived"] or sample["stats_reset"] or sample["now"]
    values = {
        "ArchiveLagSeconds": round(max(sample["now"] - since, 0.0), 1),
        "ArchiveFailures": 0
        if previous_failed is None
        else max(sample["failed_count"] - previous_failed, 0),
        "DatabaseBytes": int(sample["database_bytes"]),
        "Connections": sample["connections"],
        "ConnectionsPercent": round(100 * sample["connections"] / sample["max_connections"], 1),
        "OldestTransactionSeconds": round(sample["oldest_transaction"] or 0.0, 1),
    }
    if budget_bytes:
        values["DatabaseBudgetPercent"] = round(100 * values["DatabaseBytes"] / budget_bytes, 1)
    return values


UNITS = {
    "ArchiveLagSeconds": "Seconds",
    "ArchiveFailures": "Count",
    "DatabaseBytes": "Bytes",
    "DatabaseBudgetPercent": "Percent",
    "Connections": "Count",
    "ConnectionsPercent": "Percent",
    "OldestTransactionSeconds": "Seconds",
}


def emf(values: dict, namespace: str, server: str, now: dt.datetime) -> dict:
    """One embedded-metric-format document of the signals (the specification linked above)."""
    return emf_document(values, UNITS, namespace, server, now)


def _psql(database: str, sql: str, *variables: str) -> str:
    """One psql run over 127.0.0.1 as the superuser, the way the backup step connects; the SQL
    on stdin so that psql interpolates ``:'name'`` variables (``-c`` does not)."""
    command = ["psql", "-X", "-h", "127.0.0.1", "-p", os.environ.get("PGPORT", "5432"),
               "-U", os.environ.get("POSTGRES_USER", "postgres"), "-d", database,
               "-v", "ON_ERROR_STOP=1", *variables, "-At", "-f", "-"]  # fmt: skip
    environment = {**os.environ, "PGPASSWORD": os.environ.get("POSTGRES_PASSWORD", "")}
    result = subprocess.run(
        command, input=sql, capture_output=True, text=True, env=environment, timeout=60
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip())
    return result.stdout.strip()


def _query(sql: str) -> str:
    return _psql(os.environ.get("POSTGRES_DB", "postgres"), sql)


def sample() -> dict:
    return json.loads(_query(SIGNALS))


def publish_figures() -> None:
    """Row counts of the application's tables into the ``postgres`` database (see above)."""
    counts = " ".join(_query(EXACT_ROW_COUNTS).split())
    _psql(FIGURES_DATABASE, PUBLISH_FIGURES, "-v", f"counts={counts}")


def report(previous_failed: int | None) -> int:
    measured = sample()
    budget = int(os.environ.get("DB_SIZE_BUDGET_BYTES") or 0) or None
    values = metrics(measured, previous_failed, budget)
    namespace = os.environ.get("DB_SIGNALS_NAMESPACE") or DEFAULT_NAMESPACE
    server = os.environ.get("BACKUP_SERVER_NAME") or "postgres"
    print(json.dumps(emf(values, namespace, server, dt.datetime.now(dt.UTC))), flush=True)
    return measured["failed_count"]


def loop(server_pid: int) -> int:
    interval = int(os.environ.get("DB_SIGNALS_INTERVAL_SECONDS") or "60")
    figures_every = int(os.environ.get("FIGURES_INTERVAL_SECONDS") or "300")
    previous: int | None = None
    last_figures = 0.0
    while _alive(server_pid):
        try:
            previous = report(previous)
            if time.monotonic() - last_figures >= figures_every:
                publish_figures()
                last_figures = time.monotonic()
        except (OSError, RuntimeError, subprocess.TimeoutExpired, ValueError) as error:
            # Not yet up, or restarting: the alarms on missing data say so if it lasts.
            print(f"postgres-db-signals: not measured ({error})", file=sys.stderr, flush=True)
        time.sleep(interval)
    return 0


def _alive(pid: int) -> bool:
    """The server still runs: exists and is no zombie (an exited server stays one until its
    parent, the guard, collects it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def main(argv: list[str]) -> int:
    if argv[:1] == ["loop"] and len(argv) == 2:
        return loop(int(argv[1]))
    if argv == ["once"]:
        report(None)
        publish_figures()
        return 0
    print("usage: db_signals.py loop SERVER_PID | once", file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
