"""RdsPostgresArgs: the RDS instance RdsPostgres declares, checked before anything is
declared."""

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi

from components.postgres.container_env import SUPERUSER
from components.postgres.rds_parameters import (
    ENGINE_MAJOR_VERSION,
    MASTER_USERNAME,
    RDS_CA_BUNDLE_PATH,
    check_backup_retention,
    check_engine_major_version,
    check_instance_class,
    check_storage,
)


@dataclass(frozen=True)
class RdsPostgresArgs:
    """One RDS for PostgreSQL instance in private subnets."""

    vpc_id: pulumi.Input[str]
    """The VPC of the instance's and the clients' security groups."""
    subnet_ids: Sequence[pulumi.Input[str]]
    """Private subnets in two or more AZs (RDS requires two for a DB subnet group)."""
    database_name: str = "app"
    """The database RDS creates; the application role is given it."""
    database_user: str = "app"
    """The application's role (not the master user, not ``postgres``)."""
    instance_class: str = "db.t4g.micro"
    """One of ``managed_postgres_specs.INSTANCE_CLASSES``."""
    allocated_storage_gib: int = 20
    """gp3 storage at creation, 20..65536 GiB."""
    max_allocated_storage_gib: int = 100
    """Storage autoscaling ceiling; 0 turns autoscaling off."""
    multi_az: bool = True
    """A synchronous standby in a second AZ that RDS fails over to (doubles the instance price)."""
    backup_retention_days: int = 7
    """Days of automated backups, the point-in-time recovery window (1..35)."""
    apply_immediately: bool = False
    """Apply a change of the instance (class, storage, Multi-AZ, identifier) at once, with the
    restart or failover it needs; False leaves it pending until the maintenance window."""
    protect: bool = True
    """Deletion protection, Pulumi protect and retain_on_delete (production)."""
    log_retention_days: int = 30
    """Retention of the instance's `postgresql` log group in CloudWatch Logs."""
    ca_bundle_path: str = RDS_CA_BUNDLE_PATH
    """Where the client image keeps the RDS CA bundle (``sslrootcert`` in the URL)."""
    engine_major_version: str = ENGINE_MAJOR_VERSION
    """The PostgreSQL major (RDS keeps it on the newest minor). Raising it is a major-version
    upgrade: the parameter group of the new family is created before the instance switches to
    it, in the same ModifyDBInstance as the new version (docs/operations.md)."""
    allow_major_version_upgrade: bool = True
    """Let a change of ``engine_major_version`` upgrade the instance in that `pulumi up`; False
    makes RDS refuse it. Only a change of the major upgrades anything, and the preview shows it."""

    def __post_init__(self) -> None:
        if len(self.subnet_ids) < 2:
            raise ValueError(
                "RdsPostgresArgs.subnet_ids: a DB subnet group needs subnets in at least "
                "two AZs; pass the private subnets of azCount >= 2"
            )
        if self.database_user in (SUPERUSER, MASTER_USERNAME):
            raise ValueError(
                f"RdsPostgresArgs.database_user is {self.database_user!r}, an administrator; "
                "give the application a role of its own (e.g. the database name)"
            )
        try:
            check_instance_class(self.instance_class)
            check_storage(self.allocated_storage_gib, self.max_allocated_storage_gib)
            check_backup_retention(self.backup_retention_days)
            check_engine_major_version(self.engine_major_version)
        except ValueError as error:
            raise ValueError(f"RdsPostgresArgs: {error}") from None
