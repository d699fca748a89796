"""What RdsPostgres gives its parameter group and instance, as plain values."""

from types import SimpleNamespace

import pytest

from components.postgres.rds_args import RdsPostgresArgs
from components.postgres.rds_parameters import (
    FORCE_SSL_PARAMETER,
    LOG_EXPORTS,
    MASTER_USERNAME,
    POSTGRES_PORT,
    parameter_group_family,
)
from components.postgres.rds_parts import (
    instance_inputs,
    master_user_secret_arn,
    parameter_group_inputs,
)


def rds_args(**kwargs) -> RdsPostgresArgs:
    return RdsPostgresArgs(vpc_id="vpc-1", subnet_ids=["subnet-a", "subnet-c"], **kwargs)


def inputs_of_instance(args: RdsPostgresArgs) -> dict:
    return instance_inputs(
        "pg",
        args,
        identifier="pg-0a1b2c3d",
        final_snapshot="pg-0a1b2c3d-final",
        subnet_group_name="pg-subnets-1",
        security_group_id="sg-db",
        parameter_group_name="pg-params-1",
    )


def test_the_parameter_group_is_of_the_majors_family_and_forces_tls():
    inputs = parameter_group_inputs("pg", "17")
    assert inputs["family"] == parameter_group_family("17")
    assert [(p.name, p.value) for p in inputs["parameters"]] == [
        (FORCE_SSL_PARAMETER["name"], FORCE_SSL_PARAMETER["value"])
    ]
    assert inputs["description"].startswith("pg:")


def test_the_instance_is_private_encrypted_in_its_subnets_group_and_parameters():
    inputs = inputs_of_instance(rds_args())
    assert inputs["storage_encrypted"] is True
    assert inputs["publicly_accessible"] is False
    assert inputs["db_subnet_group_name"] == "pg-subnets-1"
    assert inputs["vpc_security_group_ids"] == ["sg-db"]
    assert inputs["parameter_group_name"] == "pg-params-1"
    assert inputs["port"] == POSTGRES_PORT
    assert inputs["identifier"] == "pg-0a1b2c3d"
    assert inputs["tags"] == {"Name": "pg"}


def test_the_master_user_is_rds_managed_and_the_database_the_asked_one():
    inputs = inputs_of_instance(rds_args(database_name="tw", database_user="tw_user"))
    assert inputs["username"] == MASTER_USERNAME
    assert inputs["manage_master_user_password"] is True
    assert "password" not in inputs
    assert inputs["db_name"] == "tw"


def test_the_instance_is_the_asked_size_version_and_availability():
    args = rds_args(
        instance_class="db.t4g.small",
        allocated_storage_gib=50,
        max_allocated_storage_gib=200,
        multi_az=False,
        engine_major_version="17",
        allow_major_version_upgrade=False,
        apply_immediately=True,
    )
    inputs = inputs_of_instance(args)
    assert inputs["instance_class"] == args.instance_class
    assert inputs["allocated_storage"] == args.allocated_storage_gib
    assert inputs["max_allocated_storage"] == args.max_allocated_storage_gib
    assert inputs["multi_az"] is False
    assert inputs["engine_version"] == args.engine_major_version
    assert inputs["allow_major_version_upgrade"] is False
    assert inputs["apply_immediately"] is True
    assert inputs["auto_minor_version_upgrade"] is True


def test_no_storage_ceiling_turns_autoscaling_off():
    inputs = inputs_of_instance(rds_args(max_allocated_storage_gib=0))
    assert inputs["max_allocated_storage"] is None


@pytest.mark.parametrize("protect", [True, False])
def test_backups_and_a_final_snapshot_are_always_kept_deletion_protection_as_asked(protect):
    args = rds_args(protect=protect, backup_retention_days=14)
    inputs = inputs_of_instance(args)
    assert inputs["deletion_protection"] is protect
    assert inputs["skip_final_snapshot"] is False
    assert inputs["final_snapshot_identifier"] == "pg-0a1b2c3d-final"
    assert inputs["backup_retention_period"] == args.backup_retention_days
    assert inputs["copy_tags_to_snapshot"] is True


def test_performance_insights_follow_the_instance_class_and_logs_are_exported():
    inputs = inputs_of_instance(rds_args())
    assert inputs["performance_insights_enabled"] is (
        inputs["performance_insights_retention_period"] is not None
    )
    assert inputs["enabled_cloudwatch_logs_exports"] == list(LOG_EXPORTS)


def test_the_master_user_secret_is_the_first_rds_reports_or_none_yet():
    secret = SimpleNamespace(secret_arn="arn:aws:secretsmanager:ap-northeast-1:1:secret:rds!db")
    other = SimpleNamespace(secret_arn="arn:other")
    assert master_user_secret_arn([secret, other]) == secret.secret_arn
    assert master_user_secret_arn([SimpleNamespace(secret_arn=None)]) == ""
    assert master_user_secret_arn([]) == ""
    assert master_user_secret_arn(None) == ""
