"""The Postgres container's contract: its environment, its roles, its WAL archive settings.

Pure helpers beside :mod:`components.postgres.efs`: the db image's scripts (initdb
hooks, the single-writer guard, barman-cloud archiving and base backups) read exactly these
names, so they are built in one place and unit-tested without Pulumi resources.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

POSTGRES_PORT = 5432
# The bootstrap superuser of the official image. Only the db container knows its password; the
# application connects as its own role.
SUPERUSER = "postgres"
# The official image runs initdb without --auth, so pg_hba.conf trusts every loopback
# connection, and inside one task that is every container. scram for host and local makes
# every role prove its password. https://github.com/docker-library/docs/pull/2161
INITDB_ARGS = "--auth-host=scram-sha-256 --auth-local=scram-sha-256"
# What the db scripts print on every failed WAL archive or base backup (a metric filter
# counts it).
BACKUP_FAILURE_MARKER = "postgres-backup: FAILED"
# Names of the db container's two secrets: the superuser's password, the application role's.
SUPERUSER_PASSWORD = "POSTGRES_PASSWORD"  # noqa: S105 (an environment name)
APP_PASSWORD = "POSTGRES_APP_PASSWORD"  # noqa: S105 (an environment name)
# Loopback by address, not "localhost", which may resolve to ::1 first.
LOOPBACK = "127.0.0.1"

_TIME_OF_DAY = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_SERVER_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# CloudWatch namespaces: up to 255 characters of these.
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html
_NAMESPACE = re.compile(r"^[A-Za-z0-9.\-_/#:]{1,255}$")
# The db image's default (components/images/db/db_signals.py DEFAULT_NAMESPACE), given
# explicitly so the alarms read the namespace the container writes.
SIGNALS_NAMESPACE = "django-tw/database"


def parse_time_of_day(text: str) -> tuple[int, int]:
    """``"HH:MM"`` (24-hour clock) as (hour, minute); ValueError for anything else."""
    match = _TIME_OF_DAY.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a time of day; use HH:MM on a 24-hour clock")
    return int(match.group(1)), int(match.group(2))


@dataclass(frozen=True)
class WalArchive:
    """Continuous WAL archiving plus a daily base backup to S3 (barman-cloud in the db image).

    This, not AWS Backup of the file system, is what restores a consistent database.
    """

    destination_url: pulumi.Input[str]
    """``s3://bucket/prefix`` (e.g. ``PostgresBackupBucket.destination_url``)."""
    region: str
    """Region of the bucket; boto3 inside barman-cloud needs it (credentials: the task role)."""
    task_role_statements: Sequence[Mapping[str, Any]] = ()
    """What the task role needs to write there, e.g.
    ``PostgresBackupBucket.task_role_statements()``."""
    retention_days: int = 14
    """Recovery window: the backups can restore to any moment this many days back."""
    base_backup_time: str = "17:00"
    """Daily base backup start, HH:MM UTC (17:00 UTC is 02:00 in Japan)."""
    archive_timeout_seconds: int = 60
    """Postgres archive_timeout: the most a committed change waits before it reaches S3."""
    server_name: str = "postgres"
    """barman's server name: the folder under the destination that holds this cluster."""
    signals_namespace: str = SIGNALS_NAMESPACE
    """CloudWatch namespace of the db container's own metrics (archive lag, size, connections,
    oldest transaction), printed in the embedded metric format and shipped by awslogs; empty
    turns them off."""
    size_budget_gib: int = 20
    """The size the databases may reach before DatabaseBudgetPercent reads 100: EFS has no
    limit, so this is the budget the operator pays for (20 GiB of EFS Standard is a few dollars
    a month)."""

    def __post_init__(self) -> None:
        if not 1 <= self.retention_days <= 3650:
            raise ValueError(f"WalArchive.retention_days is {self.retention_days}; use 1..3650")
        try:
            parse_time_of_day(self.base_backup_time)
        except ValueError as error:
            raise ValueError(f"WalArchive.base_backup_time: {error}") from None
        if not 10 <= self.archive_timeout_seconds <= 3600:
            raise ValueError(
                f"WalArchive.archive_timeout_seconds is {self.archive_timeout_seconds}; use "
                "10..3600 (shorter bloats the archive: each switch archives a 16 MB segment)"
            )
        if not _SERVER_NAME.match(self.server_name):
            raise ValueError(
                f"WalArchive.server_name {self.server_name!r}: use lower-case letters, digits, "
                "_ and -"
            )
        if not self.region:
            raise ValueError("WalArchive.region is empty; give the bucket's region")
        if self.signals_namespace and (
            not _NAMESPACE.match(self.signals_namespace)
            or self.signals_namespace.startswith("AWS/")
        ):
            raise ValueError(
                f"WalArchive.signals_namespace {self.signals_namespace!r}: use your own "
                "namespace (letters, digits, . - _ / #; not AWS/...), or empty to turn them off"
            )
        if not 1 <= self.size_budget_gib <= 65536:
            raise ValueError(f"WalArchive.size_budget_gib is {self.size_budget_gib}; use 1..65536")


def db_environment(
    *, database_name: str, app_user: str, pgdata: str, archive: WalArchive
) -> dict[str, pulumi.Input[str]]:
    """Plain environment of the db container; the two passwords go in its ``secrets`` as
    :data:`SUPERUSER_PASSWORD` and :data:`APP_PASSWORD`."""
    signals = (
        {
            "DB_SIGNALS_NAMESPACE": archive.signals_namespace,
            "DB_SIZE_BUDGET_BYTES": str(archive.size_budget_gib * 2**30),
        }
        if archive.signals_namespace
        else {}
    )
    return {
        "POSTGRES_USER": SUPERUSER,
        "POSTGRES_DB": database_name,
        "POSTGRES_APP_USER": app_user,
        "POSTGRES_INITDB_ARGS": INITDB_ARGS,
        "PGDATA": pgdata,
        "BACKUP_DESTINATION_URL": archive.destination_url,
        "BACKUP_SERVER_NAME": archive.server_name,
        "BACKUP_RETENTION_DAYS": str(archive.retention_days),
        "BASE_BACKUP_TIME": archive.base_backup_time,
        "ARCHIVE_TIMEOUT_SECONDS": str(archive.archive_timeout_seconds),
        "AWS_DEFAULT_REGION": archive.region,
        **signals,
    }


def database_url(
    user: pulumi.Input[str], password: pulumi.Input[str], database: pulumi.Input[str]
) -> pulumi.Output[str]:
    """``postgres://user:password@127.0.0.1:5432/database`` for a container of the same task."""
    return pulumi.Output.concat(
        "postgres://", user, ":", password, f"@{LOOPBACK}:{POSTGRES_PORT}/", database
    )
