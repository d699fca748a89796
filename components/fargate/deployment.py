"""How a FargateService's service runs its tasks: how many, how a deployment replaces them, and
which load balancer target group they join."""

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.fargate.types import LoadBalancerTarget
from components.monitoring.alarms import (
    AlarmSpec,
    load_balancer_dimension,
    target_5xx,
    target_group_dimension,
)

# How long `pulumi up` waits for the service to reach a steady state before it fails. The
# slowest good rollout of a stateful task: the old task stops (stopTimeout, at most 120 s) and
# leaves the target group (deregistration delay), the new one pulls three images, starts
# Postgres on EFS (initdb on a first deploy) and passes the grace period and the ALB's checks:
# about 10 minutes. Twice that, and well inside the deploy job's 60 minutes. The provider waits
# as long as these timeouts say (hashicorp/terraform-provider-aws#16012, fixed in 4.22.0).
STEADY_STATE_TIMEOUTS = pulumi.CustomTimeouts(create="30m", update="20m", delete="20m")

# Fargate's two capacity providers: on-demand and Spot (spare capacity, discounted, taken back
# with a two-minute warning, and never replaced by on-demand capacity when there is none).
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html
FARGATE, FARGATE_SPOT = "FARGATE", "FARGATE_SPOT"
# With Spot, the first task always runs on on-demand Fargate (``base``) and the tasks beyond it
# are split evenly between the two (equal ``weight``): a Spot shortage or interruption leaves
# the site on the base task and half of the rest.
# https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html
ON_DEMAND_BASE = 1
ON_DEMAND_WEIGHT, SPOT_WEIGHT = 1, 1


@dataclass(frozen=True)
class DeploymentLimits:
    """The service's desired count and the bounds ECS keeps during a deployment."""

    desired_count: int
    """Tasks the service runs (1 when a container is stateful)."""
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


def check_scheduling(stateful: bool, autoscaled: bool, fargate_spot: bool) -> None:
    """Refuse a way of running a task that a task holding data cannot take: auto scaling may
    start a second copy of it, Spot may stop the only one. Raises ValueError saying what to turn
    off."""
    if autoscaled and stateful:
        raise ValueError(
            "FargateServiceArgs.autoscaled with a stateful container: a task that holds data "
            "must never run twice; move the data out of the task or turn auto scaling off"
        )
    if fargate_spot and stateful:
        raise ValueError(
            "FargateServiceArgs.fargate_spot with a stateful container: Spot may stop the one "
            "task that holds the data at two minutes' notice; turn fargate_spot off"
        )


def capacity_provider_strategies(
    fargate_spot: bool,
) -> list[aws.ecs.ServiceCapacityProviderStrategyArgs] | None:
    """Where the service places its tasks: None (the service's ``FARGATE`` launch type) without
    Spot; with Spot, :data:`ON_DEMAND_BASE` task on Fargate, the rest split by weight. ECS
    takes a launch type or a strategy, never both."""
    if not fargate_spot:
        return None
    return [
        aws.ecs.ServiceCapacityProviderStrategyArgs(
            capacity_provider=FARGATE, base=ON_DEMAND_BASE, weight=ON_DEMAND_WEIGHT
        ),
        aws.ecs.ServiceCapacityProviderStrategyArgs(
            capacity_provider=FARGATE_SPOT, weight=SPOT_WEIGHT
        ),
    ]


def forces_new_deployment(stateful: bool) -> bool:
    """Whether the service sets ``force_new_deployment``: every stateless service does.

    A stateless service may move between the launch type and a capacity provider strategy
    (Spot on or off), and the provider refuses to plan a strategy change of an existing service
    unless the new configuration has ``force_new_deployment`` true: "force_new_deployment
    should be true when capacity_provider_strategy is being updated" (terraform-provider-aws
    internal/service/ecs/service.go ``capacityProviderStrategyCustomizeDiff``). The change
    that removes the strategy needs it too, so it cannot follow the strategy; it stays on. A
    new strategy does not itself start a deployment ("This parameter doesn't trigger a new
    service deployment",
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html): the
    forced one moves the running tasks onto it. The provider then forces a deployment with
    every UpdateService (``resourceServiceUpdate``), which a stateless service rolls at full
    capacity. A stateful service never has a strategy (Spot is refused for it), and a forced
    deployment would stop its only task for changes that need none.
    """
    return not stateful


def declare_spot_capacity(
    name: str, cluster_name: pulumi.Input[str], opts: pulumi.ResourceOptions
) -> aws.ecs.ClusterCapacityProviders:
    """Associate both Fargate capacity providers with the cluster: a strategy may name only
    providers associated with it (PutClusterCapacityProviders), so the service waits for this."""
    return aws.ecs.ClusterCapacityProviders(
        f"{name}-capacity-providers",
        cluster_name=cluster_name,
        capacity_providers=[FARGATE, FARGATE_SPOT],
        opts=opts,
    )


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


def deployment_alarm(target: LoadBalancerTarget | None) -> AlarmSpec | None:
    """The alarm that rolls a deployment back: the new tasks answer 5xx.

    Only the target group's own 5xx: the load balancer's 503s also count the seconds a
    stop-then-start deployment has no task, which would roll every deployment back. None
    without a load balancer ARN to scope the metric to.
    """
    if target is None or target.load_balancer_arn is None:
        return None
    return target_5xx(
        pulumi.Output.from_input(target.load_balancer_arn).apply(load_balancer_dimension),
        pulumi.Output.from_input(target.target_group_arn).apply(target_group_dimension),
    )


def deployment_alarms(alarm_names: Sequence[pulumi.Input[str]]) -> aws.ecs.ServiceAlarmsArgs | None:
    """The service's ``alarms`` block: any alarm in ALARM during a deployment fails it and
    rolls back to the last completed one, beside the circuit breaker (which sees only tasks
    that fail to start or to pass health checks).
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html
    """
    if not alarm_names:
        return None
    return aws.ecs.ServiceAlarmsArgs(alarm_names=list(alarm_names), enable=True, rollback=True)
