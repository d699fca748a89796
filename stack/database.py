"""Where the stack's Postgres runs, chosen once from the ``database`` setting.

``efs``: a container of the one task with its data on EFS (EfsPostgres) and its WAL
archive in a bucket (PostgresBackupBucket); a failed backup prints a marker that a metric
counts. ``rds``: RDS for PostgreSQL (RdsPostgres); the task is stateless, so its service
rolls with full capacity and may scale, and its db-init container makes the application role
before web starts. Both give the composition the same
:class:`components.PostgresDatabase` surface; what differs (the parts to wait for, what to
watch once the task exists, what to export, which containers the task adds and what web waits
for) is answered here, so ``__main__.py`` has no branch.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import pulumi

import components
import stack.containers as service_containers
from components import BACKUP_FAILURE_MARKER, ContainerSpec
from components.monitoring.db_signal_alarms import DbSignals
from components.monitoring.rds_alarms import DbInstance
from components.postgres.restore_drill import (
    RestoreDrill,
    RestoreDrillArgs,
    drill_role_name_pattern,
)
from stack.postgres_version import POSTGRES_MAJOR


class DatabaseSettings(Protocol):
    """The stack settings the database follows (stack.settings.StackSettings has them)."""

    @property
    def region(self) -> str: ...

    @property
    def database(self) -> str: ...

    @property
    def database_name(self) -> str: ...

    @property
    def database_user(self) -> str: ...

    @property
    def backup_retention_days(self) -> int: ...

    @property
    def base_backup_time(self) -> str: ...

    @property
    def archive_timeout_seconds(self) -> int: ...

    @property
    def restore_drill_schedule(self) -> str: ...

    @property
    def cpu_architecture(self) -> str: ...

    @property
    def break_glass_role_name(self) -> str: ...

    @property
    def efs_throughput_mode(self) -> str: ...

    @property
    def db_instance_class(self) -> str: ...

    @property
    def db_allocated_storage_gb(self) -> int: ...

    @property
    def db_max_allocated_storage_gb(self) -> int: ...

    @property
    def db_multi_az(self) -> bool: ...

    @property
    def db_backup_retention_days(self) -> int: ...

    @property
    def db_apply_immediately(self) -> bool: ...

    @property
    def log_retention_days(self) -> int: ...

    @property
    def is_production(self) -> bool: ...

    @property
    def managed_database(self) -> bool: ...

    def break_glass_role(self, name: str) -> str: ...


class TaskLogs(Protocol):
    """What the task offers once it exists (FargateService has it)."""

    @property
    def log_group_names(self) -> Mapping[str, pulumi.Output[str]]: ...


class BuiltImages(Protocol):
    """The stack's images (components.ServiceImages has them)."""

    @property
    def repository_arns(self) -> Mapping[str, Any]: ...


class DrillHost(Protocol):
    """Where the restore drill's task runs: the service's cluster and group (FargateService)."""

    cluster_arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]


def drill_name(name: str) -> str:
    """The restore drill's resource name for the stack named ``name`` (``tw-prod``)."""
    return f"{name}-restore-drill"


@dataclass
class StackDatabase:
    """The chosen database and what comes with it."""

    database: components.PostgresDatabase
    """EfsPostgres or RdsPostgres."""
    container_name: str | None
    """The task's Postgres container, None when Postgres runs outside the task."""
    backups: Any = None
    """The WAL archive's bucket (efs only)."""
    exports: dict[str, pulumi.Input[Any]] = field(default_factory=dict)
    """Stack outputs about the database, added to as the parts appear."""
    backup_failure_metric: tuple[str, str] | None = None
    """(namespace, metric name) counting the db container's failed backups, once watched."""
    db_signals: DbSignals | None = None
    """The db container's own metrics the alarms watch (efs only)."""
    db_instance: DbInstance | None = None
    drill: Any = None
    """The restore drill (efs only), once declared."""
    archive: Any = None
    """The WAL archive the db container writes (efs only)."""
    image: Any = None
    """The db image (efs only): the drill runs it."""
    """The RDS instance the alarms watch (rds only; None with Postgres in the task)."""
    containers: list[ContainerSpec] = field(default_factory=list)
    """The task's containers for the database: db (efs), or db-init (rds), which makes the
    application role before web starts."""
    web_waits_for: dict[str, str] = field(default_factory=dict)
    """The web container's ``depends_on``: db HEALTHY, or db-init SUCCESS."""

    @property
    def resource(self) -> pulumi.Resource:
        """The database as what other resources wait for (EfsPostgres and RdsPostgres are
        components; PostgresDatabase describes only what the composition reads of them)."""
        if not isinstance(self.database, pulumi.Resource):
            raise TypeError(f"the database {self.database!r} is no Pulumi resource")
        return self.database

    @property
    def bucket_arns(self) -> list[pulumi.Output[str]]:
        """The buckets the task reaches through the S3 gateway for the database (efs only)."""
        return [self.backups.bucket_arn] if self.backups is not None else []

    @property
    def file_system_id(self) -> pulumi.Output[str] | None:
        """The EFS file system the alarms watch (None with a managed database)."""
        return getattr(self.database, "file_system_id", None) if self.container_name else None

    @property
    def backup_vault_name(self) -> pulumi.Output[str] | None:
        """The AWS Backup vault whose failed jobs page (None with a managed database)."""
        return getattr(self.database, "backup_vault_name", None) if self.container_name else None

    @property
    def parts(self) -> list[Any]:
        """The components the stack waits for and asks endpoints for."""
        return [part for part in (self.database, self.backups) if part is not None]

    def watch(self, name: str, task: TaskLogs) -> None:
        """Once the task exists: count the db container's failed backups (efs only)."""
        if self.container_name is None:
            return
        failures = components.LogPatternMetric(
            f"{name}-db-backup-failures",
            components.LogPatternMetricArgs(
                task.log_group_names[self.container_name],
                BACKUP_FAILURE_MARKER,
                "PostgresBackupFailures",
            ),
        )
        self.backup_failure_metric = (failures.namespace, failures.metric_name)
        self.exports["backup_failure_metric"] = f"{failures.namespace}/{failures.metric_name}"

    def declare_drill(
        self,
        name: str,
        settings: DatabaseSettings,
        host: DrillHost,
        subnet_ids: Any,
        images: BuiltImages,
        alarm_topic_arn: pulumi.Input[str],
    ) -> None:
        """efs: the scheduled restore drill of the WAL archive, in the service's cluster and
        private subnets, from the db image's repository, alarming on the stack's topic. rds:
        nothing (RDS restores its own)."""
        if self.container_name is None or self.archive is None:
            return
        self.drill = RestoreDrill(
            drill_name(name),
            RestoreDrillArgs(
                cluster_arn=host.cluster_arn,
                subnet_ids=subnet_ids,
                security_group_ids=[host.security_group_id],
                image=self.image,
                image_repository_arns=[
                    arn for image, arn in images.repository_arns.items() if image == "db"
                ],
                region=settings.region,
                destination_url=self.archive.destination_url,
                backup_statements=self.archive.task_role_statements,
                alarm_topic_arn=alarm_topic_arn,
                metrics_namespace=f"{name}/restore-drill",
                server_name=self.archive.server_name,
                schedule=settings.restore_drill_schedule,
                cpu_architecture=settings.cpu_architecture,
                log_retention_days=settings.log_retention_days,
            ),
        )
        self.exports["restore_drill_log_group"] = self.drill.log_group_name


def database_for(settings: DatabaseSettings, name: str, network: Any, images: Any) -> StackDatabase:
    """The database ``settings.database`` names, in the network's private subnets. ``images``
    (ServiceImages.image_uris) must hold a ``db`` image for ``efs``, the ``web`` image (which
    runs db-init) for ``rds``."""
    if settings.managed_database:
        return _managed(settings, name, network, images)
    return _in_task(settings, name, network, images)


def _managed(settings: DatabaseSettings, name: str, network: Any, images: Any) -> StackDatabase:
    database = components.RdsPostgres(
        f"{name}-rds",
        components.RdsPostgresArgs(
            vpc_id=network.vpc_id,
            subnet_ids=network.private_subnet_ids,
            database_name=settings.database_name,
            database_user=settings.database_user,
            instance_class=settings.db_instance_class,
            allocated_storage_gib=settings.db_allocated_storage_gb,
            max_allocated_storage_gib=settings.db_max_allocated_storage_gb,
            multi_az=settings.db_multi_az,
            backup_retention_days=settings.db_backup_retention_days,
            apply_immediately=settings.db_apply_immediately,
            protect=settings.is_production,
            log_retention_days=settings.log_retention_days,
            engine_major_version=str(POSTGRES_MAJOR),
        ),
    )
    exports: dict[str, pulumi.Input[Any]] = {
        "database_address": database.address,
        "database_identifier": database.instance_identifier,
        "database_master_secret_arn": database.master_user_secret_arn,
        "database_app_password_secret_arn": database.app_password_secret_arn,
    }
    instance = DbInstance(
        identifier=database.instance_identifier,
        instance_class=settings.db_instance_class,
        allocated_storage_gib=settings.db_allocated_storage_gb,
    )
    # Only the master user can make the application's role: the task does it at every start,
    # before web, so the first deploy needs no step by hand and a new password takes over.
    init = service_containers.db_init_container(
        images.image_uris["web"],
        database,
        database_name=settings.database_name,
        app_user=settings.database_user,
    )
    return StackDatabase(
        database,
        container_name=None,
        exports=exports,
        db_instance=instance,
        containers=[init],
        web_waits_for={init.name: "SUCCESS"},
    )


def _in_task(settings: DatabaseSettings, name: str, network: Any, images: Any) -> StackDatabase:
    production = settings.is_production
    backups = components.PostgresBackupBucket(
        f"{name}-db-backups",
        components.PostgresBackupBucketArgs(
            settings.backup_retention_days,
            protect=production,
            # The task archives and restores; nothing in it may delete. Its role is named
            # by the task this stack declares under the same name.
            writer_role_names=(components.task_role_name_pattern(name),),
            # The restore drill reads the archive too (its role, declared later, by pattern).
            reader_role_names=(
                settings.break_glass_role(name),
                drill_role_name_pattern(drill_name(name)),
            ),
        ),
    )
    archive = components.WalArchive(
        destination_url=backups.destination_url,
        region=settings.region,
        task_role_statements=backups.task_role_statements(),
        retention_days=settings.backup_retention_days,
        base_backup_time=settings.base_backup_time,
        archive_timeout_seconds=settings.archive_timeout_seconds,
    )
    database = components.EfsPostgres(
        f"{name}-db",
        components.EfsPostgresArgs(
            vpc_id=network.vpc_id,
            subnet_ids=network.private_subnet_ids,
            image=images.image_uris["db"],
            wal_archive=archive,
            database_name=settings.database_name,
            database_user=settings.database_user,
            throughput_mode=settings.efs_throughput_mode,
            protect=production,
        ),
    )
    exports: dict[str, pulumi.Input[Any]] = {
        "efs_file_system_id": database.file_system_id,
        "backup_vault_name": database.backup_vault_name,
        "backup_bucket_name": backups.bucket_name,
        "backup_destination_url": backups.destination_url,
    }
    return StackDatabase(
        database,
        database.container_name,
        backups,
        exports,
        containers=list(database.containers),
        web_waits_for={database.container_name: "HEALTHY"},
        archive=archive,
        image=images.image_uris["db"],
        db_signals=DbSignals(
            archive.signals_namespace, archive.server_name, archive.archive_timeout_seconds
        )
        if archive.signals_namespace
        else None,
    )
