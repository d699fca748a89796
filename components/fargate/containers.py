"""What a FargateService's task definition says: its container definitions, its volumes and the
log group each container writes to.

Pure functions of the specs: they declare nothing, so each is tested with plain values. Values
may be Outputs (an image digest, a log group's name); ``pulumi.Output.json_dumps`` waits for them
when the constructor turns the definitions into the task definition's JSON.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from components.fargate.memory import ContainerMemory, memory_split
from components.fargate.types import ContainerSpec, SecretKey, SecretRef, Volume


def value_from(secret: SecretRef) -> pulumi.Input[str]:
    """A secret's ``valueFrom``: its ARN, or for one key of a JSON secret ``<arn>:<key>::``
    (the ECS guide's form ``arn:...:secret:name:json-key:version-stage:version-id``, the last
    two empty for the current version).
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
    """
    if not isinstance(secret, SecretKey):
        return secret
    suffix = f":{secret.key}::"
    if isinstance(secret.secret_arn, str):
        return secret.secret_arn + suffix
    return pulumi.Output.concat(secret.secret_arn, suffix)


def log_group_name(task_name: str, container_name: str) -> str:
    """One log group per container, grouped under the task: ``/ecs/<task>/<container>``."""
    return f"/ecs/{task_name}/{container_name}"


def container_definition(
    container: ContainerSpec,
    log_group: pulumi.Input[str],
    region: str,
    memory: ContainerMemory | None = None,
) -> dict[str, Any]:
    """The ECS container definition of one spec, logging to ``log_group`` through awslogs,
    limited to ``memory`` (None: no container limit).

    Environment and secrets are sorted by name so the JSON, and so the task definition, does
    not change when only the order of a mapping does.
    """
    definition: dict[str, Any] = {
        "name": container.name,
        "image": container.image,
        "essential": container.essential,
        "environment": [
            {"name": key, "value": container.environment[key]}
            for key in sorted(container.environment)
        ],
        "secrets": [
            {"name": key, "valueFrom": value_from(container.secrets[key])}
            for key in sorted(container.secrets)
        ],
        "portMappings": (
            [{"containerPort": container.port, "protocol": "tcp", "name": container.name}]
            if container.port is not None
            else []
        ),
        "mountPoints": [
            {"sourceVolume": m.volume, "containerPath": m.path, "readOnly": m.read_only}
            for m in container.mounts
        ],
        "dependsOn": [
            {"containerName": target, "condition": condition}
            for target, condition in container.depends_on.items()
        ],
        "linuxParameters": {"initProcessEnabled": container.init_process_enabled},
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": log_group,
                "awslogs-region": region,
                "awslogs-stream-prefix": container.name,
            },
        },
    }
    # Absent, not null: ECS then applies its own defaults (no check, 30 s, the image's USER).
    if container.health_check is not None:
        definition["healthCheck"] = container.health_check.to_ecs()
    if container.command is not None:
        definition["command"] = list(container.command)
    if container.stop_timeout is not None:
        definition["stopTimeout"] = container.stop_timeout
    if container.user is not None:
        definition["user"] = container.user
    # The provider decodes the JSON into the SDK's ContainerDefinition (Memory,
    # MemoryReservation) and compares definitions without defaulting either
    # (terraform-provider-aws internal/service/ecs/container_definitions.go:
    # expandContainerDefinitions, containerDefinitionsAreEquivalent): a changed limit is a new
    # revision.
    if memory is not None:
        definition |= memory.to_ecs()
    return definition


def container_definitions(
    containers: Sequence[ContainerSpec],
    log_groups: Mapping[str, pulumi.Input[str]],
    region: str,
    task_memory: int | None = None,
) -> list[dict[str, Any]]:
    """Every container's definition, in declaration order; ``log_groups`` maps each container's
    name to the name of its log group. With ``task_memory`` (MiB), each container gets its part
    of it by its ``memory`` need (``container_memory.memory_split``)."""
    missing = [c.name for c in containers if c.name not in log_groups]
    if missing:
        raise ValueError(f"no log group given for container(s) {', '.join(missing)}")
    split = (
        memory_split(task_memory, {c.name: c.memory for c in containers})
        if task_memory is not None
        else {}
    )
    return [
        container_definition(c, log_groups[c.name], region, split.get(c.name)) for c in containers
    ]


def task_volume(volume: Volume) -> aws.ecs.TaskDefinitionVolumeArgs:
    """A task-local volume, or EFS through its access point, encrypted in transit and
    authorized by the task role (IAM), so the file system policy can name the role."""
    if volume.efs is None:
        return aws.ecs.TaskDefinitionVolumeArgs(name=volume.name)
    return aws.ecs.TaskDefinitionVolumeArgs(
        name=volume.name,
        efs_volume_configuration=aws.ecs.TaskDefinitionVolumeEfsVolumeConfigurationArgs(
            file_system_id=volume.efs.file_system_id,
            transit_encryption="ENABLED",
            authorization_config=aws.ecs.TaskDefinitionVolumeEfsVolumeConfigurationAuthorizationConfigArgs(
                access_point_id=volume.efs.access_point_id, iam="ENABLED"
            ),
        ),
    )


def task_volumes(volumes: Sequence[Volume]) -> list[aws.ecs.TaskDefinitionVolumeArgs]:
    return [task_volume(volume) for volume in volumes]
