"""RdsPostgres: RDS for PostgreSQL behind the same surface as EfsPostgres.

The composition reads a :class:`~components.postgres.efs.PostgresDatabase` and does not
care which provider it got: this one adds no container and no volume to the task, so the task is
stateless and its service may run several copies and roll with full capacity.

- private: a DB subnet group over the task's private subnets, not publicly accessible; its
  security group opens Postgres' port only to members of ``client_security_group_id``;
- encrypted: storage at rest (the AWS managed key), and in transit: the parameter group sets
  ``rds.force_ssl=1`` and the application's URL says ``sslmode=verify-full``;
- kept: automated backups (point-in-time recovery within the retention), a final snapshot on
  deletion, deletion protection plus Pulumi ``protect``/``retain_on_delete`` on production;
- two roles: the master user, whose password RDS generates and keeps in a secret of its own
  (``manage_master_user_password``; ``master_username``/``master_password`` are its two keys,
  for a container's ``secrets``), and the application's role (no SUPERUSER, CREATEDB,
  CREATEROLE), whose generated password is in ``app_password_secret_arn`` and ``DATABASE_URL``.
  Only the master user can make that role: the client runs that step (the django-tw stack's
  web task does, in its db-init container, at every start).

Pure parts (allowed sizes, URL, names) are in :mod:`components.postgres.rds_parameters`.
https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from components._shared.aliases import with_former_types
from components.fargate.types import ContainerSpec, SecretKey, Volume
from components.postgres.app_access import (
    ClientAccess,
    declare_app_credentials,
    declare_client_access,
)
from components.postgres.container_env import SUPERUSER
from components.postgres.rds_parameters import (
    ENGINE,
    ENGINE_MAJOR_VERSION,
    FORCE_SSL_PARAMETER,
    IDENTIFIER_SUFFIX_BYTES,
    LOG_EXPORTS,
    MASTER_SECRET_PASSWORD_KEY,
    MASTER_SECRET_USERNAME_KEY,
    MASTER_USERNAME,
    POSTGRES_PORT,
    RDS_CA_BUNDLE_PATH,
    STORAGE_TYPE,
    check_backup_retention,
    check_engine_major_version,
    check_instance_class,
    check_storage,
    database_url_output,
    final_snapshot_identifier,
    instance_identifier,
    log_group_names,
    parameter_group_family,
    performance_insights_retention,
)

COMPONENT_TYPE = "django-tw:postgres:RdsPostgres"
FORMER_COMPONENT_TYPES = ("django-tw:managed_postgres:ManagedPostgres",)
# The instance takes Postgres from its clients' group only.
POSTGRES_ACCESS = ClientAccess(
    server="db",
    protocol="postgres",
    port=POSTGRES_PORT,
    client_description="Members may connect to the RDS Postgres",
    server_description="RDS Postgres: its clients only",
    ingress_description="Postgres from its clients",
    egress_description="Postgres to the RDS instance",
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


class RdsPostgres(pulumi.ComponentResource):
    """RDS for PostgreSQL, its subnet group, parameter group, security groups, log group, and
    the application role's password and ``DATABASE_URL`` in Secrets Manager."""

    database_url: pulumi.Output[str]
    database_url_secret_arn: pulumi.Output[str]
    app_password_secret_arn: pulumi.Output[str]
    master_user_secret_arn: pulumi.Output[str]
    master_username: SecretKey
    """The master user's name in its RDS-managed secret (for a container's ``secrets``)."""
    master_password: SecretKey
    """The master user's password in its RDS-managed secret, rotated by RDS."""
    port: int
    """The instance's Postgres port."""
    ca_bundle_path: str
    """Where the client image keeps the RDS CA bundle (``sslrootcert``)."""
    client_security_group_id: pulumi.Output[str]
    address: pulumi.Output[str]
    instance_identifier: pulumi.Output[str]
    containers: list[ContainerSpec]
    volumes: list[Volume]
    task_role_statements: list[dict[str, Any]]

    def __init__(
        self, name: str, args: RdsPostgresArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        child = pulumi.ResourceOptions(parent=self)
        # The data must survive a rename, a refactor or `pulumi destroy` (see EfsPostgres).
        keep = pulumi.ResourceOptions(
            parent=self, protect=args.protect, retain_on_delete=args.protect
        )

        client_group, db_group = declare_client_access(name, args.vpc_id, POSTGRES_ACCESS, child)

        subnet_group = aws.rds.SubnetGroup(
            f"{name}-subnets",
            subnet_ids=list(args.subnet_ids),
            description=f"{name}: private subnets only",
            opts=child,
        )
        parameters = aws.rds.ParameterGroup(
            f"{name}-params",
            family=parameter_group_family(args.engine_major_version),
            description=f"{name}: TLS required",
            parameters=[aws.rds.ParameterGroupParameterArgs(**FORCE_SSL_PARAMETER)],
            # A new family replaces the group; it is auto-named, so the new one is created
            # first (Pulumi's default for replacements), the instance is modified to use it
            # with the new engine version in one ModifyDBInstance (terraform-provider-aws
            # internal/service/rds/instance.go resourceInstanceUpdate), and the old group is
            # deleted once nothing uses it.
            opts=child,
        )
        # Drawn once per creation and kept in the state: the instance's name and its log
        # groups' are new each time the stack is created, never those a retained instance of
        # an earlier creation still holds (DBInstanceAlreadyExists, ResourceAlreadyExists).
        suffix = random.RandomId(f"{name}-id", byte_length=IDENTIFIER_SUFFIX_BYTES, opts=child)
        identifier = suffix.hex.apply(lambda hex_: instance_identifier(name, hex_))
        # Declared before the instance, with retention: RDS would create them with none.
        log_groups = [
            aws.cloudwatch.LogGroup(
                f"{name}-{log}-logs",
                name=_log_group_name(identifier, index),
                retention_in_days=args.log_retention_days,
                opts=child,
            )
            for index, log in enumerate(LOG_EXPORTS)
        ]
        insights_days = performance_insights_retention(args.instance_class)
        instance = aws.rds.Instance(
            f"{name}-instance",
            identifier=identifier,
            engine=ENGINE,
            engine_version=args.engine_major_version,
            auto_minor_version_upgrade=True,
            # Sent with a changed engine_version only (resourceInstanceUpdate, as above); RDS
            # refuses a major upgrade without it:
            # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.PostgreSQL.MajorVersion.html
            allow_major_version_upgrade=args.allow_major_version_upgrade,
            instance_class=args.instance_class,
            allocated_storage=args.allocated_storage_gib,
            max_allocated_storage=args.max_allocated_storage_gib or None,
            storage_type=STORAGE_TYPE,
            storage_encrypted=True,
            publicly_accessible=False,
            db_subnet_group_name=subnet_group.name,
            vpc_security_group_ids=[db_group.id],
            parameter_group_name=parameters.name,
            port=POSTGRES_PORT,
            db_name=args.database_name,
            username=MASTER_USERNAME,
            manage_master_user_password=True,
            multi_az=args.multi_az,
            # Without it ModifyDBInstance leaves most changes pending until the maintenance
            # window, and until then every `pulumi up` shows the same diff again: the provider
            # reads the instance's current class and storage back, not the pending ones
            # (terraform-provider-aws internal/service/rds/instance.go resourceInstanceUpdate,
            # resourceInstanceRead; docs/operations.md "Changing the RDS instance").
            apply_immediately=args.apply_immediately,
            backup_retention_period=args.backup_retention_days,
            copy_tags_to_snapshot=True,
            deletion_protection=args.protect,
            skip_final_snapshot=False,
            final_snapshot_identifier=identifier.apply(final_snapshot_identifier),
            performance_insights_enabled=insights_days is not None,
            performance_insights_retention_period=insights_days,
            enabled_cloudwatch_logs_exports=list(LOG_EXPORTS),
            tags={"Name": name},
            opts=pulumi.ResourceOptions.merge(keep, pulumi.ResourceOptions(depends_on=log_groups)),
        )

        app = declare_app_credentials(
            name,
            args.database_user,
            lambda password: database_url_output(
                user=args.database_user,
                password=password,
                host=instance.address,
                port=instance.port,
                database=args.database_name,
                ca_bundle_path=args.ca_bundle_path,
            ),
            child,
        )

        self.database_url = app.url
        self.database_url_secret_arn = app.url_secret.arn
        self.app_password_secret_arn = app.password.arn
        self.master_user_secret_arn = instance.master_user_secrets.apply(
            lambda secrets: (secrets[0].secret_arn or "") if secrets else ""
        )
        self.master_username = SecretKey(self.master_user_secret_arn, MASTER_SECRET_USERNAME_KEY)
        self.master_password = SecretKey(self.master_user_secret_arn, MASTER_SECRET_PASSWORD_KEY)
        self.port = POSTGRES_PORT
        self.ca_bundle_path = args.ca_bundle_path
        self.client_security_group_id = client_group.id
        self.address = instance.address
        self.instance_identifier = instance.identifier
        self.containers = []
        self.volumes = []
        self.task_role_statements = []
        self.register_outputs(
            {
                "database_url_secret_arn": self.database_url_secret_arn,
                "app_password_secret_arn": self.app_password_secret_arn,
                "client_security_group_id": self.client_security_group_id,
                "address": self.address,
            }
        )

    @property
    def required_endpoints(self) -> frozenset[str]:
        """Secrets Manager: the task reads ``DATABASE_URL`` from it at start. The instance is
        reached inside the VPC, never through the RDS API."""
        return frozenset({"secretsmanager"})


def _log_group_name(identifier: pulumi.Output[str], index: int) -> pulumi.Output[str]:
    """The name of the instance's ``index``-th exported log, once its identifier exists."""
    return identifier.apply(lambda value: log_group_names(value)[index])
