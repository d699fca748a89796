"""What EfsPostgres declares, as plain values: the container, volume, access point and
the policy statements."""

import pytest

from components.fargate.types import MAX_HEALTH_START_PERIOD, MAX_STOP_TIMEOUT
from components.postgres.container_env import WalArchive
from components.postgres.task_parts import (
    DATA_MOUNT,
    HEALTH_COMMAND,
    PGDATA,
    POSTGRES_UID,
    access_point_posix_user,
    access_point_root,
    data_volume,
    db_container,
    deny_mount_outside_access_point_statement,
    deny_plain_nfs_statement,
    file_system_policy_statements,
    mount_statement,
    task_role_statements,
)

FILE_SYSTEM_ARN = "arn:aws:elasticfilesystem:ap-northeast-1:123456789012:file-system/fs-1"
ACCESS_POINT_ARN = "arn:aws:elasticfilesystem:ap-northeast-1:123456789012:access-point/fsap-1"
ARCHIVE = WalArchive(destination_url="s3://backups/pg", region="ap-northeast-1")


def container(**overrides):
    return db_container(
        **{
            "name": "db",
            "image": "repo/db@sha256:abc",
            "database_name": "tw",
            "app_user": "tw_user",
            "archive": ARCHIVE,
            "superuser_password_arn": "arn:superuser",
            "app_password_arn": "arn:app",
            **overrides,
        }
    )


def test_the_container_runs_as_the_postgres_user_on_the_data_volume():
    db = container()
    assert (db.name, db.image, db.port) == ("db", "repo/db@sha256:abc", 5432)
    assert db.user == "999:999"
    (mount,) = db.mounts
    assert (mount.volume, mount.path) == (data_volume("fs", "ap").name, DATA_MOUNT)
    assert PGDATA.startswith(DATA_MOUNT + "/")  # initdb needs a directory of its own
    assert db.environment["PGDATA"] == PGDATA


def test_the_container_gets_both_passwords_as_secrets_never_as_environment():
    db = container()
    assert dict(db.secrets) == {
        "POSTGRES_PASSWORD": "arn:superuser",
        "POSTGRES_APP_PASSWORD": "arn:app",
    }
    assert not any("PASSWORD" in name for name in db.environment)


def test_the_container_environment_names_the_database_role_and_archive():
    environment = container().environment
    assert environment["POSTGRES_DB"] == "tw"
    assert environment["POSTGRES_APP_USER"] == "tw_user"
    assert environment["BACKUP_DESTINATION_URL"] == "s3://backups/pg"
    assert environment["AWS_DEFAULT_REGION"] == "ap-northeast-1"


def test_the_container_is_checked_over_tcp_with_the_longest_start_and_stop():
    db = container()
    assert tuple(db.health_check.command) == HEALTH_COMMAND
    assert "pg_isready -h 127.0.0.1" in HEALTH_COMMAND[1]
    assert db.health_check.start_period == MAX_HEALTH_START_PERIOD
    assert db.stop_timeout == MAX_STOP_TIMEOUT
    assert db.stateful


def test_the_volume_is_the_file_system_through_its_access_point():
    volume = data_volume("fs-1", "fsap-1")
    assert volume.efs is not None
    assert (volume.efs.file_system_id, volume.efs.access_point_id) == ("fs-1", "fsap-1")


def test_the_access_point_creates_a_private_root_owned_by_postgres():
    user = access_point_posix_user()
    assert (user.uid, user.gid) == (POSTGRES_UID, POSTGRES_UID) == (999, 999)
    root = access_point_root()
    assert root.path == "/postgres"
    info = root.creation_info
    assert (info.owner_uid, info.owner_gid, info.permissions) == (999, 999, "0700")


def test_the_file_system_refuses_every_client_without_tls():
    statement = deny_plain_nfs_statement(FILE_SYSTEM_ARN)
    assert statement["Effect"] == "Deny"
    assert statement["Principal"] == {"AWS": "*"}
    assert statement["Action"] == "*"
    assert statement["Resource"] == FILE_SYSTEM_ARN
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_no_nfs_client_gets_past_the_file_system_policy_without_the_access_point():
    statement = deny_mount_outside_access_point_statement(FILE_SYSTEM_ARN, ACCESS_POINT_ARN)
    assert (statement["Effect"], statement["Principal"]) == ("Deny", {"AWS": "*"})
    # NFS client actions only: AWS Backup uses elasticfilesystem:Backup/Restore, never these.
    assert statement["Action"] == [
        "elasticfilesystem:ClientMount",
        "elasticfilesystem:ClientWrite",
        "elasticfilesystem:ClientRootAccess",
    ]
    assert not any("Backup" in a or "Restore" in a for a in statement["Action"])
    assert statement["Condition"] == {
        "StringNotEquals": {"elasticfilesystem:AccessPointArn": ACCESS_POINT_ARN}
    }


def test_the_file_system_policy_keeps_tls_only_and_adds_the_access_point_guard():
    statements = file_system_policy_statements(FILE_SYSTEM_ARN, ACCESS_POINT_ARN)
    assert [s["Sid"] for s in statements] == [
        "DenyUnencryptedTransport",
        "DenyMountOutsidePostgresAccessPoint",
    ]


def test_the_task_may_mount_and_write_only_through_the_access_point():
    statement = mount_statement(FILE_SYSTEM_ARN, ACCESS_POINT_ARN)
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == [
        "elasticfilesystem:ClientMount",
        "elasticfilesystem:ClientWrite",
    ]
    assert statement["Resource"] == FILE_SYSTEM_ARN
    assert statement["Condition"] == {
        "StringEquals": {"elasticfilesystem:AccessPointArn": ACCESS_POINT_ARN}
    }


def test_task_role_statements_are_the_mount_then_copies_of_the_archives():
    archive_statement = {"Sid": "Archive", "Effect": "Allow", "Action": ["s3:PutObject"]}
    mount, archive = task_role_statements(FILE_SYSTEM_ARN, ACCESS_POINT_ARN, [archive_statement])
    assert mount == mount_statement(FILE_SYSTEM_ARN, ACCESS_POINT_ARN)
    assert archive == archive_statement
    assert archive is not archive_statement


@pytest.mark.parametrize("statements", [(), []])
def test_without_archive_statements_only_the_mount_remains(statements):
    (only,) = task_role_statements(FILE_SYSTEM_ARN, ACCESS_POINT_ARN, statements)
    assert only["Sid"] == "MountPostgresData"
