"""The parts FargateService is declared from: the inputs of its task definition and service as
pure values (their tests call them with plain strings), and the groups of resources it declares
around them (the log groups, the two roles, the task's security group, the rollback alarm), each
from the pure functions of ``containers``, ``roles`` and ``deployment``."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components._shared.iam import policy_document
from components.fargate.containers import log_group_name, task_volumes
from components.fargate.deployment import (
    DeploymentLimits,
    capacity_provider_strategies,
    deployment_alarm,
    deployment_alarms,
    forces_new_deployment,
    health_check_grace_period,
    service_load_balancers,
)
from components.fargate.exec_logging import ExecLogging, declare_exec_session_logging
from components.fargate.roles import (
    execution_role_statements,
    execution_trust_policy,
    log_stream_arn,
    referenced_secret_arns,
    task_role_logical_name,
    task_role_statements,
    task_trust_policy,
)
from components.fargate.service_args import FargateServiceArgs
from components.network.security_groups import allow_tcp_in, allow_tcp_out, security_group

# --- the inputs, pure -------------------------------------------------------------------------


def task_definition_inputs(
    name: str,
    args: FargateServiceArgs,
    *,
    container_definitions: pulumi.Input[str],
    execution_role_arn: pulumi.Input[str],
    task_role_arn: pulumi.Input[str],
) -> dict[str, Any]:
    """The task definition: a Fargate task of family ``name`` on its own ENI (``awsvpc``),
    Linux on ``args.cpu_architecture``, the size ``args`` asks for (as text, as ECS takes it)."""
    return {
        "family": name,
        "network_mode": "awsvpc",
        "requires_compatibilities": ["FARGATE"],
        "cpu": str(args.cpu),
        "memory": str(args.memory),
        "runtime_platform": aws.ecs.TaskDefinitionRuntimePlatformArgs(
            operating_system_family="LINUX", cpu_architecture=args.cpu_architecture
        ),
        "execution_role_arn": execution_role_arn,
        "task_role_arn": task_role_arn,
        "container_definitions": container_definitions,
        "volumes": task_volumes(args.volumes),
    }


def service_inputs(
    args: FargateServiceArgs,
    deployment: DeploymentLimits,
    *,
    cluster_arn: pulumi.Input[str],
    task_definition_arn: pulumi.Input[str],
    security_group_id: pulumi.Input[str],
    alarm_names: Sequence[pulumi.Input[str]],
) -> dict[str, Any]:
    """The ECS service running the task: in the private subnets without a public IP, rolled
    back by the circuit breaker and the deployment alarms, and waited for by ``pulumi up``."""
    return {
        "cluster": cluster_arn,
        "task_definition": task_definition_arn,
        "launch_type": None if args.fargate_spot else "FARGATE",
        "capacity_provider_strategies": capacity_provider_strategies(args.fargate_spot),
        # Left unset (not false) where it is off: what the service was declared with before.
        "force_new_deployment": forces_new_deployment(args.stateful) or None,
        # 1.4.0+ is what mounts EFS; LATEST keeps getting security fixes.
        "platform_version": "LATEST",
        "desired_count": deployment.desired_count,
        "deployment_minimum_healthy_percent": deployment.minimum_healthy_percent,
        "deployment_maximum_percent": deployment.maximum_percent,
        "deployment_circuit_breaker": aws.ecs.ServiceDeploymentCircuitBreakerArgs(
            enable=True, rollback=True
        ),
        "alarms": deployment_alarms(alarm_names),
        "enable_execute_command": args.enable_exec,
        "health_check_grace_period_seconds": health_check_grace_period(
            args.load_balancer, args.health_check_grace_seconds
        ),
        "network_configuration": aws.ecs.ServiceNetworkConfigurationArgs(
            subnets=list(args.subnet_ids),
            security_groups=[security_group_id, *args.extra_security_group_ids],
            assign_public_ip=False,
        ),
        "load_balancers": service_load_balancers(args.load_balancer),
        "propagate_tags": "SERVICE",
        "enable_ecs_managed_tags": True,
        # `pulumi up` fails when the rollout does: a first task that cannot start, a
        # circuit breaker or deployment alarm that rolls back. How to look: docs/deploying.md
        # ("Deploying from GitHub Actions") and docs/operations.md, "When a deploy fails".
        "wait_for_steady_state": True,
    }


# --- the resources around them ------------------------------------------------------------------


def declare_cluster(
    name: str, parent: pulumi.Resource, args: FargateServiceArgs
) -> tuple[aws.ecs.Cluster, ExecLogging | None]:
    """The cluster, with Container Insights, and where ECS Exec logs its sessions when the task
    allows exec (None: it does not)."""
    exec_logging = None
    if args.enable_exec:
        exec_logging = declare_exec_session_logging(
            name, parent, args.region, args.log_retention_days
        )
    cluster = aws.ecs.Cluster(
        f"{name}-cluster",
        settings=[aws.ecs.ClusterSettingArgs(name="containerInsights", value="enabled")],
        configuration=exec_logging.cluster_configuration if exec_logging else None,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return cluster, exec_logging


def declare_log_groups(
    name: str, args: FargateServiceArgs, opts: pulumi.ResourceOptions
) -> dict[str, aws.cloudwatch.LogGroup]:
    """One log group per container, kept ``args.log_retention_days``."""
    return {
        container.name: aws.cloudwatch.LogGroup(
            f"{name}-{container.name}-logs",
            name=log_group_name(name, container.name),
            retention_in_days=args.log_retention_days,
            opts=opts,
        )
        for container in args.containers
    }


@dataclass(frozen=True)
class TaskRoles:
    """The task's two roles, and their policies (the first task needs them in place)."""

    execution_role: aws.iam.Role
    task_role: aws.iam.Role
    policies: list[pulumi.Resource]


def declare_task_roles(
    name: str,
    parent: pulumi.Resource,
    args: FargateServiceArgs,
    log_groups: Mapping[str, aws.cloudwatch.LogGroup],
    exec_logging: ExecLogging | None,
) -> TaskRoles:
    """The execution role (pulls the images, writes the logs, reads the secrets) and the task
    role (what the application may do), each with its policy; the task role's only when it
    has statements."""
    child = pulumi.ResourceOptions(parent=parent)
    # ECS may assume the roles only for this account's tasks (the confused-deputy guard).
    account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOptions(parent=parent)).account_id
    execution_role = aws.iam.Role(
        f"{name}-execution-role",
        assume_role_policy=execution_trust_policy(account_id),
        description="Starts the task: pulls its images, writes its logs, reads its secrets",
        opts=child,
    )
    execution_statements = execution_role_statements(
        log_stream_arns=[group.arn.apply(log_stream_arn) for group in log_groups.values()],
        image_repository_arns=args.image_repository_arns,
        secret_arns=referenced_secret_arns(args.containers),
    )
    execution_policy = aws.iam.RolePolicy(
        f"{name}-execution-policy",
        role=execution_role.id,
        policy=policy_document(*execution_statements),
        opts=child,
    )
    policies: list[pulumi.Resource] = [execution_policy]
    task_role = aws.iam.Role(
        task_role_logical_name(name),
        assume_role_policy=task_trust_policy(account_id, args.region),
        description="What the application inside the task may do",
        opts=child,
    )
    task_statements = task_role_statements(
        args.task_role_statements,
        args.enable_exec,
        exec_logging.permissions if exec_logging else None,
    )
    if task_statements:
        task_policy = aws.iam.RolePolicy(
            f"{name}-task-policy",
            role=task_role.id,
            policy=policy_document(*task_statements),
            opts=child,
        )
        policies.append(task_policy)
    return TaskRoles(execution_role, task_role, policies)


def declare_task_group(
    name: str, args: FargateServiceArgs, opts: pulumi.ResourceOptions
) -> tuple[aws.ec2.SecurityGroup, list[pulumi.Resource]]:
    """The task's security group and its rules: in from the load balancer only (if any), out
    to ``args.egress``. The rules are returned too: the first task needs them in place."""
    task_group = security_group(
        f"{name}-sg", args.vpc_id, f"Task {name}: ingress from its load balancer only", opts
    )
    rules: list[pulumi.Resource] = []
    if args.load_balancer is not None:
        ingress = allow_tcp_in(
            f"{name}-sg-in-lb",
            task_group.id,
            args.load_balancer.container_port,
            "from the load balancer",
            opts,
            referenced_security_group_id=args.load_balancer.source_security_group_id,
        )
        rules.append(ingress)
    for index, rule in enumerate(args.egress):
        egress = allow_tcp_out(
            f"{name}-sg-out-{rule.port}-{index}",
            task_group.id,
            rule.port,
            rule.description,
            opts,
            cidr_ipv4=rule.cidr,
            referenced_security_group_id=rule.security_group_id,
            prefix_list_id=rule.prefix_list_id,
        )
        rules.append(egress)
    return task_group, rules


def declare_rollback_alarms(
    name: str, args: FargateServiceArgs, opts: pulumi.ResourceOptions
) -> list[pulumi.Output[str]]:
    """The alarms that roll a deployment back, by name. Declared before the service, which
    names them: ECS reads them during a deployment. They watch the target group, never the
    service, so nothing here waits in a circle."""
    alarm_names: list[pulumi.Output[str]] = []
    rollback_alarm = deployment_alarm(args.load_balancer)
    if rollback_alarm is not None:
        alarm_name = f"{name}-deploy-{rollback_alarm.key}"
        alarm = aws.cloudwatch.MetricAlarm(
            alarm_name, **rollback_alarm.metric_alarm_args(alarm_name, []), opts=opts
        )
        alarm_names.append(alarm.name)
    return alarm_names
