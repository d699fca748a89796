"""What ServiceAlarms watches inside the db container (``database: efs``), as data: the
metrics ``postgres-db-signals`` (components/images/db/db_signals.py) prints every minute in the
embedded metric format, each with its threshold and meaning.

Facts relied on, with their sources:

- A line of the embedded metric format in a log group becomes a metric in its namespace with
  the dimensions it declares (here ``Server``, barman's server name):
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
- ``pg_stat_archiver`` gives the last archived segment's time and the failed attempts:
  https://www.postgresql.org/docs/17/monitoring-stats.html#MONITORING-PG-STAT-ARCHIVER-VIEW
"""

from dataclasses import dataclass

from components.monitoring.alarms import AlarmSpec

# Archive lag above this many archive timeouts: archive_timeout forces a segment switch at
# least that often, and db_signals writes a little WAL every few minutes, so three timeouts
# without an archived segment means archiving is stuck, not idle.
ARCHIVE_LAG_TIMEOUTS = 3
CONNECTIONS_PERCENT = 80
BUDGET_PERCENT = 80
# An hour-old transaction holds back vacuum on every table: dead rows pile up.
OLDEST_TRANSACTION_SECONDS = 3600


@dataclass(frozen=True)
class DbSignals:
    """The db container's own metrics the alarms read."""

    namespace: str
    """``WalArchive.signals_namespace``."""
    server_name: str
    """``WalArchive.server_name``: the metrics' ``Server`` dimension."""
    archive_timeout_seconds: int
    """``WalArchive.archive_timeout_seconds``: the archive lag alarm's unit."""

    def __post_init__(self) -> None:
        if not self.namespace or not self.server_name:
            raise ValueError("DbSignals: give the namespace and server name of WalArchive")
        if self.archive_timeout_seconds <= 0:
            raise ValueError(
                f"DbSignals.archive_timeout_seconds is {self.archive_timeout_seconds}; give "
                "WalArchive.archive_timeout_seconds"
            )


def archive_lag_threshold(archive_timeout_seconds: int) -> int:
    """Seconds since the last archived segment above which the archive lag alarm fires."""
    return ARCHIVE_LAG_TIMEOUTS * archive_timeout_seconds


def db_signal_alarm_specs(signals: DbSignals) -> list[AlarmSpec]:
    """The db container's alarms, in the order operations.md documents them. Missing data is
    not breaching: a stopped task is the task-stopped rule's business."""
    dimensions = {"Server": signals.server_name}
    lag = archive_lag_threshold(signals.archive_timeout_seconds)

    def spec(key: str, metric: str, threshold: float, description: str, **more) -> AlarmSpec:
        return AlarmSpec(
            key=key,
            namespace=signals.namespace,
            metric_name=metric,
            dimensions=dimensions,
            comparison="GreaterThanThreshold",
            threshold=threshold,
            description=description,
            **{"statistic": "Maximum", **more},
        )

    return [
        spec(
            "db-archive-lag",
            "ArchiveLagSeconds",
            lag,
            f"No WAL segment reached the backup bucket for over {lag} s, for 15 minutes: "
            "committed changes are not in the archive. Read the db container's log for "
            "postgres-backup FAILED.",
            period_seconds=300,
            evaluation_periods=3,
        ),
        spec(
            "db-archive-failures",
            "ArchiveFailures",
            0,
            "Postgres failed to archive a WAL segment (pg_stat_archiver). It retries; read "
            "the db container's log for the cause.",
            statistic="Sum",
        ),
        spec(
            "db-connections-percent",
            "ConnectionsPercent",
            CONNECTIONS_PERCENT,
            f"Client connections above {CONNECTIONS_PERCENT}% of max_connections for 5 "
            "minutes: new ones will soon be refused. Count the web workers.",
            period_seconds=60,
            evaluation_periods=5,
        ),
        spec(
            "db-size-budget",
            "DatabaseBudgetPercent",
            BUDGET_PERCENT,
            f"The databases are above {BUDGET_PERCENT}% of their size budget: find what "
            "grows, or raise WalArchive.size_budget_gib.",
        ),
        spec(
            "db-oldest-transaction",
            "OldestTransactionSeconds",
            OLDEST_TRANSACTION_SECONDS,
            f"A transaction has been open for over {OLDEST_TRANSACTION_SECONDS} s: it holds "
            "back vacuum. Find it in pg_stat_activity and end it.",
        ),
    ]
