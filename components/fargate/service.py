"""FargateService: one Fargate task of several containers that share localhost, and its service.

Containers of one awsvpc task share a network namespace, so they talk over ``localhost``
(``127.0.0.1``), never by container name. Everything a container needs is a typed
:class:`ContainerSpec` (``components.fargate.types``). Pure functions beside this file compute
the container definitions and volumes (``sidecar_containers``), the roles' statements
(``sidecar_roles``) and how the service deploys (``sidecar_service``); the component declares
the task definition, one log group per container, the two IAM roles, the cluster, the service
and its security group from their results.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components._shared.aliases import with_former_types
from components._shared.iam import policy_document
from components.fargate.containers import container_definitions, log_group_name, task_volumes
from components.fargate.deployment import (
    STEADY_STATE_TIMEOUTS,
    DeploymentLimits,
    capacity_provider_strategies,
    check_scheduling,
    declare_spot_capacity,
    deployment_alarm,
    deployment_alarms,
    deployment_limits,
    forces_new_deployment,
    health_check_grace_period,
    service_load_balancers,
)
from components.fargate.exec_logging import declare_exec_session_logging
from components.fargate.roles import (
    execution_role_statements,
    execution_trust_policy,
    log_stream_arn,
    referenced_secret_arns,
    task_role_logical_name,
    task_role_statements,
    task_trust_policy,
)
from components.fargate.types import (
    ContainerSpec,
    EgressRule,
    LoadBalancerTarget,
    Volume,
    check_task_containers,
)
from components.network.security_groups import allow_tcp_in, allow_tcp_out, security_group

COMPONENT_TYPE = "django-tw:fargate:FargateService"
# Its earlier tokens: an alias to each moves a stack's resources instead of replacing them.
FORMER_COMPONENT_TYPES = ("django-tw:compute:SidecarTask", "django-tw:sidecar_task:SidecarTask")

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


class FargateService(pulumi.ComponentResource):
    """Cluster, task definition, roles, log groups, security group and service for one task."""

    cluster_name: pulumi.Output[str]
    """The ECS cluster running the service."""
    cluster_arn: pulumi.Output[str]
    """The ECS cluster's ARN."""
    service_name: pulumi.Output[str]
    """The ECS service's name."""
    task_definition_arn: pulumi.Output[str]
    """The task definition's ARN (its revision included)."""
    security_group_id: pulumi.Output[str]
    """The task's security group."""
    log_group_names: dict[str, pulumi.Output[str]]
    """Container name -> its CloudWatch log group."""
    task_role_arn: pulumi.Output[str]
    """The role the containers' code runs as."""
    execution_role_arn: pulumi.Output[str]
    """The role ECS pulls images and reads secrets with."""
    deployment: DeploymentLimits
    """How the service deploys: its task count and the percent bounds."""
    deployment_alarm_names: list[pulumi.Output[str]]
    """CloudWatch alarms that roll a failing deployment back."""
    exec_log_group_name: pulumi.Output[str] | None
    """Where ECS Exec sessions are logged (None: ECS Exec off)."""

    def __init__(
        self, name: str, args: FargateServiceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        child = pulumi.ResourceOptions(parent=self)
        self._args = args
        self.deployment = deployment_limits(args.stateful, args.desired_count)

        exec_logging = None
        self.exec_log_group_name = None
        if args.enable_exec:
            exec_logging = declare_exec_session_logging(
                name, self, args.region, args.log_retention_days
            )
            self.exec_log_group_name = exec_logging.log_group_name
        cluster = aws.ecs.Cluster(
            f"{name}-cluster",
            settings=[aws.ecs.ClusterSettingArgs(name="containerInsights", value="enabled")],
            configuration=exec_logging.cluster_configuration if exec_logging else None,
            opts=child,
        )

        log_groups = {
            container.name: aws.cloudwatch.LogGroup(
                f"{name}-{container.name}-logs",
                name=log_group_name(name, container.name),
                retention_in_days=args.log_retention_days,
                opts=child,
            )
            for container in args.containers
        }

        # ECS may assume the roles only for this account's tasks (the confused-deputy guard).
        account_id = aws.get_caller_identity_output(
            opts=pulumi.InvokeOptions(parent=self)
        ).account_id
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
        # What the first task needs from inside this component that the service's inputs do
        # not already wait for: its roles' permissions and its group's rules.
        first_task_needs: list[pulumi.Resource] = []
        if args.fargate_spot:  # the strategy names providers the cluster must have first
            first_task_needs.append(declare_spot_capacity(name, cluster.name, child))
        execution_policy = aws.iam.RolePolicy(
            f"{name}-execution-policy",
            role=execution_role.id,
            policy=policy_document(*execution_statements),
            opts=child,
        )
        first_task_needs.append(execution_policy)

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
            first_task_needs.append(task_policy)

        definitions = container_definitions(
            args.containers,
            {container: group.name for container, group in log_groups.items()},
            args.region,
            task_memory=args.memory,
        )
        task_definition = aws.ecs.TaskDefinition(
            f"{name}-taskdef",
            family=name,
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            cpu=str(args.cpu),
            memory=str(args.memory),
            runtime_platform=aws.ecs.TaskDefinitionRuntimePlatformArgs(
                operating_system_family="LINUX", cpu_architecture=args.cpu_architecture
            ),
            execution_role_arn=execution_role.arn,
            task_role_arn=task_role.arn,
            container_definitions=pulumi.Output.json_dumps(definitions),
            volumes=task_volumes(args.volumes),
            opts=child,
        )

        task_group = security_group(
            f"{name}-sg", args.vpc_id, f"Task {name}: ingress from its load balancer only", child
        )
        if args.load_balancer is not None:
            ingress = allow_tcp_in(
                f"{name}-sg-in-lb",
                task_group.id,
                args.load_balancer.container_port,
                "from the load balancer",
                child,
                referenced_security_group_id=args.load_balancer.source_security_group_id,
            )
            first_task_needs.append(ingress)
        for index, rule in enumerate(args.egress):
            egress = allow_tcp_out(
                f"{name}-sg-out-{rule.port}-{index}",
                task_group.id,
                rule.port,
                rule.description,
                child,
                cidr_ipv4=rule.cidr,
                referenced_security_group_id=rule.security_group_id,
                prefix_list_id=rule.prefix_list_id,
            )
            first_task_needs.append(egress)

        # Declared before the service, which names them: ECS reads them during a deployment.
        # They watch the target group, never the service, so nothing here waits in a circle.
        alarm_names: list[pulumi.Output[str]] = []
        rollback_alarm = deployment_alarm(args.load_balancer)
        if rollback_alarm is not None:
            alarm_name = f"{name}-deploy-{rollback_alarm.key}"
            alarm = aws.cloudwatch.MetricAlarm(
                alarm_name, **rollback_alarm.metric_alarm_args(alarm_name, []), opts=child
            )
            alarm_names.append(alarm.name)

        service = aws.ecs.Service(
            f"{name}-service",
            cluster=cluster.arn,
            task_definition=task_definition.arn,
            launch_type=None if args.fargate_spot else "FARGATE",
            capacity_provider_strategies=capacity_provider_strategies(args.fargate_spot),
            # Left unset (not false) where it is off: what the service was declared with before.
            force_new_deployment=forces_new_deployment(args.stateful) or None,
            # 1.4.0+ is what mounts EFS; LATEST keeps getting security fixes.
            platform_version="LATEST",
            desired_count=self.deployment.desired_count,
            deployment_minimum_healthy_percent=self.deployment.minimum_healthy_percent,
            deployment_maximum_percent=self.deployment.maximum_percent,
            deployment_circuit_breaker=aws.ecs.ServiceDeploymentCircuitBreakerArgs(
                enable=True, rollback=True
            ),
            alarms=deployment_alarms(alarm_names),
            enable_execute_command=args.enable_exec,
            health_check_grace_period_seconds=health_check_grace_period(
                args.load_balancer, args.health_check_grace_seconds
            ),
            network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
                subnets=list(args.subnet_ids),
                security_groups=[task_group.id, *args.extra_security_group_ids],
                assign_public_ip=False,
            ),
            load_balancers=service_load_balancers(args.load_balancer),
            propagate_tags="SERVICE",
            enable_ecs_managed_tags=True,
            # `pulumi up` fails when the rollout does: a first task that cannot start, a
            # circuit breaker or deployment alarm that rolls back. How to look: docs/deploying.md
            # ("Deploying from GitHub Actions") and docs/operations.md, "When a deploy fails".
            wait_for_steady_state=True,
            # A component in depends_on stands for the children it has declared by then
            # (pulumi/runtime/rpc.py `_add_dependency`, pulumi/pulumi#7732): the components
            # given here declare theirs in their constructors, none inside an apply.
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[*first_task_needs, *args.ready_after],
                custom_timeouts=STEADY_STATE_TIMEOUTS,
                ignore_changes=["desiredCount"] if args.autoscaled else None,
            ),
        )

        self.cluster_name = cluster.name
        self.cluster_arn = cluster.arn
        self.service_name = service.name
        self.task_definition_arn = task_definition.arn
        self.deployment_alarm_names = alarm_names
        self.security_group_id = task_group.id
        self.log_group_names = {container: group.name for container, group in log_groups.items()}
        self.task_role_arn = task_role.arn
        self.execution_role_arn = execution_role.arn
        self.register_outputs(
            {
                "cluster_name": self.cluster_name,
                "service_name": self.service_name,
                "task_definition_arn": self.task_definition_arn,
                "security_group_id": self.security_group_id,
                "log_group_names": self.log_group_names,
                "task_role_arn": self.task_role_arn,
                "execution_role_arn": self.execution_role_arn,
                "exec_log_group_name": self.exec_log_group_name,
            }
        )

    @property
    def required_endpoints(self) -> frozenset[str]:
        """AWS services the task reaches from its private subnets."""
        return self._args.required_endpoints
