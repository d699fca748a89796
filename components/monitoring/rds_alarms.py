"""What ServiceAlarms watches on an RDS instance (a managed database), as data: free storage,
CPU and connections, each with its threshold and meaning.

Facts relied on, with their sources:

- ``FreeStorageSpace`` is in bytes, ``CPUUtilization`` in percent, ``DatabaseConnections`` a
  count, each with the dimension ``DBInstanceIdentifier``:
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html
- Storage autoscaling grows the storage when free space has been at or below 10% of the
  allocated storage for 5 minutes, and at most once in 6 hours (or until the previous storage
  optimization completes), never beyond the maximum:
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html
- ``MaximumUsedTransactionIDs`` is the age of the oldest unvacuumed transaction ID, a count;
  at about 2.1 billion Postgres stops taking writes to avoid wraparound (same page).
- ``ReplicaLag`` describes read replicas; a Multi-AZ instance deployment's standby serves no
  reads and has no such metric, so no alarm reads it:
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html
"""

from dataclasses import dataclass

import pulumi

from components.monitoring.alarms import AlarmSpec
from components.postgres.rds_parameters import check_instance_class, default_max_connections

RDS = "AWS/RDS"
# Free storage below this share of the storage allocated at creation pages. It is the mark at
# which storage autoscaling acts, held three times as long: the alarm fires when autoscaling
# did not (at its ceiling, or within 6 hours of its last growth) or is turned off.
FREE_STORAGE_FRACTION = 0.10
CPU_THRESHOLD_PERCENT = 80
# Of the class's default max_connections computed from its nominal memory. RDS keeps part of
# the memory for itself, so a running instance reports a somewhat lower maximum: at 70% of the
# nominal figure the alarm fires at roughly three quarters of the real one.
CONNECTIONS_FRACTION = 0.70
# Half of the 2^31 transaction IDs Postgres can tell apart: autovacuum normally keeps the
# figure near autovacuum_freeze_max_age (200 million), so a billion means it is stuck.
TRANSACTION_IDS_THRESHOLD = 1_000_000_000


@dataclass(frozen=True)
class DbInstance:
    """An RDS instance the alarms watch."""

    identifier: pulumi.Input[str]
    """The instance's identifier: CloudWatch's ``DBInstanceIdentifier`` dimension."""
    instance_class: str
    """One of ``managed_postgres_specs.INSTANCE_CLASSES``: the connections alarm follows it."""
    allocated_storage_gib: int
    """The storage allocated at creation: the free storage alarm's mark is a share of it."""

    def __post_init__(self) -> None:
        try:
            check_instance_class(self.instance_class)
        except ValueError as error:
            raise ValueError(f"DbInstance: {error}") from None
        if self.allocated_storage_gib <= 0:
            raise ValueError(
                f"DbInstance.allocated_storage_gib {self.allocated_storage_gib}: give the "
                "instance's allocated storage in GiB (RdsPostgresArgs.allocated_storage_gib)"
            )


def free_storage_floor_bytes(allocated_storage_gib: int) -> int:
    """Free storage, in bytes, below which the storage alarm fires."""
    return int(allocated_storage_gib * 2**30 * FREE_STORAGE_FRACTION)


def connections_threshold(instance_class: str) -> int:
    """Connections at or above which the connections alarm fires."""
    return int(default_max_connections(instance_class) * CONNECTIONS_FRACTION)


def rds_alarm_specs(instance: DbInstance) -> list[AlarmSpec]:
    """The instance's alarms, in the order operations.md documents them."""
    dimensions = {"DBInstanceIdentifier": instance.identifier}
    floor_gib = instance.allocated_storage_gib * FREE_STORAGE_FRACTION
    connections = connections_threshold(instance.instance_class)
    return [
        AlarmSpec(
            key="db-free-storage",
            namespace=RDS,
            metric_name="FreeStorageSpace",
            dimensions=dimensions,
            comparison="LessThanThreshold",
            threshold=free_storage_floor_bytes(instance.allocated_storage_gib),
            statistic="Minimum",
            evaluation_periods=3,
            description=(
                f"The database has had under {floor_gib:g} GiB of free storage for 15 minutes "
                "and storage autoscaling did not add any: at dbMaxAllocatedStorageGb, or within "
                "6 hours of its last growth. A full instance stops taking writes. Raise "
                "dbMaxAllocatedStorageGb, or find what grows."
            ),
        ),
        AlarmSpec(
            key="db-cpu",
            namespace=RDS,
            metric_name="CPUUtilization",
            dimensions=dimensions,
            comparison="GreaterThanOrEqualToThreshold",
            threshold=CPU_THRESHOLD_PERCENT,
            statistic="Average",
            evaluation_periods=3,
            description=(
                f"The database used {CPU_THRESHOLD_PERCENT}% or more of its CPU for 15 minutes: "
                "queries queue. Find the expensive queries in Performance Insights, or raise "
                "dbInstanceClass."
            ),
        ),
        AlarmSpec(
            key="db-connections",
            namespace=RDS,
            metric_name="DatabaseConnections",
            dimensions=dimensions,
            comparison="GreaterThanOrEqualToThreshold",
            threshold=connections,
            statistic="Maximum",
            period_seconds=60,
            evaluation_periods=5,
            description=(
                f"The database held {connections} or more connections for 5 minutes, near "
                f"{instance.instance_class}'s max_connections: new ones will be refused. "
                "Count maxTasks x webConcurrency; lower them or raise dbInstanceClass."
            ),
        ),
        AlarmSpec(
            key="db-transaction-ids",
            namespace=RDS,
            metric_name="MaximumUsedTransactionIDs",
            dimensions=dimensions,
            comparison="GreaterThanThreshold",
            threshold=TRANSACTION_IDS_THRESHOLD,
            statistic="Maximum",
            description=(
                f"The oldest unvacuumed transaction ID is over {TRANSACTION_IDS_THRESHOLD:,} "
                "old: autovacuum is not freezing rows. Near 2.1 billion Postgres stops "
                "taking writes. Find long transactions and run VACUUM (FREEZE)."
            ),
        ),
    ]
