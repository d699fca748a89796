"""A passing and a failing stack for each EFS rule (rule id -> (passing, failing))."""

from __future__ import annotations

from policy.aws_types import EFS_ACCESS_POINT, EFS_BACKUP_POLICY, EFS_FILE_SYSTEM
from policy.model import Resource

from ..builders import MOUNT_TARGETS, PRIVATE_SUBNET, PUBLIC_SUBNET, res

FILE_SYSTEM = res(EFS_FILE_SYSTEM, "pgdata", id="fs-1", encrypted=True)
ACCESS_POINT = {
    "fileSystemId": "fs-1",
    "rootDirectory": {"path": "/postgres"},
    "posixUser": {"uid": 999, "gid": 999},
}


def efs_backup_policy(status: str) -> Resource:
    return res(
        EFS_BACKUP_POLICY,
        "pgdata-backup",
        fileSystemId="fs-1",
        backupPolicy={"status": status},
    )


FIXTURES: dict[str, tuple[list[Resource], list[Resource]]] = {
    "EFS.1": ([FILE_SYSTEM], [res(EFS_FILE_SYSTEM, "pgdata", id="fs-1", encrypted=False)]),
    "EFS.2": (
        [FILE_SYSTEM, efs_backup_policy("ENABLED")],
        [FILE_SYSTEM, efs_backup_policy("DISABLED")],
    ),
    "EFS.3": (
        [res(EFS_ACCESS_POINT, "ap", **ACCESS_POINT)],
        [res(EFS_ACCESS_POINT, "ap", **(ACCESS_POINT | {"rootDirectory": {"path": "/"}}))],
    ),
    "EFS.4": (
        [res(EFS_ACCESS_POINT, "ap", **ACCESS_POINT)],
        [res(EFS_ACCESS_POINT, "ap", fileSystemId="fs-1", rootDirectory={"path": "/postgres"})],
    ),
    "EFS.6": ([PRIVATE_SUBNET, *MOUNT_TARGETS], [PUBLIC_SUBNET, *MOUNT_TARGETS]),
}
