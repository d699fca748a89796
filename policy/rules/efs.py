"""EFS rules: file systems, their backups, access points and mount targets (FSBP EFS.*)."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from typing import Any

from policy.aws_types import (
    BACKUP_PLAN,
    BACKUP_SELECTION,
    EFS_ACCESS_POINT,
    EFS_BACKUP_POLICY,
    EFS_FILE_SYSTEM,
    EFS_MOUNT_TARGET,
    SUBNET,
)
from policy.model import Enforcement, Resource, resource_rule, stack_rule
from policy.readers import as_list, of_type, refers_to

MANDATORY = Enforcement.MANDATORY


@resource_rule("EFS.1", "EFS file systems are encrypted at rest", MANDATORY, [EFS_FILE_SYSTEM])
def check_efs_1_encrypted(_type: str, props: Mapping[str, Any]) -> list[str]:
    if props.get("encrypted") is not True:
        return ["the file system is not encrypted at rest (encrypted: true)"]
    return []


def _in_backup_plan(file_system: Resource, resources: Sequence[Resource]) -> bool:
    """An AWS Backup selection of a plan in this stack names the file system (ARN or pattern)."""
    plans = of_type(resources, BACKUP_PLAN)
    arn = str(file_system.props.get("arn", ""))
    for selection in of_type(resources, BACKUP_SELECTION):
        if not any(refers_to(selection.props.get("planId"), plan) for plan in plans):
            continue
        if any(
            arn and fnmatch.fnmatchcase(arn, str(p))
            for p in as_list(selection.props.get("resources"))
        ):
            return True
    return False


@stack_rule(
    "EFS.2",
    "EFS file systems are in a backup plan",
    MANDATORY,
    reads=[EFS_FILE_SYSTEM, EFS_BACKUP_POLICY, BACKUP_SELECTION],
)
def check_efs_2_backups(resources: Sequence[Resource]) -> list[tuple[Resource | None, str]]:
    """FSBP EFS.2 asks that the file system is in an AWS Backup plan: either the file system's own
    automatic backups (backup policy ENABLED, which uses AWS Backup's default plan) or a backup
    selection of a plan that names it."""
    policies = of_type(resources, EFS_BACKUP_POLICY)
    findings: list[tuple[Resource | None, str]] = []
    for file_system in of_type(resources, EFS_FILE_SYSTEM):
        automatic = any(
            refers_to(p.props.get("fileSystemId"), file_system)
            and str((p.props.get("backupPolicy") or {}).get("status", "")).upper() == "ENABLED"
            for p in policies
        )
        if not automatic and not _in_backup_plan(file_system, resources):
            findings.append(
                (file_system, "in no AWS Backup plan (no selection names it, no backup policy)")
            )
    return findings


@resource_rule("EFS.3", "EFS access points enforce a root directory", MANDATORY, [EFS_ACCESS_POINT])
def check_efs_3_root_directory(_type: str, props: Mapping[str, Any]) -> list[str]:
    path = str((props.get("rootDirectory") or {}).get("path") or "/")
    if path == "/":
        return ["the access point does not enforce a root directory below /"]
    return []


@resource_rule("EFS.4", "EFS access points enforce a user identity", MANDATORY, [EFS_ACCESS_POINT])
def check_efs_4_posix_user(_type: str, props: Mapping[str, Any]) -> list[str]:
    user = props.get("posixUser") or {}
    if user.get("uid") is None or user.get("gid") is None:
        return ["the access point does not enforce a POSIX user (posixUser uid/gid)"]
    return []


@stack_rule(
    "EFS.6",
    "EFS mount targets are in subnets without public IPs",
    MANDATORY,
    reads=[EFS_MOUNT_TARGET, SUBNET],
)
def check_efs_6_private_mount_targets(
    resources: Sequence[Resource],
) -> list[tuple[Resource | None, str]]:
    subnets = of_type(resources, SUBNET)
    findings: list[tuple[Resource | None, str]] = []
    for target in of_type(resources, EFS_MOUNT_TARGET):
        subnet_id = target.props.get("subnetId")
        subnet = next((s for s in subnets if refers_to(subnet_id, s)), None)
        if subnet is None:
            findings.append((target, f"subnet {subnet_id!r} is not a subnet of this stack"))
        elif subnet.props.get("mapPublicIpOnLaunch") is True:
            findings.append((target, f"subnet {subnet.name} assigns public IPs on launch"))
    return findings
