"""RdsPostgres on its own: a private, encrypted, TLS-only RDS instance behind the surface
EfsPostgres offers."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pulumi
import pytest

from components.postgres.efs import PostgresDatabase
from components.postgres.rds import RdsPostgres, RdsPostgresArgs
from components.postgres.rds_parameters import ENGINE_MAJOR_VERSION, RDS_CA_BUNDLE_PATH
from tests.stack_runs import EGRESS_RULE, INGRESS_RULE, SECURITY_GROUP, run_component

SUBNETS = ["subnet-a", "subnet-c"]
INSTANCE = "aws:rds/instance:Instance"
RANDOM_ID = "random:index/randomId:RandomId"


def drawn_identifier(recording) -> str:
    """``pg-<hex>``: the component's name and the suffix drawn for this creation."""
    return f"pg-{recording.one(RANDOM_ID).outputs['hex']}"


def build(**kwargs):
    holder: dict[str, RdsPostgres] = {}

    def program() -> None:
        database = RdsPostgres(
            "pg",
            RdsPostgresArgs(
                vpc_id="vpc-1",
                subnet_ids=SUBNETS,
                database_name="tw",
                database_user="tw_user",
                **kwargs,
            ),
        )
        holder["database"] = database
        pulumi.export("database_url", database.database_url)
        pulumi.export("database_url_is_secret", pulumi.Output.is_secret(database.database_url))
        pulumi.export("master_user_secret_arn", database.master_user_secret_arn)

    return run_component(program), holder["database"]


@pytest.fixture(scope="module")
def built():
    return build()


def test_it_offers_the_surface_of_any_postgres_provider_with_nothing_for_the_task(built):
    _, database = built
    assert set(PostgresDatabase.__annotations__) <= set(dir(database))
    assert database.containers == database.volumes == database.task_role_statements == []
    assert database.required_endpoints == {"secretsmanager"}


def test_the_instance_is_postgres_of_the_default_major_private_encrypted_and_upgraded(built):
    recording, _ = built
    instance = recording.one(INSTANCE).inputs
    assert (instance["engine"], instance["engineVersion"]) == ("postgres", ENGINE_MAJOR_VERSION)
    assert instance["storageEncrypted"] is True
    assert instance["publiclyAccessible"] is False
    assert instance["storageType"] == "gp3"
    assert instance["autoMinorVersionUpgrade"] is True
    assert instance["enabledCloudwatchLogsExports"] == ["postgresql", "upgrade"]
    assert instance["performanceInsightsEnabled"] is True
    assert instance["performanceInsightsRetentionPeriod"] == 7
    subnet_group = recording.one("aws:rds/subnetGroup:SubnetGroup")
    assert subnet_group.inputs["subnetIds"] == SUBNETS
    assert instance["dbSubnetGroupName"] == subnet_group.outputs["name"]


def test_the_master_password_is_managed_by_rds_and_never_in_the_program(built):
    recording, _ = built
    instance = recording.one(INSTANCE).inputs
    assert instance["manageMasterUserPassword"] is True
    assert "password" not in instance
    assert recording.outputs["master_user_secret_arn"].startswith("arn:aws:secretsmanager:")


def test_the_parameter_group_refuses_plain_connections(built):
    recording, _ = built
    group = recording.one("aws:rds/parameterGroup:ParameterGroup")
    assert group.inputs["family"] == f"postgres{ENGINE_MAJOR_VERSION}"
    values = {p["name"]: p["value"] for p in group.inputs["parameters"]}
    assert values["rds.force_ssl"] == "1"
    assert recording.one(INSTANCE).inputs["parameterGroupName"] == group.outputs["name"]


def test_the_application_url_is_its_own_role_over_verified_tls(built):
    recording, _ = built
    url = urlsplit(recording.outputs["database_url"])
    address = recording.one(INSTANCE).outputs["address"]
    assert (url.username, url.hostname, url.port, url.path) == ("tw_user", address, 5432, "/tw")
    assert parse_qs(url.query) == {"sslmode": ["verify-full"], "sslrootcert": [RDS_CA_BUNDLE_PATH]}
    assert recording.outputs["database_url_is_secret"] is True


def test_postgres_is_open_only_to_the_client_group(built):
    recording, _ = built
    groups = {g.name: g for g in recording.of_type(SECURITY_GROUP)}
    db_group, client_group = groups["pg-db-sg"], groups["pg-client-sg"]
    (ingress,) = recording.of_type(INGRESS_RULE)
    assert ingress.inputs["securityGroupId"] == db_group.id
    assert ingress.inputs["referencedSecurityGroupId"] == client_group.id
    assert ingress.inputs["fromPort"] == ingress.inputs["toPort"] == 5432
    assert "cidrIpv4" not in ingress.inputs
    (egress,) = recording.of_type(EGRESS_RULE)
    assert egress.inputs["securityGroupId"] == client_group.id
    assert egress.inputs["referencedSecurityGroupId"] == db_group.id
    assert recording.one(INSTANCE).inputs["vpcSecurityGroupIds"] == [db_group.id]


def test_production_keeps_backups_snapshots_and_the_instance(built):
    recording, _ = built
    instance = recording.one(INSTANCE)
    assert instance.inputs["backupRetentionPeriod"] == 7
    assert instance.inputs["multiAz"] is True
    assert instance.inputs["deletionProtection"] is True
    assert instance.inputs["skipFinalSnapshot"] is False
    assert instance.inputs["finalSnapshotIdentifier"] == f"{drawn_identifier(recording)}-final"
    assert instance.protect
    assert instance.retain_on_delete


def test_each_creation_names_its_instance_and_final_snapshot_anew(built):
    recording, _ = built
    suffix = recording.one(RANDOM_ID)
    # Deleted with the stack even where the instance is retained: a stack created again under
    # the same name draws another suffix, so no name of a retained instance is reused.
    assert not suffix.protect
    assert not suffix.retain_on_delete
    assert suffix.inputs["byteLength"] == 4
    instance = recording.one(INSTANCE)
    assert instance.inputs["identifier"] == drawn_identifier(recording)
    assert instance.inputs["identifier"] != "pg"
    assert instance.inputs["finalSnapshotIdentifier"].startswith(instance.inputs["identifier"])
    assert suffix.urn in instance.dependencies


PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup"


@pytest.mark.parametrize("major", ["17", "18"])
def test_the_major_sets_the_engine_version_and_the_parameter_group_family(major):
    recording, _ = build(engine_major_version=major)
    assert recording.one(INSTANCE).inputs["engineVersion"] == major
    assert recording.one(PARAMETER_GROUP).inputs["family"] == f"postgres{major}"


def test_a_new_major_is_one_reviewed_update_with_the_new_family_group_created_first(built):
    """Raising the major changes the group's family, which replaces the group: auto-named and
    not delete-before-replace, it is created before the instance moves to it; the instance
    names it by its output, and may take the major step."""
    recording, _ = built
    group = recording.one(PARAMETER_GROUP)
    assert "name" not in group.inputs
    assert "namePrefix" not in group.inputs
    assert not group.delete_before_replace
    instance = recording.one(INSTANCE)
    assert instance.inputs["parameterGroupName"] == group.outputs["name"]
    assert group.urn in instance.dependencies
    assert instance.inputs["allowMajorVersionUpgrade"] is True
    held, _ = build(allow_major_version_upgrade=False)
    assert held.one(INSTANCE).inputs["allowMajorVersionUpgrade"] is False


def test_instance_changes_wait_for_the_maintenance_window_unless_asked(built):
    recording, _ = built
    assert recording.one(INSTANCE).inputs.get("applyImmediately", False) is False
    now, _ = build(apply_immediately=True)
    assert now.one(INSTANCE).inputs["applyImmediately"] is True


def test_development_can_be_single_az_and_unprotected():
    recording, _ = build(protect=False, multi_az=False, backup_retention_days=1)
    instance = recording.one(INSTANCE)
    assert instance.inputs["multiAz"] is False
    assert instance.inputs["deletionProtection"] is False
    assert instance.inputs["skipFinalSnapshot"] is False  # a final snapshot all the same
    assert not instance.protect


def test_each_exported_log_has_its_group_first_with_retention(built):
    recording, _ = built
    groups = recording.of_type("aws:cloudwatch/logGroup:LogGroup")
    identifier = drawn_identifier(recording)
    assert sorted(g.inputs["name"] for g in groups) == [
        f"/aws/rds/instance/{identifier}/postgresql",
        f"/aws/rds/instance/{identifier}/upgrade",
    ]
    assert {g.inputs["retentionInDays"] for g in groups} == {30}
    instance = recording.one(INSTANCE)
    assert instance.inputs["identifier"] == identifier
    assert {g.urn for g in groups} <= set(instance.dependencies)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"subnet_ids": ["subnet-a"]}, "two AZs"),
        ({"database_user": "postgres"}, "administrator"),
        ({"database_user": "rds_admin"}, "administrator"),
        ({"instance_class": "db.r5.large"}, "db.t4g.micro"),
        ({"allocated_storage_gib": 10}, "gp3"),
        ({"backup_retention_days": 0}, "1..35"),
        ({"engine_major_version": "18.6"}, "not a PostgreSQL major"),
    ],
)
def test_bad_args_say_what_to_change(change, message):
    args = {"vpc_id": "vpc-1", "subnet_ids": SUBNETS, **change}
    with pytest.raises(ValueError, match=message):
        RdsPostgresArgs(**args)
