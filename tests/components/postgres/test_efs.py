"""EfsPostgres on its own: EFS, access point, backups, the db container, the URL."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pulumi
import pytest

from components.fargate.types import MAX_HEALTH_START_PERIOD
from components.postgres.container_env import WalArchive
from components.postgres.efs import (
    EfsPostgres,
    EfsPostgresArgs,
    PostgresDatabase,
)
from components.postgres.task_parts import HEALTH_COMMAND, PGDATA
from tests.stack_runs import EGRESS_RULE, INGRESS_RULE, run_component

SUBNETS = ["subnet-a", "subnet-c"]
ARCHIVE_STATEMENT = {
    "Sid": "ArchiveHere",
    "Effect": "Allow",
    "Action": ["s3:PutObject"],
    "Resource": "arn:aws:s3:::backups/pg/*",
}
ARCHIVE = WalArchive(
    destination_url="s3://backups/pg",
    region="ap-northeast-1",
    task_role_statements=[ARCHIVE_STATEMENT],
    retention_days=9,
    base_backup_time="04:30",
    archive_timeout_seconds=120,
)
SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion"


def build(**kwargs):
    holder: dict[str, EfsPostgres] = {}

    def program() -> None:
        database = EfsPostgres(
            "pg",
            EfsPostgresArgs(
                vpc_id="vpc-1",
                subnet_ids=SUBNETS,
                image="repo/db@sha256:abc",
                database_name="tw",
                database_user="tw_user",
                wal_archive=ARCHIVE,
                **kwargs,
            ),
        )
        holder["database"] = database
        pulumi.export("database_url", database.database_url)
        pulumi.export("database_url_is_secret", pulumi.Output.is_secret(database.database_url))
        pulumi.export("task_role_statements", database.task_role_statements)
        pulumi.export("superuser_password_arn", database.superuser_password_secret_arn)
        pulumi.export("app_password_arn", database.app_password_secret_arn)
        pulumi.export("db_secrets", dict(database.containers[0].secrets))

    recording = run_component(program)
    return recording, holder["database"]


def test_file_system_is_encrypted_and_refuses_plain_nfs_and_mounts_past_the_access_point():
    recording, _ = build()
    file_system = recording.one("aws:efs/fileSystem:FileSystem")
    assert file_system.inputs["encrypted"] is True
    policy = json.loads(recording.one("aws:efs/fileSystemPolicy:FileSystemPolicy").inputs["policy"])
    plain_nfs, outside = policy["Statement"]
    assert plain_nfs["Effect"] == "Deny"
    assert plain_nfs["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    access_point = recording.one("aws:efs/accessPoint:AccessPoint")
    assert outside["Effect"] == "Deny"
    assert "elasticfilesystem:ClientMount" in outside["Action"]
    assert outside["Condition"] == {
        "StringNotEquals": {"elasticfilesystem:AccessPointArn": access_point.outputs["arn"]}
    }


def test_one_mount_target_per_task_subnet_behind_the_mount_group():
    recording, _ = build()
    mounts = recording.of_type("aws:efs/mountTarget:MountTarget")
    assert sorted(m.inputs["subnetId"] for m in mounts) == SUBNETS
    mount_group = next(
        g for g in recording.of_type("aws:ec2/securityGroup:SecurityGroup") if "efs" in g.name
    )
    assert all(m.inputs["securityGroups"] == [mount_group.id] for m in mounts)


def test_nfs_is_open_only_from_the_client_group():
    recording, _ = build()
    (ingress,) = recording.of_type(INGRESS_RULE)
    client = recording.one("aws:ec2/securityGroup:SecurityGroup", "pg-client-sg")
    assert ingress.inputs["fromPort"] == ingress.inputs["toPort"] == 2049
    assert ingress.inputs["referencedSecurityGroupId"] == client.id
    assert "cidrIpv4" not in ingress.inputs
    (egress,) = recording.of_type(EGRESS_RULE)
    assert egress.inputs["securityGroupId"] == client.id
    assert egress.inputs["fromPort"] == 2049


def test_access_point_runs_as_postgres_uid_999_in_a_private_root():
    recording, _ = build()
    point = recording.one("aws:efs/accessPoint:AccessPoint").inputs
    assert point["posixUser"] == {"uid": 999, "gid": 999}
    assert point["rootDirectory"]["path"] == "/postgres"
    assert point["rootDirectory"]["creationInfo"] == {
        "ownerUid": 999,
        "ownerGid": 999,
        "permissions": "0700",
    }


def test_file_system_is_in_a_daily_aws_backup_plan():
    recording, _ = build()
    file_system = recording.one("aws:efs/fileSystem:FileSystem")
    selection = recording.one("aws:backup/selection:Selection").inputs
    assert selection["resources"] == [file_system.outputs["arn"]]
    (rule,) = recording.one("aws:backup/plan:Plan").inputs["rules"]
    assert rule["schedule"].startswith("cron(")
    assert rule["lifecycle"]["deleteAfter"] == 35


def test_db_container_spec():
    _, database = build()
    (db,) = database.containers
    assert db.port == 5432
    assert tuple(db.health_check.command) == HEALTH_COMMAND
    assert "pg_isready -h 127.0.0.1" in db.health_check.command[1]
    assert db.health_check.start_period == MAX_HEALTH_START_PERIOD == 300
    assert db.stop_timeout == 120
    assert db.stateful
    assert dict(db.environment) == {
        "POSTGRES_USER": "postgres",
        "POSTGRES_DB": "tw",
        "POSTGRES_APP_USER": "tw_user",
        "POSTGRES_INITDB_ARGS": "--auth-host=scram-sha-256 --auth-local=scram-sha-256",
        "PGDATA": PGDATA,
        "BACKUP_DESTINATION_URL": "s3://backups/pg",
        "BACKUP_SERVER_NAME": "postgres",
        "BACKUP_RETENTION_DAYS": "9",
        "BASE_BACKUP_TIME": "04:30",
        "ARCHIVE_TIMEOUT_SECONDS": "120",
        "AWS_DEFAULT_REGION": "ap-northeast-1",
        "DB_SIGNALS_NAMESPACE": "django-tw/database",
        "DB_SIZE_BUDGET_BYTES": str(20 * 2**30),
    }
    assert set(db.secrets) == {"POSTGRES_PASSWORD", "POSTGRES_APP_PASSWORD"}
    assert PGDATA.startswith(db.mounts[0].path + "/")  # a subdirectory, not the mount itself
    (volume,) = database.volumes
    assert volume.name == db.mounts[0].volume
    assert volume.efs is not None


def test_database_url_is_a_secret_for_the_app_role_at_127_0_0_1():
    recording, _ = build()
    assert recording.outputs["database_url_is_secret"] is True
    url = urlsplit(recording.outputs["database_url"])
    assert (url.hostname, url.port, url.username, url.path) == ("127.0.0.1", 5432, "tw_user", "/tw")
    assert recording.outputs["db_secrets"] == {
        "POSTGRES_PASSWORD": recording.outputs["superuser_password_arn"],
        "POSTGRES_APP_PASSWORD": recording.outputs["app_password_arn"],
    }
    assert recording.outputs["superuser_password_arn"] != recording.outputs["app_password_arn"]


def test_superuser_and_app_role_have_different_generated_passwords():
    recording, _ = build()
    passwords = recording.of_type("random:index/randomPassword:RandomPassword")
    assert len({p.outputs["result"] for p in passwords}) == 2
    url = urlsplit(recording.outputs["database_url"])
    superuser, app = (
        next(p for p in passwords if p.name == f"pg-{kind}-value")
        for kind in ("password", "app-password")
    )
    assert url.password == app.outputs["result"]
    assert url.password != superuser.outputs["result"]
    stored = {v.inputs["secretString"] for v in recording.of_type(SECRET_VERSION)}
    assert recording.outputs["database_url"] in stored


def test_task_role_may_mount_only_through_the_access_point_and_write_the_archive():
    recording, _ = build()
    statement, archive = recording.outputs["task_role_statements"]
    assert archive == ARCHIVE_STATEMENT
    point = recording.one("aws:efs/accessPoint:AccessPoint")
    assert statement["Action"] == ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
    assert (
        statement["Condition"]["StringEquals"]["elasticfilesystem:AccessPointArn"]
        == point.outputs["arn"]
    )


@pytest.mark.parametrize("protect", [True, False])
def test_file_system_and_vault_protection_follows_the_arg(protect):
    recording, _ = build(protect=protect)
    for type_ in ("aws:efs/fileSystem:FileSystem", "aws:backup/vault:Vault"):
        assert recording.one(type_).protect is protect
        assert recording.one(type_).retain_on_delete is protect
    # Unprotected, `pulumi destroy` deletes the daily recovery points, then the vault.
    assert recording.one("aws:backup/vault:Vault").inputs["forceDestroy"] is (not protect)


@pytest.mark.parametrize("mode", ["elastic", "bursting"])
def test_throughput_mode_follows_the_arg(mode):
    recording, _ = build(throughput_mode=mode)
    assert recording.one("aws:efs/fileSystem:FileSystem").inputs["throughputMode"] == mode


def test_throughput_mode_defaults_to_elastic():
    args = EfsPostgresArgs(vpc_id="v", subnet_ids=["s"], image="i", wal_archive=ARCHIVE)
    assert args.throughput_mode == "elastic"


def test_needs_only_the_s3_gateway_for_its_archive_and_fits_the_database_seam():
    _, database = build()
    assert database.required_endpoints == frozenset({"s3"})
    for attribute in (
        "database_url",
        "database_url_secret_arn",
        "containers",
        "volumes",
        "task_role_statements",
        "client_security_group_id",
        "required_endpoints",
    ):
        assert hasattr(database, attribute), attribute
    assert set(PostgresDatabase.__annotations__) <= set(dir(database))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"subnet_ids": []}, r"subnet_ids is empty"),
        ({"throughput_mode": "provisioned"}, r"throughput_mode is 'provisioned'; use elastic or"),
        ({"database_user": "postgres"}, r"database_user is 'postgres', the superuser"),
        ({"backup_retention_days": 0}, r"backup_retention_days must be 1 or more"),
    ],
)
def test_bad_args_say_what_to_change(kwargs, message):
    with pytest.raises(ValueError, match=message):
        EfsPostgresArgs(
            **{"vpc_id": "v", "subnet_ids": ["s"], "image": "i", "wal_archive": ARCHIVE, **kwargs}
        )
