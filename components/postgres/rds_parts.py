"""The groups of resources RdsPostgres declares: the DB subnet group, the TLS-only parameter
group, the identifier drawn once per creation, the log groups the instance exports to, and
the instance. What each is given is computed by the pure functions here
(:func:`parameter_group_inputs`, :func:`instance_inputs`, :func:`master_user_secret_arn`);
the checks and names they use are in :mod:`components.postgres.rds_parameters`."""

from collections.abc import Callable, Sequence
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from components.postgres.rds_args import RdsPostgresArgs
from components.postgres.rds_parameters import (
    ENGINE,
    FORCE_SSL_PARAMETER,
    IDENTIFIER_SUFFIX_BYTES,
    LOG_EXPORTS,
    MASTER_USERNAME,
    POSTGRES_PORT,
    STORAGE_TYPE,
    database_url_output,
    final_snapshot_identifier,
    instance_identifier,
    log_group_names,
    parameter_group_family,
    performance_insights_retention,
)


def parameter_group_inputs(name: str, engine_major_version: str) -> dict[str, Any]:
    """The parameter group of the major's family, with ``rds.force_ssl`` on."""
    return {
        "family": parameter_group_family(engine_major_version),
        "description": f"{name}: TLS required",
        "parameters": [aws.rds.ParameterGroupParameterArgs(**FORCE_SSL_PARAMETER)],
    }


def instance_inputs(
    name: str,
    args: RdsPostgresArgs,
    *,
    identifier: pulumi.Input[str],
    final_snapshot: pulumi.Input[str],
    subnet_group_name: pulumi.Input[str],
    security_group_id: pulumi.Input[str],
    parameter_group_name: pulumi.Input[str],
) -> dict[str, Any]:
    """The instance: private, encrypted, its master password managed by RDS, kept by
    backups, a final snapshot and (with ``args.protect``) deletion protection."""
    insights_days = performance_insights_retention(args.instance_class)
    return {
        "identifier": identifier,
        "engine": ENGINE,
        "engine_version": args.engine_major_version,
        "auto_minor_version_upgrade": True,
        # Sent with a changed engine_version only (terraform-provider-aws
        # internal/service/rds/instance.go resourceInstanceUpdate); RDS refuses a major
        # upgrade without it:
        # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.PostgreSQL.MajorVersion.html
        "allow_major_version_upgrade": args.allow_major_version_upgrade,
        "instance_class": args.instance_class,
        "allocated_storage": args.allocated_storage_gib,
        "max_allocated_storage": args.max_allocated_storage_gib or None,
        "storage_type": STORAGE_TYPE,
        "storage_encrypted": True,
        "publicly_accessible": False,
        "db_subnet_group_name": subnet_group_name,
        "vpc_security_group_ids": [security_group_id],
        "parameter_group_name": parameter_group_name,
        "port": POSTGRES_PORT,
        "db_name": args.database_name,
        "username": MASTER_USERNAME,
        "manage_master_user_password": True,
        "multi_az": args.multi_az,
        # Without it ModifyDBInstance leaves most changes pending until the maintenance
        # window, and until then every `pulumi up` shows the same diff again: the provider
        # reads the instance's current class and storage back, not the pending ones
        # (terraform-provider-aws internal/service/rds/instance.go resourceInstanceUpdate,
        # resourceInstanceRead; docs/operations.md "Changing the RDS instance").
        "apply_immediately": args.apply_immediately,
        "backup_retention_period": args.backup_retention_days,
        "copy_tags_to_snapshot": True,
        "deletion_protection": args.protect,
        "skip_final_snapshot": False,
        "final_snapshot_identifier": final_snapshot,
        "performance_insights_enabled": insights_days is not None,
        "performance_insights_retention_period": insights_days,
        "enabled_cloudwatch_logs_exports": list(LOG_EXPORTS),
        "tags": {"Name": name},
    }


def master_user_secret_arn(secrets: Sequence[Any] | None) -> str:
    """The ARN of the master user's RDS-managed secret, from the instance's
    ``master_user_secrets`` ("" until RDS has made it)."""
    return (secrets[0].secret_arn or "") if secrets else ""


def declare_subnet_group(
    name: str, subnet_ids: Sequence[pulumi.Input[str]], opts: pulumi.ResourceOptions
) -> aws.rds.SubnetGroup:
    return aws.rds.SubnetGroup(
        f"{name}-subnets",
        subnet_ids=list(subnet_ids),
        description=f"{name}: private subnets only",
        opts=opts,
    )


def declare_parameter_group(
    name: str, engine_major_version: str, opts: pulumi.ResourceOptions
) -> aws.rds.ParameterGroup:
    # A new family replaces the group; it is auto-named, so the new one is created first
    # (Pulumi's default for replacements), the instance is modified to use it with the new
    # engine version in one ModifyDBInstance (terraform-provider-aws
    # internal/service/rds/instance.go resourceInstanceUpdate), and the old group is deleted
    # once nothing uses it.
    return aws.rds.ParameterGroup(
        f"{name}-params", **parameter_group_inputs(name, engine_major_version), opts=opts
    )


def declare_identifier(name: str, opts: pulumi.ResourceOptions) -> pulumi.Output[str]:
    """The instance's identifier, ``name`` and a suffix drawn once per creation and kept in
    the state: the instance's name and its log groups' are new each time the stack is created,
    never those a retained instance of an earlier creation still holds
    (DBInstanceAlreadyExists, ResourceAlreadyExists)."""
    suffix = random.RandomId(f"{name}-id", byte_length=IDENTIFIER_SUFFIX_BYTES, opts=opts)
    return suffix.hex.apply(lambda hex_: instance_identifier(name, hex_))


def declare_log_groups(
    name: str,
    identifier: pulumi.Output[str],
    retention_days: int,
    opts: pulumi.ResourceOptions,
) -> list[aws.cloudwatch.LogGroup]:
    """The exported logs' groups, declared before the instance with a retention: RDS would
    create them with none."""
    return [
        aws.cloudwatch.LogGroup(
            f"{name}-{log}-logs",
            name=_log_group_name(identifier, index),
            retention_in_days=retention_days,
            opts=opts,
        )
        for index, log in enumerate(LOG_EXPORTS)
    ]


def declare_instance(
    name: str,
    args: RdsPostgresArgs,
    identifier: pulumi.Output[str],
    subnet_group: aws.rds.SubnetGroup,
    parameters: aws.rds.ParameterGroup,
    security_group: aws.ec2.SecurityGroup,
    log_groups: Sequence[aws.cloudwatch.LogGroup],
    keep: pulumi.ResourceOptions,
) -> aws.rds.Instance:
    """The instance, kept with ``keep``, after the log groups it exports to."""
    return aws.rds.Instance(
        f"{name}-instance",
        **instance_inputs(
            name,
            args,
            identifier=identifier,
            final_snapshot=identifier.apply(final_snapshot_identifier),
            subnet_group_name=subnet_group.name,
            security_group_id=security_group.id,
            parameter_group_name=parameters.name,
        ),
        opts=pulumi.ResourceOptions.merge(keep, pulumi.ResourceOptions(depends_on=log_groups)),
    )


def app_url_of(
    args: RdsPostgresArgs, instance: aws.rds.Instance
) -> Callable[[pulumi.Output[str]], pulumi.Output[str]]:
    """How the application's ``DATABASE_URL`` is made of its password: TLS, verified against
    the RDS CA bundle, to the instance's address."""
    return lambda password: database_url_output(
        user=args.database_user,
        password=password,
        host=instance.address,
        port=instance.port,
        database=args.database_name,
        ca_bundle_path=args.ca_bundle_path,
    )


def _log_group_name(identifier: pulumi.Output[str], index: int) -> pulumi.Output[str]:
    """The name of the instance's ``index``-th exported log, once its identifier exists."""
    return identifier.apply(lambda value: log_group_names(value)[index])
