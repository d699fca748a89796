"""EfsPostgres: a Postgres container whose data lives on encrypted EFS.

The seam to keep: whatever provides the database (this container on EFS, or later a
managed RDS instance) exposes the same :class:`PostgresDatabase` surface, so the
composition does not change when the provider does.

Two kinds of backup, and only one of them restores a consistent database:

- the WAL archive plus daily base backups that the db container writes to S3
  (:class:`~components.postgres.container_env.WalArchive`, barman-cloud): Postgres' own
  point-in-time
  recovery, the restore path;
- AWS Backup of the EFS file system, kept as a secondary copy of the files. It copies files
  while Postgres changes them, and AWS warns such a copy can hold "duplicated, skewed, or
  excluded data": it is not a consistent database image.
  https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html#backup-consistency

What is declared comes from the pure functions of :mod:`components.postgres.task_parts`; the file
system and the superuser's password are declared by :mod:`components.postgres.efs_parts`, the
daily AWS Backup plan by :func:`components.postgres.aws_backup.declare_daily_backup`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pulumi

from components._shared.aliases import with_former_types
from components.fargate.types import ContainerSpec, Volume
from components.postgres.app_access import (
    ClientAccess,
    declare_app_credentials,
    declare_client_access,
)
from components.postgres.aws_backup import declare_daily_backup
from components.postgres.container_env import SUPERUSER, WalArchive, database_url
from components.postgres.efs_parts import declare_file_system, declare_superuser_password
from components.postgres.task_parts import (
    NFS_PORT,
    data_volume,
    db_container,
    task_role_statements,
)

COMPONENT_TYPE = "django-tw:postgres:EfsPostgres"
# Its earlier tokens: an alias to each moves a stack's resources instead of replacing them.
FORMER_COMPONENT_TYPES = (
    "django-tw:database:PersistentPostgres",
    "django-tw:persistent_postgres:PersistentPostgres",
)

# elastic: pay per GB read or written, no credits to run out of. bursting: free with storage,
# but a 2 GB file system's baseline is ~1 MiB/s once its burst credits are gone.
# https://docs.aws.amazon.com/efs/latest/ug/performance.html#throughput-modes
ELASTIC_THROUGHPUT, BURSTING_THROUGHPUT = "elastic", "bursting"
EFS_THROUGHPUT_MODES = (ELASTIC_THROUGHPUT, BURSTING_THROUGHPUT)
# The mount targets take NFS from the db container's task only.
NFS_ACCESS = ClientAccess(
    server="efs",
    protocol="nfs",
    port=NFS_PORT,
    client_description="Members may mount the Postgres file system (NFS 2049)",
    server_description="EFS mount targets: NFS from Postgres clients only",
    ingress_description="NFS from the Postgres task",
    egress_description="NFS to the Postgres file system",
)


class PostgresDatabase(Protocol):
    """What the composition needs from any Postgres provider (container on EFS, or RDS)."""

    @property
    def database_url(self) -> pulumi.Output[str]:
        """postgres://USER:PASSWORD@HOST:5432/DB, a Pulumi secret."""

    @property
    def database_url_secret_arn(self) -> pulumi.Output[str]:
        """Secrets Manager ARN holding ``database_url`` (for the web container's ``secrets``)."""

    @property
    def containers(self) -> Sequence[ContainerSpec]:
        """Containers to add to the task (none for a managed database)."""

    @property
    def volumes(self) -> Sequence[Volume]: ...

    @property
    def task_role_statements(self) -> Sequence[Mapping[str, Any]]: ...

    @property
    def client_security_group_id(self) -> pulumi.Output[str]:
        """Attach to whatever connects (the task)."""

    @property
    def required_endpoints(self) -> frozenset[str]: ...


@dataclass(frozen=True)
class EfsPostgresArgs:
    """Postgres in the task, data on EFS."""

    vpc_id: pulumi.Input[str]
    """The VPC of the task; the file system's security groups live there."""
    subnet_ids: Sequence[pulumi.Input[str]]
    """The task's subnets: every one gets a mount target, so the task mounts in any AZ."""
    image: pulumi.Input[str]
    """Built from components/images/db/Dockerfile (postgres Debian image, single-writer guard,
    barman-cloud)."""
    wal_archive: WalArchive
    """Where and how the db container archives WAL and takes base backups: the backups that
    restore a consistent database."""
    database_name: str = "app"
    """POSTGRES_DB: the database created on first start."""
    database_user: str = "app"
    """POSTGRES_APP_USER: the role that owns that database (not a superuser); the application
    connects as it. Its password and the superuser's are generated."""
    container_name: str = "db"
    """Name of the Postgres container in the task (what other containers' depends_on use)."""
    protect: bool = True
    """Protect the file system and backup vault from deletion (production)."""
    throughput_mode: str = ELASTIC_THROUGHPUT
    """EFS throughput mode: ``elastic`` or ``bursting`` (see :data:`EFS_THROUGHPUT_MODES`)."""
    backup_schedule: str = "cron(0 18 * * ? *)"
    """AWS Backup (secondary file copy) schedule, UTC. Default: daily 18:00 UTC, 03:00 in
    Japan."""
    backup_retention_days: int = 35
    """Days each AWS Backup recovery point is kept (1 or more)."""

    def __post_init__(self) -> None:
        if not self.subnet_ids:
            raise ValueError("EfsPostgresArgs.subnet_ids is empty; pass the task subnets")
        if self.backup_retention_days < 1:
            raise ValueError("EfsPostgresArgs.backup_retention_days must be 1 or more")
        if self.throughput_mode not in EFS_THROUGHPUT_MODES:
            raise ValueError(
                f"EfsPostgresArgs.throughput_mode is {self.throughput_mode!r}; use "
                f"{' or '.join(EFS_THROUGHPUT_MODES)}"
            )
        if self.database_user == SUPERUSER:
            raise ValueError(
                f"EfsPostgresArgs.database_user is {SUPERUSER!r}, the superuser; give "
                "the application a role of its own (e.g. the database name)"
            )


class EfsPostgres(pulumi.ComponentResource):
    """Encrypted EFS (mount target per task subnet, access point 999:999, AWS Backup plan),
    the Postgres container spec that mounts it and archives to S3, and two generated
    passwords: the superuser's (db container only) and the application role's (in
    ``DATABASE_URL``)."""

    database_url: pulumi.Output[str]
    """postgres://USER:PASSWORD@127.0.0.1:5432/DB for the application role, a secret."""
    database_url_secret_arn: pulumi.Output[str]
    """Secrets Manager ARN holding ``database_url`` (for a container's ``secrets``)."""
    superuser_password_secret_arn: pulumi.Output[str]
    """Secrets Manager ARN of the superuser's password (the db container only)."""
    app_password_secret_arn: pulumi.Output[str]
    """Secrets Manager ARN of the application role's password."""
    file_system_id: pulumi.Output[str]
    """The EFS file system holding the data directory."""
    access_point_id: pulumi.Output[str]
    """The EFS access point the db container mounts (uid/gid 999)."""
    client_security_group_id: pulumi.Output[str]
    """Attach to the task: the mount targets accept NFS from it only."""
    backup_vault_name: pulumi.Output[str]
    """The AWS Backup vault of the file system's daily copies."""
    container_name: str
    """The db container's name (what other containers' ``depends_on`` use)."""
    containers: list[ContainerSpec]
    """Containers to add to the task: the db container."""
    volumes: list[Volume]
    """Volumes to add to the task: the EFS data volume."""
    task_role_statements: list[dict[str, Any]]
    """IAM statements the task role needs (EFS mount, WAL archive)."""

    def __init__(
        self, name: str, args: EfsPostgresArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        child = pulumi.ResourceOptions(parent=self)
        # Data must survive a rename, a refactor or `pulumi destroy`: protect refuses the
        # deletion, retain_on_delete leaves the cloud resource in place if it is forced.
        keep = pulumi.ResourceOptions(
            parent=self, protect=args.protect, retain_on_delete=args.protect
        )

        client_group, mount_group = declare_client_access(name, args.vpc_id, NFS_ACCESS, child)

        file_system, access_point = declare_file_system(
            name, args.subnet_ids, mount_group, args.throughput_mode, child, keep
        )
        vault = declare_daily_backup(
            f"{name}-backup",
            [file_system.arn],
            schedule=args.backup_schedule,
            retention_days=args.backup_retention_days,
            opts=child,
            vault_opts=keep,
            force_destroy=not args.protect,
        )

        superuser_password = declare_superuser_password(name, child)
        app = declare_app_credentials(
            name,
            args.database_user,
            lambda password: database_url(args.database_user, password, args.database_name),
            child,
        )

        self.database_url = pulumi.Output.secret(app.url)
        self.database_url_secret_arn = app.url_secret.arn
        self.superuser_password_secret_arn = superuser_password.arn
        self.app_password_secret_arn = app.password.arn
        self.file_system_id = file_system.id
        self.access_point_id = access_point.id
        self.client_security_group_id = client_group.id
        self.backup_vault_name = vault.name
        self.container_name = args.container_name
        self.volumes = [data_volume(file_system.id, access_point.id)]
        self.containers = [
            db_container(
                name=args.container_name,
                image=args.image,
                database_name=args.database_name,
                app_user=args.database_user,
                archive=args.wal_archive,
                superuser_password_arn=superuser_password.arn,
                app_password_arn=app.password.arn,
            )
        ]
        self.task_role_statements = task_role_statements(
            file_system.arn, access_point.arn, args.wal_archive.task_role_statements
        )
        self.register_outputs(
            {
                "database_url_secret_arn": self.database_url_secret_arn,
                "file_system_id": self.file_system_id,
                "access_point_id": self.access_point_id,
                "client_security_group_id": self.client_security_group_id,
                "backup_vault_name": self.backup_vault_name,
            }
        )

    @property
    def required_endpoints(self) -> frozenset[str]:
        """S3, for the WAL archive and base backups (through the free gateway endpoint).

        EFS needs none: it is mounted through mount targets inside the VPC, not the EFS API.
        https://docs.aws.amazon.com/efs/latest/ug/manage-fs-access.html
        """
        return frozenset({"s3"})
