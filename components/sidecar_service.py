"""How a SidecarTask's service runs its tasks: how many, how a deployment replaces them, and
which load balancer target group they join."""

from dataclasses import dataclass

import pulumi_aws as aws

from components.sidecar_types import LoadBalancerTarget


@dataclass(frozen=True)
class DeploymentLimits:
    """The service's desired count and the bounds ECS keeps during a deployment."""

    desired_count: int
    minimum_healthy_percent: int
    """Share of desired_count that must keep running while new tasks start."""
    maximum_percent: int
    """Ceiling on running tasks during a deployment, as a share of desired_count."""


def deployment_limits(stateful: bool, desired_count: int) -> DeploymentLimits:
    """A stateful container allows one task at a time: stop the old one, then start the new.

    Two Postgres servers on one data directory corrupt it, so a rolling deployment that
    briefly runs two tasks is not an option (docker-library/postgres#171). A stateless task
    rolls with full capacity: new tasks start before old ones stop.
    """
    if stateful:
        return DeploymentLimits(desired_count=1, minimum_healthy_percent=0, maximum_percent=100)
    return DeploymentLimits(desired_count, minimum_healthy_percent=100, maximum_percent=200)


def service_load_balancers(
    target: LoadBalancerTarget | None,
) -> list[aws.ecs.ServiceLoadBalancerArgs]:
    """The target group the service registers its tasks in; none without a load balancer."""
    if target is None:
        return []
    return [
        aws.ecs.ServiceLoadBalancerArgs(
            target_group_arn=target.target_group_arn,
            container_name=target.container_name,
            container_port=target.container_port,
        )
    ]


def health_check_grace_period(target: LoadBalancerTarget | None, seconds: int) -> int | None:
    """Seconds the load balancer's health checks are ignored after a task starts.

    ECS accepts the setting only for a service with a load balancer, so it is None without one.
    """
    return seconds if target is not None else None
