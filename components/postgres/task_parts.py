"""What EfsPostgres declares, as pure values: the db container, its volume, the access
point, the file system's policy and the task role's statements.

:mod:`components.postgres.efs` only declares resources from these; each is unit-tested
here without Pulumi resources. ARNs and ids may be Outputs: the values pass them through untouched.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from components.fargate.memory import MemoryNeed
from components.fargate.types import (
    MAX_HEALTH_START_PERIOD,
    MAX_STOP_TIMEOUT,
    ContainerSpec,
    EfsVolume,
    HealthCheck,
    Mount,
    Volume,
)
from components.postgres.container_env import (
    APP_PASSWORD,
    POSTGRES_PORT,
    SUPERUSER_PASSWORD,
    WalArchive,
    db_environment,
)

# The Debian-based postgres images run the server as uid/gid 999.
POSTGRES_UID = 999
DATA_VOLUME = "pgdata"
DATA_MOUNT = "/var/lib/postgresql/data"
# PGDATA sits in a subdirectory of the mount: initdb refuses a non-empty directory, and the
# mount root is where the lock file of the entrypoint's guard lives.
PGDATA = f"{DATA_MOUNT}/pgdata"
# The access point's root on the file system: the container sees nothing above it.
ACCESS_POINT_ROOT = "/postgres"
# Over TCP, not the unix socket: the socket answers "ready" during initdb's temporary
# server (docker-library/postgres#880). psql would go interactive; pg_isready just answers.
HEALTH_COMMAND = (
    "CMD-SHELL",
    'pg_isready -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" || exit 1',
)
# ECS's maximum start period (300 s), and the checks' 5 x 10 s retries come on top. A first
# start runs initdb, a temporary server and the role setup on EFS; a start after SIGKILL
# replays WAL from the last checkpoint over NFS. Either can take minutes, and a db container
# marked UNHEALTHY meanwhile makes ECS kill the task and start the same work again.
DB_START_PERIOD = MAX_HEALTH_START_PERIOD
# An equal share with web of what the task's small containers leave (stack/containers.py):
# shared_buffers (128 MiB by default) and a few backends fit in the least of it, 224 MiB in a
# 512 MiB task.
DB_MEMORY = MemoryNeed(reservation=160, share=1)
# NFS, the only port between the task and the file system's mount targets.
NFS_PORT = 2049
# What the task may do on the file system, and only through the access point.
EFS_CLIENT_ACTIONS = ("elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite")


def db_container(
    *,
    name: str,
    image: pulumi.Input[str],
    database_name: str,
    app_user: str,
    archive: WalArchive,
    superuser_password_arn: pulumi.Input[str],
    app_password_arn: pulumi.Input[str],
) -> ContainerSpec:
    """The Postgres container: runs as 999:999 on the data volume, checked over TCP, given
    Fargate's longest stop timeout, its two passwords as secrets."""
    return ContainerSpec(
        name=name,
        image=image,
        port=POSTGRES_PORT,
        environment=db_environment(
            database_name=database_name, app_user=app_user, pgdata=PGDATA, archive=archive
        ),
        secrets={SUPERUSER_PASSWORD: superuser_password_arn, APP_PASSWORD: app_password_arn},
        health_check=HealthCheck(command=HEALTH_COMMAND, start_period=DB_START_PERIOD),
        mounts=[Mount(DATA_VOLUME, DATA_MOUNT)],
        # Fargate's maximum: Postgres gets every second it can to checkpoint and stop.
        stop_timeout=MAX_STOP_TIMEOUT,
        stateful=True,
        user=f"{POSTGRES_UID}:{POSTGRES_UID}",
        memory=DB_MEMORY,
    )


def data_volume(file_system_id: pulumi.Input[str], access_point_id: pulumi.Input[str]) -> Volume:
    """The task volume :func:`db_container` mounts: the file system through its access point."""
    return Volume(
        DATA_VOLUME, efs=EfsVolume(file_system_id=file_system_id, access_point_id=access_point_id)
    )


def access_point_posix_user() -> aws.efs.AccessPointPosixUserArgs:
    """Every file operation through the access point runs as the postgres user."""
    return aws.efs.AccessPointPosixUserArgs(uid=POSTGRES_UID, gid=POSTGRES_UID)


def access_point_root() -> aws.efs.AccessPointRootDirectoryArgs:
    """A root directory EFS creates owned by 999:999, mode 0700: Postgres refuses a data
    directory that others may read."""
    return aws.efs.AccessPointRootDirectoryArgs(
        path=ACCESS_POINT_ROOT,
        creation_info=aws.efs.AccessPointRootDirectoryCreationInfoArgs(
            owner_uid=POSTGRES_UID, owner_gid=POSTGRES_UID, permissions="0700"
        ),
    )


def deny_plain_nfs_statement(file_system_arn: pulumi.Input[str]) -> dict[str, Any]:
    """The file system policy's one statement: refuse any client that does not use TLS (IAM,
    through the task role, grants the mount itself)."""
    return {
        "Sid": "DenyUnencryptedTransport",
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "*",
        "Resource": file_system_arn,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


# What an NFS client does; AWS Backup copies and restores through the EFS API instead
# (elasticfilesystem:Backup / Restore in its managed service-role policies), never as a client.
NFS_CLIENT_ACTIONS = (*EFS_CLIENT_ACTIONS, "elasticfilesystem:ClientRootAccess")


def deny_mount_outside_access_point_statement(
    file_system_arn: pulumi.Input[str], access_point_arn: pulumi.Input[str]
) -> dict[str, Any]:
    """Refuse every NFS client (any principal, IAM or anonymous) that does not come through
    the Postgres access point, which pins uid/gid 999 and the /postgres root: nobody mounts
    the file system's root, as root or otherwise. A missing key (a mount without an access
    point) matches StringNotEquals, so it is refused too. AWS Backup is not an NFS client and
    is not affected."""
    return {
        "Sid": "DenyMountOutsidePostgresAccessPoint",
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": list(NFS_CLIENT_ACTIONS),
        "Resource": file_system_arn,
        "Condition": {"StringNotEquals": {"elasticfilesystem:AccessPointArn": access_point_arn}},
    }


def file_system_policy_statements(
    file_system_arn: pulumi.Input[str], access_point_arn: pulumi.Input[str]
) -> list[dict[str, Any]]:
    """The file system policy: TLS only, and only through the access point."""
    return [
        deny_plain_nfs_statement(file_system_arn),
        deny_mount_outside_access_point_statement(file_system_arn, access_point_arn),
    ]


def mount_statement(
    file_system_arn: pulumi.Input[str], access_point_arn: pulumi.Input[str]
) -> dict[str, Any]:
    """The task may mount and write the file system, only through the access point."""
    return {
        "Sid": "MountPostgresData",
        "Effect": "Allow",
        "Action": list(EFS_CLIENT_ACTIONS),
        "Resource": file_system_arn,
        "Condition": {"StringEquals": {"elasticfilesystem:AccessPointArn": access_point_arn}},
    }


def task_role_statements(
    file_system_arn: pulumi.Input[str],
    access_point_arn: pulumi.Input[str],
    archive_statements: Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """What the task role needs for the database: the mount, then the archive's own (its
    bucket prefix), copied so the caller's statements are never shared."""
    return [
        mount_statement(file_system_arn, access_point_arn),
        *(dict(statement) for statement in archive_statements),
    ]
