"""FargateServiceArgs: what one Fargate task of several containers, and its service, are made
of, checked before anything is declared."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

from components.fargate.deployment import check_scheduling
from components.fargate.types import (
    ContainerSpec,
    EgressRule,
    LoadBalancerTarget,
    Volume,
    check_task_containers,
)

# The CPU architectures Fargate runs (runtimePlatform.cpuArchitecture).
X86_64, ARM64 = "X86_64", "ARM64"
CPU_ARCHITECTURES = (X86_64, ARM64)


@dataclass(frozen=True)
class FargateServiceArgs:
    """One Fargate task (several containers on one localhost) and the service that runs it."""

    vpc_id: pulumi.Input[str]
    """The VPC of the task's security group."""
    subnet_ids: Sequence[pulumi.Input[str]]
    """Private subnets for the task; it never gets a public IP."""
    region: str
    """Region of the log groups (the awslogs driver needs it)."""
    containers: Sequence[ContainerSpec]
    """The task's containers; they share localhost, so each needs its own port."""
    volumes: Sequence[Volume] = ()
    """Volumes the containers mount by name."""
    cpu: int = 512
    """Task CPU units (1024 = 1 vCPU); Fargate accepts only certain cpu/memory pairs."""
    memory: int = 1024
    """Task memory, MiB."""
    cpu_architecture: str = X86_64
    """X86_64 or ARM64 (Graviton, cheaper); the images must be built for it."""
    desired_count: int = 1
    """Tasks to run; forced to 1 when a container is stateful."""
    autoscaled: bool = False
    """Application Auto Scaling owns the running count (ServiceAutoscaling): `pulumi up` sets
    ``desired_count`` at creation only, and never resets what auto scaling chose."""
    fargate_spot: bool = False
    """Tasks beyond the first run on Fargate Spot, half of them (``sidecar_service``): cheaper,
    but taken back with two minutes' warning. Only for a stateless task."""
    log_retention_days: int = 30
    """Days CloudWatch keeps each container's log."""
    task_role_statements: Sequence[Mapping[str, Any]] = ()
    """IAM statements for the application (e.g. its bucket), JSON shape, Outputs allowed."""
    image_repository_arns: Sequence[pulumi.Input[str]] = ()
    """ECR repositories the execution role may pull from."""
    load_balancer: LoadBalancerTarget | None = None
    """The target group and container port the service registers with; None: no ingress."""
    health_check_grace_seconds: int = 180
    """Time the ALB health checks are ignored after a task starts (migrations, initdb)."""
    enable_exec: bool = True
    """ECS Exec through SSM (``aws ecs execute-command``)."""
    egress: Sequence[EgressRule] = (
        EgressRule(443, "HTTPS to AWS APIs (endpoints, S3 prefix, or NAT)", cidr="0.0.0.0/0"),
    )
    """Outbound rules of the task's security group: where the task may open connections."""
    extra_security_group_ids: Sequence[pulumi.Input[str]] = ()
    """More groups for the task's ENI, e.g. a file system's client group."""
    ready_after: Sequence[pulumi.Resource] = ()
    """What the first task needs that other components declare and no input of the service
    refers to: the route out (VPC endpoints, NAT), the file system's mount targets,
    the secrets' values (a task definition names a secret, not its version), the listener of
    its target group. The service is created after them (a component: after all its children):
    a first task that starts too early fails, and a first deployment has nothing to roll back to."""

    def __post_init__(self) -> None:
        check_task_containers(self.containers, self.volumes, self.memory)
        by_name = {container.name: container for container in self.containers}
        if self.cpu_architecture not in CPU_ARCHITECTURES:
            raise ValueError(
                f"FargateServiceArgs.cpu_architecture is {self.cpu_architecture!r}; use "
                f"{' or '.join(CPU_ARCHITECTURES)}"
            )
        if self.load_balancer is not None:
            target = by_name.get(self.load_balancer.container_name)
            if target is None or target.port != self.load_balancer.container_port:
                raise ValueError(
                    "FargateServiceArgs.load_balancer names container "
                    f"{self.load_balancer.container_name!r} port "
                    f"{self.load_balancer.container_port}, which no container listens on"
                )
        if self.desired_count < 0:
            raise ValueError("FargateServiceArgs.desired_count must be 0 or more")
        check_scheduling(self.stateful, self.autoscaled, self.fargate_spot)
        not_resources = [
            repr(item) for item in self.ready_after if not isinstance(item, pulumi.Resource)
        ]
        if not_resources:
            raise ValueError(
                f"FargateServiceArgs.ready_after holds {', '.join(not_resources)}; give resources "
                "or components (the service waits for them)"
            )

    @property
    def stateful(self) -> bool:
        return any(container.stateful for container in self.containers)

    @property
    def uses_secrets(self) -> bool:
        return any(container.secrets for container in self.containers)

    @property
    def required_endpoints(self) -> frozenset[str]:
        """AWS services a task built from these args reaches from its private subnets."""
        needed = {"ecr.api", "ecr.dkr", "s3", "logs"}  # pull images (layers in S3), awslogs
        if self.uses_secrets:
            needed.add("secretsmanager")
        if self.enable_exec:
            needed.add("ssmmessages")
        return frozenset(needed)
