"""ServiceAutoscaling: an ECS service's task count follows its load, between a floor and a cap.

Application Auto Scaling keeps the service's ``DesiredCount`` between ``min_tasks`` and
``max_tasks`` with two target-tracking policies: requests per task (the load balancer's
``ALBRequestCountPerTarget``) and average CPU. Each adds tasks when its metric runs above target
and removes them when both allow: with several policies, Application Auto Scaling scales out if
any policy says so and in only if all do.
https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html

Only for a stateless service: a task that holds a database's files must never run twice.
"""

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components._shared.aliases import with_former_types

COMPONENT_TYPE = "django-tw:fargate:ServiceAutoscaling"
FORMER_COMPONENT_TYPES = ("django-tw:service_autoscaling:ServiceAutoscaling",)

ECS_DESIRED_COUNT = "ecs:service:DesiredCount"
REQUESTS_PER_TARGET = "ALBRequestCountPerTarget"
CPU_UTILIZATION = "ECSServiceAverageCPUUtilization"


def service_resource_id(cluster_name: str, service_name: str) -> str:
    """How Application Auto Scaling names an ECS service: ``service/<cluster>/<service>``."""
    return f"service/{cluster_name}/{service_name}"


def request_count_label(load_balancer_arn: str, target_group_arn: str) -> str:
    """``app/<lb>/<id>/targetgroup/<tg>/<id>``: the ALBRequestCountPerTarget resource label,
    the ARN suffixes of the load balancer and of the target group joined by ``/``."""
    balancer = load_balancer_arn.partition(":loadbalancer/")[2]
    group = target_group_arn.partition(":targetgroup/")[2]
    if not balancer.startswith("app/") or not group:
        raise ValueError(
            f"{load_balancer_arn!r} and {target_group_arn!r} are not an application load "
            "balancer's and a target group's ARNs"
        )
    return f"{balancer}/targetgroup/{group}"


@dataclass(frozen=True)
class ServiceAutoscalingArgs:
    """Target tracking on requests per task and CPU for one ECS service behind an ALB."""

    cluster_name: pulumi.Input[str]
    service_name: pulumi.Input[str]
    load_balancer_arn: pulumi.Input[str]
    """The application load balancer in front of the service (for the request metric)."""
    target_group_arn: pulumi.Input[str]
    """The target group the service's tasks register in."""
    min_tasks: int = 1
    """Tasks always running (the floor auto scaling keeps)."""
    max_tasks: int = 4
    """The most tasks auto scaling starts."""
    requests_per_task: int = 300
    """Target of ALBRequestCountPerTarget: requests per task per minute."""
    cpu_percent: float = 60.0
    """Target of the service's average CPU utilization, percent."""
    scale_out_cooldown_seconds: int = 60
    """After adding tasks, how long before adding more (new tasks must warm up first)."""
    scale_in_cooldown_seconds: int = 300
    """After removing tasks, how long before removing more (slow to shrink, quick to grow)."""

    def __post_init__(self) -> None:
        if not 1 <= self.min_tasks < self.max_tasks:
            raise ValueError(
                f"ServiceAutoscalingArgs: min_tasks {self.min_tasks}, max_tasks {self.max_tasks}; "
                "give 1 <= min_tasks < max_tasks (equal bounds need no auto scaling)"
            )
        if self.requests_per_task < 1:
            raise ValueError("ServiceAutoscalingArgs.requests_per_task must be 1 or more")
        if not 10 <= self.cpu_percent <= 90:
            raise ValueError(
                f"ServiceAutoscalingArgs.cpu_percent is {self.cpu_percent}; use 10..90"
            )
        if min(self.scale_out_cooldown_seconds, self.scale_in_cooldown_seconds) < 0:
            raise ValueError("ServiceAutoscalingArgs cooldowns must be 0 or more seconds")


class ServiceAutoscaling(pulumi.ComponentResource):
    """A scalable target on the service's desired count and two target-tracking policies."""

    resource_id: pulumi.Output[str]
    policy_names: list[pulumi.Output[str]]

    def __init__(
        self, name: str, args: ServiceAutoscalingArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        child = pulumi.ResourceOptions(parent=self)
        resource_id = pulumi.Output.all(args.cluster_name, args.service_name).apply(
            lambda names: service_resource_id(*names)
        )
        target = aws.appautoscaling.Target(
            f"{name}-target",
            service_namespace="ecs",
            scalable_dimension=ECS_DESIRED_COUNT,
            resource_id=resource_id,
            min_capacity=args.min_tasks,
            max_capacity=args.max_tasks,
            opts=child,
        )
        label = pulumi.Output.all(args.load_balancer_arn, args.target_group_arn).apply(
            lambda arns: request_count_label(*arns)
        )
        trackers = {
            "requests": (REQUESTS_PER_TARGET, float(args.requests_per_task), label),
            "cpu": (CPU_UTILIZATION, float(args.cpu_percent), None),
        }
        policies = []
        for suffix, (metric, target_value, resource_label) in trackers.items():
            policies.append(
                aws.appautoscaling.Policy(
                    f"{name}-{suffix}",
                    policy_type="TargetTrackingScaling",
                    service_namespace=target.service_namespace,
                    scalable_dimension=target.scalable_dimension,
                    resource_id=target.resource_id,
                    target_tracking_scaling_policy_configuration=(
                        aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs(
                            target_value=target_value,
                            predefined_metric_specification=aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs(
                                predefined_metric_type=metric, resource_label=resource_label
                            ),
                            scale_out_cooldown=args.scale_out_cooldown_seconds,
                            scale_in_cooldown=args.scale_in_cooldown_seconds,
                        )
                    ),
                    opts=child,
                )
            )
        self.resource_id = target.resource_id
        self.policy_names = [policy.name for policy in policies]
        self.register_outputs({"resource_id": self.resource_id})
