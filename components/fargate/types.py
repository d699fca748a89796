"""What a FargateService is made of: its containers, their health checks and mounts, its volumes,
its load balancer target and its egress rules.

Plain frozen dataclasses that check themselves on construction, so a wrong spec fails with a
message before any resource exists.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi

from components.fargate.memory import SMALL_CONTAINER, MemoryNeed, memory_split

# Fargate's hard limit for stopTimeout.
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html
MAX_STOP_TIMEOUT = 120

# ECS accepts a health check startPeriod of 0 to 300 seconds.
# https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
MAX_HEALTH_START_PERIOD = 300

DEPENDENCY_CONDITIONS = ("START", "COMPLETE", "SUCCESS", "HEALTHY")
# Conditions on a container that exits: ECS refuses them on an essential container.
# https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html
EXIT_CONDITIONS = ("COMPLETE", "SUCCESS")

# Environment names that must never carry a value in plain text: they go in `secrets`.
_SECRET_LOOKING_NAME = re.compile(
    r"(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|ACCESS_KEY|^DATABASE_URL$)", re.IGNORECASE
)


@dataclass(frozen=True)
class HealthCheck:
    """An ECS container health check (run inside the container)."""

    command: Sequence[str]
    """ECS form, e.g. ``["CMD-SHELL", "pg_isready -h 127.0.0.1 || exit 1"]``."""
    interval: int = 10
    timeout: int = 5
    retries: int = 5
    start_period: int = 30
    """Seconds during which failures do not count (first start, migrations)."""

    def __post_init__(self) -> None:
        if not self.command or self.command[0] not in ("CMD", "CMD-SHELL"):
            raise ValueError(
                f"HealthCheck.command {list(self.command)!r} must start with 'CMD' or 'CMD-SHELL'"
            )
        if not 0 <= self.start_period <= MAX_HEALTH_START_PERIOD:
            raise ValueError(
                f"HealthCheck.start_period is {self.start_period}; ECS accepts 0 to "
                f"{MAX_HEALTH_START_PERIOD} seconds"
            )

    def to_ecs(self) -> dict[str, Any]:
        return {
            "command": list(self.command),
            "interval": self.interval,
            "timeout": self.timeout,
            "retries": self.retries,
            "startPeriod": self.start_period,
        }


@dataclass(frozen=True)
class Mount:
    """A task volume mounted into a container."""

    volume: str
    path: str
    read_only: bool = False


@dataclass(frozen=True)
class EfsVolume:
    """An EFS file system mounted through an access point, encrypted in transit, with IAM."""

    file_system_id: pulumi.Input[str]
    access_point_id: pulumi.Input[str]


@dataclass(frozen=True)
class Volume:
    """A task volume: task-local scratch space shared by containers, or EFS."""

    name: str
    efs: EfsVolume | None = None


@dataclass(frozen=True)
class SecretKey:
    """One key of a secret that holds JSON, e.g. ``password`` of the secret RDS keeps a master
    user's credentials in. ECS injects only that key's value: ``valueFrom`` is the secret's ARN
    followed by ``:<key>::`` (no version stage or id: the current version).
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
    """

    secret_arn: pulumi.Input[str]
    """The secret's ARN (what the execution role is allowed to read)."""
    key: str
    """The JSON key whose value the container gets."""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", self.key):
            raise ValueError(
                f"SecretKey.key {self.key!r}: give a JSON key of letters, digits, _ . and -"
            )


SecretRef = pulumi.Input[str] | SecretKey
"""What a container's secret names: a whole secret (its ARN) or one key of a JSON secret."""


@dataclass(frozen=True)
class ContainerSpec:
    """One container of the task."""

    name: str
    image: pulumi.Input[str]
    port: int | None = None
    """Port the container listens on (awsvpc: the same port on the task's IP and localhost)."""
    environment: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Plain, non-secret settings. Secret-looking names are refused: use ``secrets``."""
    secrets: Mapping[str, SecretRef] = field(default_factory=dict)
    """Environment name -> Secrets Manager ARN, or one key of a JSON secret (``SecretKey``, or
    the string ``<arn>:<key>::``); injected at start (``valueFrom``)."""
    command: Sequence[str] | None = None
    """Overrides the image's CMD (None: the image's own)."""
    health_check: HealthCheck | None = None
    depends_on: Mapping[str, str] = field(default_factory=dict)
    """Container name -> condition (``HEALTHY`` needs that container's health check)."""
    mounts: Sequence[Mount] = ()
    stop_timeout: int | None = None
    """Seconds between SIGTERM and SIGKILL (Fargate max 120; None = ECS default 30)."""
    essential: bool = True
    stateful: bool = False
    """Keeps data that two copies would corrupt (e.g. Postgres): the service then runs
    exactly one task and stops the old task before starting the new one."""
    init_process_enabled: bool = True
    """Run an init process (reaps zombies; recommended for ECS Exec)."""
    user: str | None = None
    """``uid:gid`` the container runs as. Say it even when the image's USER matches, so the
    task definition shows no container runs as root (FSBP ECS.20)."""
    memory: MemoryNeed = SMALL_CONTAINER
    """Its part of the task's memory (``container_memory``): a small fixed limit unless said."""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,254}", self.name):
            raise ValueError(f"ContainerSpec.name {self.name!r}: use letters, digits, - and _")
        both = sorted(set(self.environment) & set(self.secrets))
        if both:
            raise ValueError(
                f"container {self.name!r}: {', '.join(both)} is in both environment and "
                "secrets; keep it in secrets only"
            )
        plain = sorted(name for name in self.environment if _SECRET_LOOKING_NAME.search(name))
        if plain:
            raise ValueError(
                f"container {self.name!r}: {', '.join(plain)} looks secret; move it from "
                "environment to secrets (a Secrets Manager ARN), never a plain value"
            )
        for target, condition in self.depends_on.items():
            if condition not in DEPENDENCY_CONDITIONS:
                raise ValueError(
                    f"container {self.name!r}: depends_on[{target!r}] is {condition!r}; use "
                    f"one of {', '.join(DEPENDENCY_CONDITIONS)}"
                )
        if self.user is not None and self.user.split(":")[0] in ("0", "root"):
            raise ValueError(
                f"container {self.name!r}: user {self.user!r} is root; run as the image's "
                "unprivileged uid:gid"
            )
        if self.stop_timeout is not None and not 2 <= self.stop_timeout <= MAX_STOP_TIMEOUT:
            raise ValueError(
                f"container {self.name!r}: stop_timeout {self.stop_timeout} is outside "
                f"2..{MAX_STOP_TIMEOUT} seconds (Fargate's limit)"
            )


@dataclass(frozen=True)
class LoadBalancerTarget:
    """Register one container port of the task in an ALB target group."""

    target_group_arn: pulumi.Input[str]
    container_name: str
    container_port: int
    source_security_group_id: pulumi.Input[str]
    """Only this security group (the load balancer's) may reach the port."""
    load_balancer_arn: pulumi.Input[str] | None = None
    """The load balancer in front of the target group: given, a deployment whose tasks answer
    5xx is rolled back (an ECS deployment alarm on the target group's 5xx count)."""


@dataclass(frozen=True)
class EgressRule:
    """Outbound traffic the task may open: to a CIDR, a security group or a prefix list."""

    port: int
    description: str
    cidr: str | None = None
    security_group_id: pulumi.Input[str] | None = None
    prefix_list_id: pulumi.Input[str] | None = None

    def __post_init__(self) -> None:
        targets = [self.cidr, self.security_group_id, self.prefix_list_id]
        if sum(target is not None for target in targets) != 1:
            raise ValueError(
                f"EgressRule {self.description!r}: give exactly one of cidr, "
                "security_group_id, prefix_list_id"
            )


def check_task_containers(
    containers: Sequence[ContainerSpec], volumes: Sequence[Volume], task_memory: int
) -> None:
    """The containers of one task against each other: names and ports once each, every
    ``depends_on`` a container of the task (with a health check for ``HEALTHY``), every mount a
    declared volume, their memory needs within the task's ``task_memory`` MiB
    (``container_memory.memory_split`` refuses a task too small). Raises ValueError naming what
    to change."""
    names = [container.name for container in containers]
    if not names:
        raise ValueError("FargateServiceArgs.containers is empty; give at least one container")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"FargateServiceArgs.containers repeats {', '.join(duplicates)}")
    ports = [c.port for c in containers if c.port is not None]
    if len(ports) != len(set(ports)):
        raise ValueError(
            f"FargateServiceArgs.containers listen on {ports}: containers of one task share "
            "localhost, so each needs its own port"
        )
    by_name = {container.name: container for container in containers}
    volume_names = {volume.name for volume in volumes}
    for container in containers:
        for target, condition in container.depends_on.items():
            if target not in by_name:
                raise ValueError(
                    f"container {container.name!r} depends on {target!r}, which is not a "
                    f"container of this task ({', '.join(names)})"
                )
            if condition in EXIT_CONDITIONS and by_name[target].essential:
                raise ValueError(
                    f"container {container.name!r} waits for {target!r} to {condition}, which "
                    f"ECS allows only on a container that may exit; make {target!r} "
                    "essential=False"
                )
            if condition == "HEALTHY" and by_name[target].health_check is None:
                raise ValueError(
                    f"container {container.name!r} waits for {target!r} to be HEALTHY, but "
                    f"{target!r} has no health_check; give it one"
                )
        for mount in container.mounts:
            if mount.volume not in volume_names:
                raise ValueError(
                    f"container {container.name!r} mounts volume {mount.volume!r}; declare "
                    f"it in FargateServiceArgs.volumes (declared: {sorted(volume_names)})"
                )
    memory_split(task_memory, {container.name: container.memory for container in containers})
