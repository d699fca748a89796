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

Its Args are in :mod:`components.postgres.rds_args`, the resources it declares in
:mod:`components.postgres.rds_parts`, the pure parts (allowed sizes, URL, names) in
:mod:`components.postgres.rds_parameters`.
https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
"""

from typing import Any

import pulumi

from components._shared.aliases import with_former_types
from components.fargate.types import ContainerSpec, SecretKey, Volume
from components.postgres.app_access import (
    ClientAccess,
    declare_app_credentials,
    declare_client_access,
)
from components.postgres.rds_args import RdsPostgresArgs as RdsPostgresArgs
from components.postgres.rds_parameters import (
    MASTER_SECRET_PASSWORD_KEY,
    MASTER_SECRET_USERNAME_KEY,
    POSTGRES_PORT,
)
from components.postgres.rds_parts import (
    app_url_of,
    declare_identifier,
    declare_instance,
    declare_log_groups,
    declare_parameter_group,
    declare_subnet_group,
    master_user_secret_arn,
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
        subnet_group = declare_subnet_group(name, args.subnet_ids, child)
        parameters = declare_parameter_group(name, args.engine_major_version, child)
        identifier = declare_identifier(name, child)
        log_groups = declare_log_groups(name, identifier, args.log_retention_days, child)
        instance = declare_instance(
            name, args, identifier, subnet_group, parameters, db_group, log_groups, keep
        )
        app = declare_app_credentials(name, args.database_user, app_url_of(args, instance), child)

        self.database_url = app.url
        self.database_url_secret_arn = app.url_secret.arn
        self.app_password_secret_arn = app.password.arn
        self.master_user_secret_arn = instance.master_user_secrets.apply(master_user_secret_arn)
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
