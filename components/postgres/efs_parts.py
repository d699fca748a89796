"""The groups of resources EfsPostgres declares: the encrypted file system with a mount target
per task subnet, the access point the db container mounts and the file system's policy; and
the superuser's password. What the file system and the access point are given is computed by
:func:`file_system_inputs` and :func:`access_point_inputs`; the POSIX identity and the policy's
statements come from :mod:`components.postgres.task_parts`."""

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from components._shared.iam import policy_document
from components.postgres.app_access import PASSWORD_LENGTH
from components.postgres.task_parts import (
    access_point_posix_user,
    access_point_root,
    file_system_policy_statements,
)
from components.storage.generated_secret import GeneratedSecret, GeneratedSecretArgs


def file_system_inputs(name: str, throughput_mode: str) -> dict[str, Any]:
    """Encrypted at rest, general purpose (the latency a database wants), of the asked
    throughput mode."""
    return {
        "encrypted": True,
        "performance_mode": "generalPurpose",
        "throughput_mode": throughput_mode,
        "tags": {"Name": f"{name}-data"},
    }


def access_point_inputs(name: str, file_system_id: pulumi.Input[str]) -> dict[str, Any]:
    """The db container's entry into the file system: its user and its data directory."""
    return {
        "file_system_id": file_system_id,
        "posix_user": access_point_posix_user(),
        "root_directory": access_point_root(),
        "tags": {"Name": f"{name}-postgres"},
    }


def declare_file_system(
    name: str,
    subnet_ids: Sequence[pulumi.Input[str]],
    mount_group: aws.ec2.SecurityGroup,
    throughput_mode: str,
    opts: pulumi.ResourceOptions,
    keep: pulumi.ResourceOptions,
) -> tuple[aws.efs.FileSystem, aws.efs.AccessPoint]:
    """The file system (kept with ``keep``), a mount target in each subnet behind
    ``mount_group``, the access point, and a policy that lets clients in through it only."""
    file_system = aws.efs.FileSystem(
        f"{name}-efs", **file_system_inputs(name, throughput_mode), opts=keep
    )
    for index, subnet_id in enumerate(subnet_ids):
        aws.efs.MountTarget(
            f"{name}-mount-{index}",
            file_system_id=file_system.id,
            subnet_id=subnet_id,
            security_groups=[mount_group.id],
            opts=opts,
        )
    access_point = aws.efs.AccessPoint(
        f"{name}-access-point", **access_point_inputs(name, file_system.id), opts=opts
    )
    aws.efs.FileSystemPolicy(
        f"{name}-efs-policy",
        file_system_id=file_system.id,
        policy=policy_document(*file_system_policy_statements(file_system.arn, access_point.arn)),
        opts=opts,
    )
    return file_system, access_point


def declare_superuser_password(name: str, opts: pulumi.ResourceOptions) -> GeneratedSecret:
    """The Postgres superuser's generated password (for the db container only)."""
    return GeneratedSecret(
        f"{name}-password",
        GeneratedSecretArgs(
            description=f"{name}: Postgres superuser password", length=PASSWORD_LENGTH
        ),
        opts=opts,
    )
