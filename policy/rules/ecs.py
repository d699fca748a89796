"""ECS rules: services, clusters and the containers of task definitions (FSBP ECS.*)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from policy.aws_types import ECS_CLUSTER, ECS_SERVICE, TASK_DEFINITION
from policy.model import Enforcement, Resource, resource_rule, stack_rule
from policy.readers import as_list, containers, of_type, refers_to

MANDATORY, ADVISORY = Enforcement.MANDATORY, Enforcement.ADVISORY


@resource_rule("ECS.2", "ECS services do not assign public IPs", MANDATORY, [ECS_SERVICE])
def check_ecs_2_no_public_ip(_type: str, props: Mapping[str, Any]) -> list[str]:
    network = props.get("networkConfiguration") or {}
    if network.get("assignPublicIp") in (True, "true", "ENABLED"):
        return ["the service gives its tasks public IP addresses (assignPublicIp: true)"]
    return []


@resource_rule("ECS.4", "ECS containers run unprivileged", MANDATORY, [TASK_DEFINITION])
def check_ecs_4_not_privileged(_type: str, props: Mapping[str, Any]) -> list[str]:
    return [
        f"container {c.get('name')!r} runs privileged"
        for c in containers(props)
        if c.get("privileged") is True
    ]


# Advisory: ECS Exec and the images' entrypoints need writable paths.
@resource_rule(
    "ECS.5", "ECS containers have read-only root file systems", ADVISORY, [TASK_DEFINITION]
)
def check_ecs_5_read_only_root(_type: str, props: Mapping[str, Any]) -> list[str]:
    return [
        f"container {c.get('name')!r} has a writable root file system"
        for c in containers(props)
        if c.get("readonlyRootFilesystem") is not True
    ]


# Exact names FSBP ECS.8 looks for, then the name and value shapes this project also refuses.
# https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-8
ECS8_NAMES = frozenset({"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"})
SECRET_NAME = re.compile(
    r"(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)", re.IGNORECASE
)
SECRET_VALUES = (
    (re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@"), "a URL with a password in it"),
    (re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"), "an AWS access key id"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), "a private key"),
)


def _is_reference(value: str) -> bool:
    """A value that names where a secret lives (an ARN), not the secret itself."""
    return value == "" or value.startswith("arn:")


@resource_rule(
    "ECS.8",
    "no secrets (or secret-looking values) in container environment",
    MANDATORY,
    [TASK_DEFINITION],
)
def check_ecs_8_no_secrets_in_environment(_type: str, props: Mapping[str, Any]) -> list[str]:
    messages = []
    for container in containers(props):
        for variable in as_list(container.get("environment")):
            name = str(variable.get("name", ""))
            value = str(variable.get("value", ""))
            where = f"container {container.get('name')!r} environment {name}"
            if name in ECS8_NAMES:
                messages.append(f"{where}: AWS credentials belong to the task role, not env vars")
            elif SECRET_NAME.search(name) and not _is_reference(value):
                messages.append(f"{where}: secret-looking name; pass it in `secrets` instead")
            else:
                messages.extend(
                    f"{where}: the value looks like {what}; pass it in `secrets` instead"
                    for pattern, what in SECRET_VALUES
                    if pattern.search(value)
                )
    return messages


@resource_rule("ECS.9", "every container has a log configuration", MANDATORY, [TASK_DEFINITION])
def check_ecs_9_logging(_type: str, props: Mapping[str, Any]) -> list[str]:
    return [
        f"container {c.get('name')!r} has no logConfiguration"
        for c in containers(props)
        if not (c.get("logConfiguration") or {}).get("logDriver")
    ]


# Advisory: Container Insights is a paid extra.
@resource_rule("ECS.12", "ECS clusters use Container Insights", ADVISORY, [ECS_CLUSTER])
def check_ecs_12_container_insights(_type: str, props: Mapping[str, Any]) -> list[str]:
    for setting in as_list(props.get("settings")):
        if setting.get("name") == "containerInsights" and setting.get("value") in (
            "enabled",
            "enhanced",
        ):
            return []
    return ["the cluster does not turn on Container Insights"]


@resource_rule(
    "ECS.18", "EFS volumes of task definitions encrypt in transit", MANDATORY, [TASK_DEFINITION]
)
def check_ecs_18_efs_in_transit(_type: str, props: Mapping[str, Any]) -> list[str]:
    messages = []
    for volume in as_list(props.get("volumes")):
        efs = volume.get("efsVolumeConfiguration")
        if efs and str(efs.get("transitEncryption", "")).upper() != "ENABLED":
            messages.append(f"EFS volume {volume.get('name')!r} does not encrypt in transit")
    return messages


_ROOT_USERS = re.compile(r"^(root|0)(:.*)?$")


def _is_linux(props: Mapping[str, Any]) -> bool:
    family = str((props.get("runtimePlatform") or {}).get("operatingSystemFamily") or "LINUX")
    return not family.upper().startswith("WINDOWS")


@resource_rule("ECS.20", "Linux containers run as a non-root user", MANDATORY, [TASK_DEFINITION])
def check_ecs_20_non_root_user(_type: str, props: Mapping[str, Any]) -> list[str]:
    if not _is_linux(props):
        return []
    messages = []
    for container in containers(props):
        user = str(container.get("user") or "")
        if not user:
            messages.append(f"container {container.get('name')!r} sets no `user` (runs as root)")
        elif _ROOT_USERS.match(user):
            messages.append(f"container {container.get('name')!r} runs as {user!r}")
    return messages


def _logs_exec_sessions(cluster: Resource) -> bool:
    exec_config = (cluster.props.get("configuration") or {}).get("executeCommandConfiguration")
    exec_config = exec_config or {}
    where = exec_config.get("logConfiguration") or {}
    return exec_config.get("logging") == "OVERRIDE" and bool(
        where.get("cloudWatchLogGroupName") or where.get("s3BucketName")
    )


@stack_rule(
    "DJTW.ECS-EXEC-LOGGING",
    "a cluster whose services allow ECS Exec logs every session",
    MANDATORY,
    reads=[ECS_SERVICE, ECS_CLUSTER],
)
def check_exec_sessions_logged(
    resources: Sequence[Resource],
) -> list[tuple[Resource | None, str]]:
    clusters = of_type(resources, ECS_CLUSTER)
    findings: list[tuple[Resource | None, str]] = []
    for service in of_type(resources, ECS_SERVICE):
        if service.props.get("enableExecuteCommand") is not True:
            continue
        mine = [c for c in clusters if refers_to(service.props.get("cluster"), c)]
        if not mine or not all(_logs_exec_sessions(c) for c in mine):
            findings.append(
                (
                    service,
                    "the service allows ECS Exec but its cluster does not log the sessions "
                    "(executeCommandConfiguration: logging OVERRIDE with a log group or bucket)",
                )
            )
    return findings
