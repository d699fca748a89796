"""What every postgres-backup command shares: its settings, its log lines, and barman-cloud.

Environment (names are the contract with the stack and the local topology):
    BACKUP_DESTINATION_URL   s3://bucket/prefix; unset: no archiving (a loud warning at start)
    BACKUP_SERVER_NAME       folder of this server under the prefix (default "postgres")
    BACKUP_RETENTION_DAYS    recovery window the bucket's lifecycle keeps (default 14); only
                             logged: the task deletes nothing
    BASE_BACKUP_TIME         HH:MM (UTC) of the daily base backup, or "off" (default 17:00)
    ARCHIVE_TIMEOUT_SECONDS  a WAL segment is archived at least this often (default 60): the most
                             committed data a total loss of the task and its volume can take
    BACKUP_ENDPOINT_URL      optional S3-compatible endpoint (the local stand-in)
    PGDATA, PGPORT, POSTGRES_USER, POSTGRES_PASSWORD   the server, and its superuser

Every failure is logged on a line starting with "postgres-backup: FAILED" (the stack turns that
text into a CloudWatch metric and alarm); a refusal (bad input, nothing to restore) with
"postgres-backup: refused:", which no alarm counts.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass

PREFIX = "postgres-backup:"
FAILED = f"{PREFIX} FAILED"
# Compression of WAL segments and base backups: gzip needs no extra library (snappy, lz4 do).
COMPRESSION = "--gzip"
TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class BackupError(RuntimeError):
    """A backup or restore step failed; the message says what and what to do."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Settings:
    destination: str
    server_name: str
    retention_days: int
    base_backup_time: str  # "HH:MM" or "off"
    archive_timeout: int
    endpoint_url: str

    @classmethod
    def from_environment(cls, environ: os._Environ[str] | dict[str, str]) -> Settings:
        settings = cls(
            destination=environ.get("BACKUP_DESTINATION_URL", ""),
            server_name=environ.get("BACKUP_SERVER_NAME") or "postgres",
            retention_days=_positive_int(environ, "BACKUP_RETENTION_DAYS", "14"),
            base_backup_time=environ.get("BASE_BACKUP_TIME") or "17:00",
            archive_timeout=_positive_int(environ, "ARCHIVE_TIMEOUT_SECONDS", "60"),
            endpoint_url=environ.get("BACKUP_ENDPOINT_URL", ""),
        )
        if settings.destination and not settings.destination.startswith("s3://"):
            raise BackupError(
                f"BACKUP_DESTINATION_URL={settings.destination!r} is not an S3 URL: "
                "use s3://BUCKET/PREFIX",
                64,
            )
        if settings.base_backup_time != "off" and not TIME_OF_DAY.match(settings.base_backup_time):
            raise BackupError(
                f"BASE_BACKUP_TIME={settings.base_backup_time!r}: use HH:MM (UTC, 24 h) or off", 64
            )
        return settings

    def barman_args(self) -> list[str]:
        """The options every barman-cloud command shares."""
        return ["--endpoint-url", self.endpoint_url] if self.endpoint_url else []

    def location(self) -> list[str]:
        return [self.destination, self.server_name]


def _positive_int(environ, name: str, default: str) -> int:
    raw = environ.get(name) or default
    if not raw.isdigit() or int(raw) < 1:
        raise BackupError(f"{name}={raw!r}: use a whole number of 1 or more", 64)
    return int(raw)


def log(message: str) -> None:
    print(f"{PREFIX} {message}", file=sys.stderr, flush=True)


def failed(message: str) -> None:
    """One line an alarm counts (the db log's metric filter matches its start)."""
    print(f"{FAILED} {message}", file=sys.stderr, flush=True)


def archive_options(settings: Settings, program: str) -> list[str]:
    """The server options that archive every WAL segment through ``program archive-wal``."""
    command = f"{shlex.quote(program)} archive-wal %p"
    return [
        "-c",
        "archive_mode=on",
        "-c",
        f"archive_command={command}",
        "-c",
        f"archive_timeout={settings.archive_timeout}",
    ]


def barman(
    tool: str, *arguments: str, capture: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run ``barman-cloud-<tool>`` (with ``env`` in place of this process's environment); a
    missing tool is a failure to report, not a traceback."""
    try:
        return subprocess.run(
            [f"barman-cloud-{tool}", *arguments],
            capture_output=capture,
            text=True,
            check=False,
            env=env,
        )
    except FileNotFoundError:
        raise BackupError(
            f"barman-cloud-{tool} is not on PATH ({os.environ.get('PATH', '')}): the db image "
            "installs it in /opt/barman/bin, `make venv` in barman's own virtualenv"
        ) from None


def completed_backups(listing: dict) -> list[dict]:
    """The DONE backups of a ``barman-cloud-backup-list --format json`` answer, oldest first."""
    backups = [b for b in listing.get("backups_list", []) if b.get("status") == "DONE"]
    return sorted(backups, key=lambda backup: backup["end_time_iso"])


def list_backups(settings: Settings) -> list[dict]:
    result = barman(
        "backup-list", *settings.barman_args(), "--format", "json", *settings.location(),
        capture=True,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(
            f"cannot list the backups in {settings.destination}: {result.stderr.strip()}", 2
        )
    return completed_backups(json.loads(result.stdout or "{}"))


def require_destination(settings: Settings) -> None:
    if not settings.destination:
        raise BackupError("BACKUP_DESTINATION_URL is not set: nowhere to back up to", 64)


# Exact row counts of every table of a database, one `name=count` line each, by name: one query
# writes a count query per table and psql's \gexec runs each (read through `psql -f -`; a server
# built without libxml, as the test suite's is, has no query_to_xml). Statistics are empty after a
# restore, so the rows are counted, not estimated.
EXACT_ROW_COUNTS = """
SELECT format('SELECT %L || ''='' || count(*) FROM %I.%I', s.relname, s.schemaname, s.relname)
FROM pg_stat_user_tables s ORDER BY s.relname
\\gexec
"""


def emf_document(
    values: dict[str, object], units: dict[str, str], namespace: str, server: str, now: dt.datetime
) -> dict[str, object]:
    """One CloudWatch embedded-metric-format document: CloudWatch Logs turns each line of it
    into metrics, dimension `Server`, with no call to CloudWatch from the container.
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html"""
    return {
        "_aws": {
            "Timestamp": int(now.timestamp() * 1000),
            "CloudWatchMetrics": [
                {
                    "Namespace": namespace,
                    "Dimensions": [["Server"]],
                    "Metrics": [{"Name": name, "Unit": units[name]} for name in values],
                }
            ],
        },
        "Server": server,
        **values,
    }
